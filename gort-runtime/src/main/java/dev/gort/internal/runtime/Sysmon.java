package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.P._Pidle;
import static dev.gort.internal.runtime.P._Prunning;
import static dev.gort.internal.runtime.P._Psyscall;
import static dev.gort.internal.runtime.Sched.sched;

import java.util.concurrent.locks.LockSupport;

/**
 * sysmon (Go: proc.go {@code sysmon}, {@code retake}, {@code preemptone}): a daemon thread with no
 * P, named {@code gort-sysmon}, counted as an M (it has an M id and counts toward the thread limit)
 * but in {@code sched.nmsys}, so it never holds off deadlock detection.
 *
 * <h2>Loop (Go's timing)</h2>
 * Sleep 20 us while retake keeps finding work; after 50 idle rounds double the sleep, up to 10 ms.
 * When every P is idle and schedtrace is off, sleep on {@code sysmonnote} until the next timer (at
 * most 60 s); {@link Proc#pidleget} wakes it as soon as any P gets work again.
 *
 * <h2>Duties per round</h2>
 * <ol>
 *   <li>Overdue timers (Gort's addition; Go leaves timers to Ps): a timer more than 1 ms late is
 *       run from here, so a P stuck in one goroutine does not hold its timers back.</li>
 *   <li>Goroutines put on retaken Ps since their hand-off go to the global queue
 *       ({@link Proc#sweepRetaken}).</li>
 *   <li>{@link #retake}: a P whose slice (schedtick) is 10 ms old gets a preemption request; a P
 *       in the same syscall for two observations is taken and handed off (with Go's exception
 *       for a P without work while others are idle or spinning, bounded by 10 ms); a P whose
 *       goroutine ignored the request for another sysmon round and {@link #HANDOFF_GRACE_NS},
 *       still on the same M without a single switch, is handed off the same way
 *       ({@link Proc#retakeRunning}).</li>
 *   <li>schedtrace ({@code GODEBUG=schedtrace=MS}).</li>
 * </ol>
 * Fields of P named {@code sysmon*} are written only here.
 */
final class Sysmon extends Thread {
    /** Go: forcePreemptNS, the time slice. */
    static final long FORCE_PREEMPT_NS = 10_000_000L;
    /** Go: forcegcperiod / 2, the longest deep sleep. */
    static final long MAX_DEEP_SLEEP_NS = 60_000_000_000L;
    /**
     * How long a goroutine may ignore a preemption request before its P is handed off: "another
     * sysmon slice", at least one more sysmon round. A goroutine that reaches safe points (the
     * agent's checkpoints, any runtime call) answers within microseconds; one that does not is in
     * a loop without them or its thread is blocked, and waiting a whole 10 ms more would only
     * double Go's latency. Short enough that the hand-off lands ~12 ms into a hog's slice, long
     * enough that a goroutine between two runtime calls rarely loses its P for nothing.
     */
    static final long HANDOFF_GRACE_NS = 2_000_000L;
    /** How late a timer must be before sysmon runs it itself. */
    static final long OVERDUE_TIMER_NS = 1_000_000L;

    private static volatile Sysmon instance;
    /** The next time a running P's slice or ignored request expires, or 0; sysmon only. */
    private static long nextDeadline;

    private final long mid;
    private final boolean[] ran = new boolean[1];
    private long starttime;
    private long lasttrace;

    private Sysmon(long mid) {
        super(null, null, "gort-sysmon", 0, false);
        this.mid = mid;
        setDaemon(true);
    }

    /** Go: newm(sysmon, nil, -1) in runtime.main. Called once, by schedinit. */
    static void startSysmon() {
        int id;
        sched.lock.lock();
        try {
            id = Proc.mReserveID();
            sched.nmsys++;
        } finally {
            sched.lock.unlock();
        }
        Sysmon s = new Sysmon(id);
        instance = s;
        if (Trace.on()) {
            Trace.threadStart(id, s.getName(), null, false);
        }
        s.start();
    }

    static long id() {
        Sysmon s = instance;
        return s != null ? s.mid : -1;
    }

    /** Wakes sysmon from its deep sleep (Go: notewakeup(&sched.sysmonnote)). */
    static void wake() {
        sched.lock.lock();
        try {
            if (sched.sysmonwait) {
                sched.sysmonwait = false;
                sched.sysmonnote.wakeup();
            }
        } finally {
            sched.lock.unlock();
        }
    }

    @Override
    public void run() {
        sched.lock.lock();
        try {
            Proc.checkdead();
        } finally {
            sched.lock.unlock();
        }
        int idle = 0;
        for (;;) {
            try {
                idle = round(idle);
            } catch (Throwable t) {
                // A sysmon that dies silently leaves hogs and syscalls holding their Ps forever:
                // crash loudly instead, as Go's throw would.
                throw Proc.fatal("sysmon: " + t);
            }
        }
    }

    /** Microseconds the last round slept; sysmon only. */
    private long delay;

    /** One sysmon round; returns the new idle count. */
    private int round(int idle) {
        if (idle == 0) {
            delay = 20;
        } else if (idle > 50) {
            delay *= 2;
        }
        if (delay > 10_000) {
            delay = 10_000;
        }
        long sleep = delay * 1000;
        long dl = nextDeadline;
        if (dl != 0) {
            // Wake when a slice ends, not up to a whole back-off period later: Go's signals
            // preempt within ~10-20 ms; the hand-off here must not add another 10 ms of slop.
            sleep = Math.max(20_000, Math.min(sleep, dl - Proc.nanotime()));
        }
        LockSupport.parkNanos(sleep);
        long now = Proc.nanotime();
        if (Env.schedtrace <= 0 && sched.npidle.get() == Proc.gomaxprocs && !sched.gcwaiting
                && sched.retaken == null) { // a stuck M may still queue work on its old P: keep sweeping
            if (deepSleep(now)) {
                idle = 0;
                delay = 20;
            }
            now = Proc.nanotime();
        }
        pollNetwork(now);
        runOverdueTimers(now);
        Proc.sweepRetaken();
        if (retake(now) != 0) {
            idle = 0;
        } else {
            idle++;
        }
        if (Env.schedtrace > 0 && (starttime == 0 || lasttrace + Env.schedtrace * 1_000_000L <= now)) {
            if (starttime == 0) {
                starttime = now;
            }
            lasttrace = now;
            SchedTrace.print((now - starttime) / 1_000_000, Env.scheddetail > 0);
        }
        return idle;
    }

    /**
     * Every P is idle: sleep until the next timer or until a P gets work. Unlike Go, not while a
     * stop-the-world waits: here sysmon is what stops a goroutine that never reaches a safe point.
     * Returns whether it was woken (rather than timing out).
     */
    private boolean deepSleep(long now) {
        sched.lock.lock();
        if (sched.npidle.get() != Proc.gomaxprocs || sched.gcwaiting || sched.retaken != null) {
            sched.lock.unlock();
            return false;
        }
        long next = timeSleepUntil();
        long sleep = MAX_DEEP_SLEEP_NS;
        if (next != 0) {
            if (next <= now) {
                sched.lock.unlock();
                return false;
            }
            sleep = Math.min(sleep, next - now);
        }
        sched.sysmonwait = true;
        sched.lock.unlock();
        boolean woken = sched.sysmonnote.tsleep(sleep);
        sched.lock.lock();
        sched.sysmonwait = false;
        sched.sysmonnote.clear();
        sched.lock.unlock();
        return woken;
    }

    /** Go: timeSleepUntil. The earliest timer of all Ps, or 0. */
    private static long timeSleepUntil() {
        long next = 0;
        for (P pp : Proc.allp) {
            next = Proc.minWhen(next, pp.timers.minWhen);
        }
        return next;
    }

    /**
     * Go: sysmon's "poll network if not polled for more than 10ms": goroutines whose sockets
     * became ready while every M was busy running others.
     */
    private static void pollNetwork(long now) {
        long lp = sched.lastpoll.get();
        if (!Netpoller.inited() || lp == 0 || lp + 10_000_000L >= now || sched.netpollWaiters.get() <= 0) {
            return;
        }
        if (!sched.lastpoll.compareAndSet(lp, now)) {
            return;
        }
        // Pretend one more M runs from before the poll until the goroutines are injected: the poll
        // already counts them out of netpollWaiters while they are still _Gwaiting, and an M going
        // idle in between must not find "nothing can run" (Go: incidlelocked around injectglist,
        // and netpollAdjustWaiters only after it).
        Proc.incidlelocked(-1);
        try {
            Netpoller.GList list = Netpoller.pollNonBlocking();
            if (list != null) {
                Netpoller.injectglist(list, null);
            }
        } finally {
            Proc.incidlelocked(1);
        }
    }

    /**
     * Runs the overdue timers of a P whose M has not switched goroutines for a whole sysmon round
     * (stuck in one goroutine, or in a syscall, or no M at all). A P whose M is switching runs its
     * timers itself at its next schedule, readying their goroutines into its own runnext and run
     * queue as Go does; sysmon has no P, so what it readies goes to the global queue, and under
     * overload running every late timer there turned the whole backlog into one FIFO (median
     * lateness of the timers benchmark 200+ ms against Go's 10).
     */
    private void runOverdueTimers(long now) {
        for (P pp : Proc.allp) {
            long w = pp.timers.minWhen;
            if (w != 0 && now - w > OVERDUE_TIMER_NS) {
                M mp = pp.m;
                if (pp.status == _Prunning && mp != null) {
                    int sw = mp.nswitch;
                    if (pp.sysmonTimerM != mp || pp.sysmonTimerSwitch != sw) {
                        pp.sysmonTimerM = mp; // look again next round
                        pp.sysmonTimerSwitch = sw;
                        continue;
                    }
                }
                ran[0] = false;
                pp.timers.check(now, ran);
            }
        }
    }

    /**
     * Go: retake. Returns the number of Ps taken from syscalls or stuck Ms (preemption requests
     * alone do not count, as in Go).
     */
    static int retake(long now) {
        int n = 0;
        long deadline = 0;
        for (P pp : Proc.allp) {
            int s = pp.status;
            boolean sysretake = false;
            if (s == _Prunning || s == _Psyscall) {
                // The slice: one goroutine, or a runnext chain sharing one schedtick.
                int t = pp.schedtick;
                if (pp.sysmonSchedtick != t) {
                    pp.sysmonSchedtick = t;
                    pp.sysmonSchedwhen = now;
                    pp.sysmonPreemptWhen = 0;
                } else if (pp.sysmonSchedwhen + FORCE_PREEMPT_NS <= now) {
                    if (s == _Prunning && preemptone(pp, now)) {
                        n++;
                    }
                    sysretake = true; // a syscall P cannot be preempted: check the retake now
                }
                if (s == _Prunning) {
                    long when = pp.sysmonPreemptWhen != 0
                            ? pp.sysmonPreemptWhen + HANDOFF_GRACE_NS
                            : pp.sysmonSchedwhen + FORCE_PREEMPT_NS;
                    deadline = Proc.minWhen(deadline, when);
                }
            }
            if (s == _Psyscall) {
                int t = pp.syscalltick;
                if (!sysretake && pp.sysmonSyscalltick != t) {
                    pp.sysmonSyscalltick = t;
                    pp.sysmonSyscallwhen = now;
                    continue;
                }
                // Do not take a P that has no work while others could pick work up, unless it
                // has sat in this syscall for 10 ms (Go: it would keep sysmon from deep sleep).
                if (pp.runqempty() && sched.nmspinning.get() + sched.npidle.get() > 0
                        && pp.sysmonSyscallwhen + FORCE_PREEMPT_NS > now) {
                    continue;
                }
                // Pretend one more M runs while we hold the P: the M we take it from may exit its
                // syscall, go idle and run checkdead before handoffp starts another M.
                Proc.incidlelocked(-1);
                if (pp.casStatus(_Psyscall, _Pidle)) {
                    n++;
                    pp.syscalltick = pp.syscalltick + 1;
                    sched.nhandoff.incrementAndGet();
                    if (Trace.on()) {
                        Trace.syscallRetaken(pp);
                    }
                    Proc.handoffp(pp);
                }
                Proc.incidlelocked(1);
            }
        }
        nextDeadline = deadline;
        return n;
    }

    /**
     * Go: preemptone, plus the hand-off when the request is ignored. The first time a slice is
     * over, ask its goroutine to yield at its next safe point. If 2 ms later the same M has not
     * switched goroutines even once, the goroutine is not reaching safe points (a loop without
     * calls into Gort, or its thread is blocked outside Gort): hand its P to another M. Returns
     * whether the P was handed off.
     */
    private static boolean preemptone(P pp, long now) {
        M mp = pp.m;
        if (mp == null) {
            return false;
        }
        G gp = mp.curg;
        if (gp == null) {
            return false; // the M is in scheduler code or a syscall: nothing to preempt
        }
        int sw = mp.nswitch;
        if (pp.sysmonPreemptWhen == 0 || pp.sysmonPreemptM != mp || pp.sysmonPreemptSwitch != sw) {
            gp.requestPreempt();
            if (Trace.on()) {
                Trace.preemptRequest(pp, gp);
            }
            pp.sysmonPreemptWhen = now;
            pp.sysmonPreemptM = mp;
            pp.sysmonPreemptSwitch = sw;
            return false;
        }
        if (pp.sysmonPreemptWhen + HANDOFF_GRACE_NS > now) {
            return false;
        }
        pp.sysmonPreemptWhen = 0;
        pp.sysmonPreemptM = null;
        return Proc.retakeRunning(pp, mp, gp, sw);
    }
}
