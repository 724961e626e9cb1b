package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.G._Grunnable;
import static dev.gort.internal.runtime.G._Grunning;
import static dev.gort.internal.runtime.G._Gsyscall;
import static dev.gort.internal.runtime.P._Pgcstop;
import static dev.gort.internal.runtime.P._Pidle;
import static dev.gort.internal.runtime.P._Psyscall;
import static dev.gort.internal.runtime.Sched.sched;

import dev.gort.Blocking;
import dev.gort.BlockingRun;

/**
 * System calls (Go: proc.go {@code entersyscall}, {@code entersyscallblock}, {@code exitsyscall},
 * {@code exitsyscallfast}, {@code exitsyscall0}), in Go's classic (1.25) form, which suits a
 * runtime whose "syscalls" are arbitrary blocking Java calls.
 *
 * <h2>Protocol</h2>
 * <pre>
 *  entersyscall:  G _Grunning -> _Gsyscall; M.oldp = P; P.m = null; M.p = null;
 *                 P.status = _Psyscall (volatile store: from here anyone may CAS it away)
 *  sysmon retake: CAS P _Psyscall -> _Pidle, syscalltick++, handoffp(P)      (Sysmon.retake)
 *  exitsyscall:   fast: CAS oldp _Psyscall -> _Pidle and acquire it; else an idle P;
 *                 slow: yield to the M, which puts the G on the global queue and stops (exitsyscall0)
 * </pre>
 * The CAS on the P's status decides who owns it: the returning M, sysmon, or stop-the-world
 * ({@code _Psyscall -> _Pgcstop}); exactly one wins. While in the call the M holds no P, its
 * {@code curg} is null and {@code syscallg} names the G: runtime calls made inside the blocking
 * call behave as on a plain thread (they block the thread, never park a goroutine), which is what
 * a thread without a P must do. The G does not yield between entersyscall and exitsyscall, so the
 * M read at the start stays valid to the end.
 */
final class Syscall {
    private Syscall() {}

    @SuppressWarnings("unchecked")
    static <X extends Throwable> Object syscall(Blocking<?, X> call, BlockingRun<X> run, boolean block)
            throws X {
        M mp = Proc.getmPreemptible();
        G gp = mp != null ? mp.curg : null;
        if (gp == null) {
            return invoke(call, run); // plain thread (or already inside a syscall): just run it
        }
        if (block) {
            entersyscallblock(mp, gp);
        } else {
            entersyscall(mp, gp);
        }
        try {
            return invoke(call, run);
        } finally {
            exitsyscall(mp, gp);
        }
    }

    /**
     * Runs the caller's function, out of line: the JIT cannot inline this method (its dead branch
     * makes it larger than C2's FreqInlineSize), so the function's body is never compiled into a
     * method that also parks (exitsyscall may park; a caller may loop over syscalls). JDK code in
     * it that records {@code Thread.currentThread()} (a j.u.c lock in a file or DNS call) then
     * reads the thread afresh, instead of reusing a value from before a park that names an M the
     * goroutine has left. See Proc.carrier and NioCalls.
     */
    private static <X extends Throwable> Object invoke(Blocking<?, X> call, BlockingRun<X> run) throws X {
        if (neverTrue) {
            // 80 array stores: about 480 bytes of bytecode, more than FreqInlineSize.
            padding += java.util.Arrays.hashCode(new int[] {
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
                40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
                60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79});
        }
        if (call != null) {
            return call.call();
        }
        run.run();
        return null;
    }

    /** Never set; not final, so javac and the JIT keep invoke's padding branch. */
    @SuppressWarnings("FieldMayBeFinal")
    private static boolean neverTrue = false;

    private static int padding;

    /** Go: entersyscall (reentersyscall). */
    static void entersyscall(M mp, G gp) {
        gp.casgstatus(_Grunning, _Gsyscall); // waits while sysmon holds the scan bit
        P pp = mp.p;
        if (pp.retaken) {
            Proc.dropRetakenP(mp); // sysmon already gave our P away: enter without one
            pp = null;
        }
        if (Trace.on()) {
            Trace.syscallEnter(mp, gp, false);
        }
        mp.curg = null;
        mp.syscallg = gp;
        if (sched.sysmonwait) {
            Sysmon.wake();
        }
        if (pp == null) {
            mp.oldp = null;
            return;
        }
        mp.syscalltick = pp.syscalltick;
        mp.oldp = pp;
        pp.m = null;
        mp.p = null;
        pp.status = _Psyscall; // publish: sysmon and stop-the-world may take it from now on
        if (sched.gcwaiting) {
            entersyscallGcwait(pp);
        }
    }

    /** Go: entersyscall_gcwait. A stop-the-world is waiting: count our P as stopped at once. */
    private static void entersyscallGcwait(P pp) {
        sched.lock.lock();
        try {
            if (sched.stopwait > 0 && pp.casStatus(_Psyscall, _Pgcstop)) {
                pp.syscalltick = pp.syscalltick + 1;
                if (--sched.stopwait == 0) {
                    sched.stopnote.wakeup();
                }
            }
        } finally {
            sched.lock.unlock();
        }
    }

    /** Go: entersyscallblock. The call is known to block: hand the P off now. */
    static void entersyscallblock(M mp, G gp) {
        gp.casgstatus(_Grunning, _Gsyscall);
        if (Trace.on()) {
            Trace.syscallEnter(mp, gp, true);
        }
        P pp = mp.p;
        mp.curg = null;
        mp.syscallg = gp;
        mp.oldp = null;
        if (pp.retaken) {
            Proc.dropRetakenP(mp);
            return;
        }
        pp.syscalltick = pp.syscalltick + 1;
        sched.nhandoff.incrementAndGet();
        Proc.handoffp(Proc.releasep(mp));
    }

    /** Go: exitsyscall. Returns with the G running on some M with a P. */
    static void exitsyscall(M mp, G gp) {
        mp.syscallg = null;
        mp.curg = gp;
        P oldp = mp.oldp;
        mp.oldp = null;
        if (exitsyscallfast(mp, oldp)) {
            P pp = mp.p;
            pp.syscalltick = pp.syscalltick + 1;
            gp.casgstatus(_Gsyscall, _Grunning);
            if (Trace.on()) {
                Trace.syscallExit(mp, gp);
            }
            return;
        }
        // No P: let the M queue us globally and stop (Go: mcall(exitsyscall0)). We resume on
        // whichever M runs us next, with a P.
        mp.mcallop = Proc.MCALL_EXITSYSCALL;
        Cont.yield();
    }

    /** Go: exitsyscallfast. The old P if nobody took it, else an idle one. */
    private static boolean exitsyscallfast(M mp, P oldp) {
        if (oldp != null && oldp.status == _Psyscall && oldp.casStatus(_Psyscall, _Pidle)) {
            Proc.acquirep(mp, oldp); // Go: wirep
            return true;
        }
        if (sched.npidle.get() > 0) {
            P pp;
            sched.lock.lock();
            try {
                pp = Proc.pidleget();
            } finally {
                sched.lock.unlock();
            }
            if (pp != null) {
                Proc.acquirep(mp, pp);
                return true;
            }
        }
        return false;
    }

    /**
     * Go: exitsyscall0, on the M after the G yielded from exitsyscall without a P. The G becomes
     * runnable: run it here if an idle P turned up meanwhile, else queue it globally; the
     * scheduler loop then parks this M (or, for a locked G, waits for it: stoplockedm).
     */
    static Object exitsyscall0(M mp, G gp) {
        gp.casgstatus(_Gsyscall, _Grunnable);
        mp.curg = null;
        P pp;
        sched.lock.lock();
        try {
            pp = Proc.pidleget();
            if (pp == null) {
                sched.globrunqput(gp);
            }
        } finally {
            sched.lock.unlock();
        }
        if (pp != null) {
            Proc.acquirep(mp, pp);
            mp.inheritTime = false;
            return gp;
        }
        return null;
    }
}
