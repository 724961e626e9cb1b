package dev.gort.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A goroutine (Go: runtime/runtime2.go {@code type g}).
 *
 * <p>A G is a reusable record; its code runs in a continuation ({@link Cont}), which is one-shot: each run
 * of a goroutine gets a new one, while the G object itself is recycled through the per-P
 * and global dead-G lists ({@link Proc#gfput}, {@link Proc#gfget}). The continuation's body is
 * {@link #run}, which plays the part of Go's {@code goexit} frame: it runs the user function and
 * turns an escaping exception into a panic.
 *
 * <h2>Status (atomicstatus), as in Go</h2>
 * <pre>
 *  _Gidle     --malg-->          _Gdead       (allocated, published in allgs)
 *  _Gdead     --newproc1-->      _Grunnable   (on a run queue)
 *  _Grunnable --execute-->       _Grunning    (owned by an M, has a P)
 *  _Grunning  --park_m-->        _Gwaiting    (on some wait list; only goready makes it runnable)
 *  _Grunning  --gosched_m/-->    _Grunnable   (Gosched, preemption: global queue)
 *  _Grunning  --entersyscall-->  _Gsyscall    (owns its M, has given up its P)
 *  _Gsyscall  --exitsyscall-->   _Grunning    (got a P back) or _Grunnable (global queue)
 *  _Gwaiting  --ready-->         _Grunnable
 *  _Grunning  --goexit0-->       _Gdead       (on a free list)
 * </pre>
 * Every transition is a CAS ({@link #casgstatus}) naming the state it leaves, so a G can never be
 * readied twice or run twice: a waker that loses the race fails loudly instead of corrupting a queue.
 *
 * <h2>Who may touch what</h2>
 * Fields are owned by whoever owns the G in its current state: the running M while {@code _Grunning}
 * or {@code _Gsyscall}; the run queue's consumer while {@code _Grunnable}; the wait list's lock
 * holder while {@code _Gwaiting}. The status CAS publishes the fields to the next owner.
 */
final class G implements Runnable {
    // Go's status values (runtime2.go), kept numerically identical for dumps and schedtrace.
    static final int _Gidle = 0;
    static final int _Grunnable = 1;
    static final int _Grunning = 2;
    static final int _Gsyscall = 3;
    static final int _Gwaiting = 4;
    static final int _Gdead = 6;
    static final int _Gpreempted = 9;
    static final int _Gscan = 0x1000;

    static final String[] gStatusStrings = {
        "idle", "runnable", "running", "syscall", "waiting", "moribund_unused", "dead",
        "enqueue_unused", "copystack", "preempted"
    };

    /** Atomic; see the state table above. */
    volatile int atomicstatus;
    /** Goroutine id; written once per run before the G is published. */
    long goid;
    /** The goroutine's body; set by newproc1, cleared by goexit0. */
    Runnable fn;
    /** This run's continuation (a jdk.internal.vm.Continuation); set by newproc1, cleared by goexit0 (one-shot). */
    Object cont;
    /** The M this G is locked to (LockOSThread); written by the G on its M, read by schedulers. */
    volatile M lockedm;
    /**
     * Preemption request (Go: g.preempt plus the stackguard0 poison). Set by sysmon and
     * stop-the-world, cleared by the G's M; read by the G at its safe points. Changed only through
     * {@link #requestPreempt}/{@link #clearPreempt}, which keep {@link Linkname#preemptRequests}
     * equal to the number of Gs with the flag set, so {@code Go.checkpoint()} is one read while
     * nobody is asked to stop.
     */
    volatile boolean preempt;
    /** Why the G is waiting; index into {@link WaitReason}. Owned as above. */
    int waitreason;
    /** When the G started waiting (nanoTime), for the ", N minutes" in dumps; 0 if unknown. */
    long waitsince;
    /** True for runtime-internal goroutines, left out of numGoroutine and dumps (Go: isSystemGoroutine). */
    boolean system;
    /** The cached timer for Go.sleep (Go: g.timer); owned by the G. */
    Timer timer;
    /** The working arrays of this G's selects (Go: on its stack), made at its first select; owned by the G. */
    Selectgo.Scratch selScratch;

    /** The continuation body: Go's goexit frame around the goroutine's function. */
    @Override
    public void run() {
        Runnable f = fn;
        try {
            f.run();
        } catch (Goexit e) {
            // runtime.Goexit: finally blocks have run on the way here; the goroutine just ends.
            MainRun main = MainRun.of(this);
            if (main != null) {
                main.goexited = true;
            }
        } catch (Throwable t) {
            Panics.unrecovered(this, t);
        }
    }

    /** Keeps {@link #touch}'s loads alive; never read. */
    static int touchSink;

    /**
     * Loads the cache lines of gs[off .. off+n) together, as a software prefetch. A batch of Gs
     * that just moved between queues (a steal, a global batch, a free-list refill) is about to be
     * used one by one; with many goroutines alive those G objects are not in any cache, and using
     * them one at a time would stall on one memory miss per G. These loads are independent, so the
     * CPU overlaps their misses. Costs a few ns per G when they are cached.
     */
    static void touch(Object[] gs, int off, int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            if (gs[off + i] instanceof G gp) {
                s += gp.atomicstatus;
            }
        }
        touchSink = s;
    }

    /** Go: preemptone's {@code gp.preempt = true}. Returns whether this call set it. */
    boolean requestPreempt() {
        if (!preempt && PREEMPT.compareAndSet(this, false, true)) {
            PREEMPT_REQUESTS.getAndAdd(1);
            return true;
        }
        return false;
    }

    /** Clears a preemption request (the G reached a safe point, or starts a new slice). */
    void clearPreempt() {
        if (preempt && PREEMPT.compareAndSet(this, true, false)) {
            PREEMPT_REQUESTS.getAndAdd(-1);
        }
    }

    /** Go: casgstatus. The G must be in {@code oldval}; anything else is a runtime bug. */
    void casgstatus(int oldval, int newval) {
        while (!STATUS.compareAndSet(this, oldval, newval)) {
            int cur = atomicstatus;
            if (cur == (oldval | _Gscan) || cur == oldval) {
                // A dumper walking this G's stack, or sysmon handing off a stuck M's P, holds the
                // _Gscan bit briefly: wait, as Go's casgstatus does. cur == oldval: the holder
                // released it between our failed CAS and this read; just try again.
                Thread.onSpinWait();
                continue;
            }
            throw Proc.fatal("casgstatus: bad incoming values (goroutine " + goid + " status "
                    + statusString(cur) + ", expected " + statusString(oldval) + " -> " + statusString(newval) + ")");
        }
    }

    boolean tryCasgstatus(int oldval, int newval) {
        return STATUS.compareAndSet(this, oldval, newval);
    }

    int readgstatus() {
        return atomicstatus;
    }

    static String statusString(int s) {
        int base = s & ~_Gscan;
        String name = base >= 0 && base < gStatusStrings.length ? gStatusStrings[base] : "bad status " + base;
        return (s & _Gscan) != 0 ? "scan" + name : name;
    }

    /** Release store, used only on a dead G that its owner is about to publish (newproc). */
    void setStatusRelease(int s) {
        STATUS.setRelease(this, s);
    }

    /** Plain initial store, used only on a G nobody else can see yet. */
    void setStatusUnpublished(int s) {
        STATUS.set(this, s);
    }

    private static final VarHandle STATUS;
    private static final VarHandle PREEMPT;
    private static final VarHandle PREEMPT_REQUESTS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATUS = l.findVarHandle(G.class, "atomicstatus", int.class);
            PREEMPT = l.findVarHandle(G.class, "preempt", boolean.class);
            PREEMPT_REQUESTS = l.findStaticVarHandle(Linkname.class, "preemptRequests", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString() {
        return "goroutine " + goid + " [" + statusString(atomicstatus) + "]";
    }
}
