package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.G._Gdead;
import static dev.gort.internal.runtime.G._Gidle;
import static dev.gort.internal.runtime.G._Grunnable;
import static dev.gort.internal.runtime.G._Grunning;
import static dev.gort.internal.runtime.G._Gscan;
import static dev.gort.internal.runtime.G._Gsyscall;
import static dev.gort.internal.runtime.G._Gwaiting;
import static dev.gort.internal.runtime.P._Pdead;
import static dev.gort.internal.runtime.P._Pgcstop;
import static dev.gort.internal.runtime.P._Pidle;
import static dev.gort.internal.runtime.P._Prunning;
import static dev.gort.internal.runtime.P._Psyscall;
import static dev.gort.internal.runtime.Sched.sched;

import java.util.Arrays;

/**
 * The scheduler (Go: runtime/proc.go). Hold proc.go beside this file: the names are Go's.
 *
 * <h2>Model</h2>
 * G is a goroutine, a continuation ({@link Cont}) plus bookkeeping. M is a worker thread. P is a logical
 * processor: the right to run Go code, with a local run queue. An M must hold a P to run a G;
 * there are exactly GOMAXPROCS Ps, so at most that many goroutines run at once. The M runs the
 * scheduler loop ({@link #schedule}) on its own thread stack (Go's g0) and mounts a G's
 * continuation to run it; when the G yields, control comes back to the loop, which finishes what
 * the G asked for (Go's {@code mcall}: park, Gosched, exit) — after the G's stack is no longer
 * running, which is what makes {@link #gopark}'s unlock function safe.
 *
 * <h2>Where work is found ({@link #findRunnable}, Go's order)</h2>
 * <ol>
 *   <li>every 61st new time slice, one G from the global queue (fairness; Go's FIFO part first,
 *       see {@link Sched});</li>
 *   <li>the local queue: runnext first (inherits the time slice), then the ring;</li>
 *   <li>a batch of {@code min(n, n/GOMAXPROCS+1, 128)} from the global queue (spilled goroutines
 *       that have run first, see {@link Sched});</li>
 *   <li>netpoll, non-blocking, when some goroutine waits on a socket;</li>
 *   <li>stealing: 4 rounds over all Ps in random order taking half of a victim's ring; runnext
 *       (and, later, timers) only in the last round, after a 3 us back-off;</li>
 *   <li>otherwise drop the P, re-check everything (below), and park the M.</li>
 * </ol>
 *
 * <h2>Spinning: waking threads without losing wake-ups or storming</h2>
 * Go's rule: when work is submitted (newproc, ready), wake an M only if there is an idle P and no M
 * is spinning ({@link #wakep}). An M is spinning while it holds a P and looks for work; at most
 * half the busy Ps spin ({@code 2*nmspinning < gomaxprocs-npidle}). Two protocols close the races:
 * <ul>
 *   <li>Submitter: (1) publish the G, (2) StoreLoad, (3) read nmspinning (wakep).
 *       Spinner retiring: (1) decrement nmspinning, (2) StoreLoad, (3) re-check all run queues and
 *       the global queue. One of the two sees the other: no G sits in a queue while Ps idle.</li>
 *   <li>A submitter that finds no idle P sets {@code needspinning}; an M about to drop its P sees
 *       it under sched.lock and spins instead. This closes "work found, last P going idle".</li>
 *   <li>The last spinner to find work wakes a replacement ({@link #resetspinning}).</li>
 * </ul>
 * The atomics used (AtomicInteger, volatile) are sequentially consistent, which gives the StoreLoad
 * steps above.
 *
 * <h2>Stop the world</h2>
 * {@link #stopTheWorld} sets {@code sched.gcwaiting}; every M notices at its next trip through
 * findRunnable and parks with its P in {@code _Pgcstop}; idle Ps are collected directly. With the
 * world stopped, {@link #procresize} changes the number of Ps (GOMAXPROCS), moving the Gs of
 * removed Ps to the global queue; {@link #startTheWorld} hands Ps with work to Ms.
 *
 * <p>Order of declarations: globals; start-up; creation (newproc); park/ready; the M loop
 * (schedule, execute, the mcall handlers); findRunnable and stealing; Ms and Ps (wakep, startm,
 * stopm, acquirep, idle lists); dead-G cache; stop the world and procresize; fatal.
 */
public final class Proc {
    private Proc() {}

    // What a G asks its M to do once it has yielded (Go: the function passed to mcall).
    static final int MCALL_NONE = 0;
    static final int MCALL_PARK = 1; // park_m
    static final int MCALL_GOSCHED = 2; // gosched_m: global queue
    static final int MCALL_GOYIELD = 3; // goyield_m: local queue tail
    static final int MCALL_PREEMPT = 4; // gopreempt_m: global queue, counts as a preemption
    static final int MCALL_EXITSYSCALL = 5; // exitsyscall0: no P to come back to

    /** Go's gopark unlock function: returns false to abort the park and resume the G at once. */
    @FunctionalInterface
    interface Unlockf {
        boolean unlock(G gp, Object lock);
    }

    /** goparkunlock's unlock function: releases a runtime {@link Lock}. */
    static final Unlockf PARKUNLOCK = (gp, l) -> {
        ((Lock) l).unlock();
        return true;
    };

    // ---- globals (Go: allp, gomaxprocs, allgs, stealOrder, idlepMask)

    /** All Ps; replaced (never mutated in place) by procresize with the world stopped. */
    static volatile P[] allp = new P[0];
    /** Every P ever made, so a shrink followed by a grow reuses them, as Go does. Under sched.lock. */
    private static P[] allpBacking = new P[0];
    /** The number of Ps; written by procresize with the world stopped. */
    static volatile int gomaxprocs;
    /** One bit per P: set while the P is on the idle list. Replaced by procresize. */
    static volatile PMask idlepMask = new PMask(0);
    /** Random victim order for stealing; replaced by procresize. */
    static volatile RandomOrder stealOrder = new RandomOrder(1);
    /** Serializes stop-the-world (Go: worldsema). Parks goroutines, blocks plain threads. */
    static final Sema worldsema = new Sema(1);

    /** Every G ever allocated, dead ones included (Go: allgs); protected by allglock. */
    private static G[] allgs = new G[256];
    static volatile int allglen;
    static final Lock allglock = new Lock();

    /** Test hook: the ring size new Ps get (Go tests shrink nothing; tokio shrinks to 4 under loom). */
    static int runqSizeForNewP = P.RUNQ_SIZE;

    private static volatile boolean started;

    // ---------------------------------------------------------------- start-up

    /** Starts the runtime on first use (library mode: no main goroutine needed). */
    static void ensureStarted() {
        if (!started) {
            schedinit();
        }
    }

    private static synchronized void schedinit() {
        if (started) {
            return;
        }
        Cont.check();
        Env.init();
        Trace.init();
        sched.lock.lock();
        try {
            P runnable = procresize(Env.gomaxprocs);
            if (runnable != null) {
                throw fatal("unknown runnable goroutine during bootstrap");
            }
        } finally {
            sched.lock.unlock();
        }
        started = true;
        Sysmon.startSysmon();
        SchedMXBean.start();
    }

    // ---------------------------------------------------------------- getg

    /**
     * The thread running this code right now. Runtime code on a goroutine must use this, never
     * {@code Thread.currentThread()} directly. Why: C2 compiles {@code Thread.currentThread()} as a
     * value that cannot change within a compiled method (true for virtual threads, whose identity
     * survives a yield), but a goroutine's continuation may resume on another M. Inlined into a loop
     * that parks, a read from before the yield would be reused after it and name an M the goroutine
     * has left (the test MigrationProg catches this).
     *
     * <p>So this must be a real call, never inlined, and cheap. C2 does not inline a method whose
     * bytecode is larger than FreqInlineSize (325 bytes), and C1 one larger than 35; the dead
     * branch below only makes the method that large. A call through a non-constant method handle
     * would also work but costs several times more.
     */
    static Thread carrier() {
        if (neverTrue) {
            // 80 array stores: about 480 bytes of bytecode, more than FreqInlineSize.
            padding += java.util.Arrays.hashCode(new int[] {
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
                40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
                60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79});
        }
        return Thread.currentThread();
    }

    /** Never set; not final, so javac and the JIT keep carrier()'s padding branch. */
    @SuppressWarnings("FieldMayBeFinal")
    private static boolean neverTrue = false;

    private static int padding;

    /** The current M, or null on a plain Java thread. */
    static M getm() {
        return carrier() instanceof M mp ? mp : null;
    }

    /** The current goroutine, or null on a plain thread or in an M's scheduler code (Go's g0). */
    static G getg() {
        return carrier() instanceof M mp ? mp.curg : null;
    }

    // ---------------------------------------------------------------- time

    private static final long START = System.nanoTime();

    /**
     * Go: nanotime. Monotonic nanoseconds since the runtime's start (plus 1, so 0 can mean "none"
     * in timer fields, as in Go). Fits a long for 292 years.
     */
    static long nanotime() {
        return System.nanoTime() - START + 1;
    }

    /** now + ns, saturating at Long.MAX_VALUE (Go: maxWhen) instead of overflowing. */
    static long whenAfter(long ns) {
        long now = nanotime();
        return ns > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ns;
    }

    /** The timer function of Go.sleep (Go: goroutineReady). */
    static final Timer.Func GOROUTINE_READY = (arg, seq, delay) -> goready((G) arg);

    /** Arms the sleep timer once the goroutine has parked (Go: resetForSleep). */
    private static final Unlockf RESET_FOR_SLEEP = (gp, l) -> {
        gp.timer.reset(((M) carrier()).sleepWhen, 0); // run by the M gp just left
        return true;
    };

    /**
     * Go: time.Sleep (timeSleep). Parks the goroutine until ns have passed; the timer is armed
     * only after the goroutine has parked, so even a very short one cannot fire first. ns <= 0
     * returns at once, without yielding. A plain thread sleeps itself.
     */
    static void sleep(long ns) {
        if (ns <= 0) {
            return;
        }
        G gp = getg();
        if (gp == null) {
            long deadline = whenAfter(ns);
            boolean interrupted = false;
            for (long left; (left = deadline - nanotime()) > 0; ) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        if (gp.timer == null) {
            Timer t = new Timer(GOROUTINE_READY, null, null);
            t.arg = gp;
            gp.timer = t;
        }
        M mp = (M) carrier();
        mp.sleepWhen = whenAfter(ns);
        gopark(mp, RESET_FOR_SLEEP, null, WaitReason.Sleep);
    }

    /** Go: netpollBreak. Wakes the M sleeping as the poller, so it recomputes its deadline. */
    static void netpollBreak() {
        sched.pollGen.incrementAndGet();
        Netpoller.wakeup();
        Thread t = sched.pollerThread;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    // ---------------------------------------------------------------- creation

    /**
     * Go: newproc / newproc1. Creates a goroutine running {@code fn} and puts it in the current P's
     * runnext (so it runs soon, in the creator's time slice), kicking the old runnext to the ring;
     * from a plain thread, on the global queue. Then wakes an M if a P is idle.
     *
     * <p>Deviation from Go: an ordinary goroutine is queued as its bare function, and becomes a G
     * (from the running M's own dead-G cache, with the next goid) when an M first runs it
     * ({@link #materialize}). Why: with many goroutines queued, a G per queued goroutine means a
     * cold G object written by the creating core and read by another one, and a GC barrier on
     * each reference stored into a recycled G; the bare function costs one queue slot. Everything
     * the scheduler does with queue entries is unchanged. Such goroutines are counted by
     * numGoroutine; dumps cannot list them (they have no id or stack yet) and say how many there
     * are. The main goroutine and runtime goroutines get their G at once.
     */
    static void newproc(Runnable fn, boolean system) {
        if (system) {
            newproc(fn, true, null);
            return;
        }
        ensureStarted();
        M mp = getmPreemptible(); // a safe point, as Go's newproc prologue is
        P pp = mp != null ? mp.p : null;
        if (pp != null && pp.m == mp) {
            P.PENDINGCREATED.setOpaque(pp, pp.pendingCreated + 1); // owner-only writer
            P.NGDELTA.setOpaque(pp, pp.ngdelta + 1);
            pp.runqput(fn, true);
        } else {
            sched.pendingCreated.incrementAndGet();
            sched.ngdelta.incrementAndGet();
            sched.lock.lock();
            try {
                sched.globrunqput(fn);
            } finally {
                sched.lock.unlock();
            }
        }
        if (Trace.on()) {
            Trace.goCreate(mp, fn, 0);
        }
        wakep();
    }

    /** newproc with a G made at once: the main goroutine of a Go.main call, runtime goroutines. */
    static G newproc(Runnable fn, boolean system, MainRun main) {
        ensureStarted();
        M mp = getm();
        P pp = mp != null ? mp.p : null;
        if (pp != null && pp.m != mp) {
            pp = null; // the M is in a syscall and its P may be gone: treat like a plain thread
        }
        G newg = newg(pp, fn);
        if (pp != null) {
            P.NGDELTA.setOpaque(pp, pp.ngdelta + 1); // owner-only writer
        } else {
            sched.ngdelta.incrementAndGet();
        }
        if (system) {
            newg.system = true;
            sched.ngsys.incrementAndGet();
        }
        if (main != null) {
            main.g = newg; // before the G is published below
        }
        // Dead -> runnable. A dead G is reachable only by its owner (it came off our free list or
        // was just made) and dumps skip dead Gs, so a release store does what Go's CAS does here.
        newg.setStatusRelease(_Grunnable);
        if (Trace.on()) {
            Trace.goCreate(mp, fn, newg.goid);
        }
        if (pp != null) {
            pp.runqput(newg, true);
        } else {
            sched.lock.lock();
            try {
                sched.globrunqput(newg);
            } finally {
                sched.lock.unlock();
            }
        }
        wakep();
        return newg;
    }

    /** Go: the first half of newproc1. A dead G, from pp's cache or new, set up to run fn. */
    private static G newg(P pp, Runnable fn) {
        G newg = gfget(pp);
        if (newg == null) {
            newg = malg();
        }
        newg.fn = fn;
        // The continuation is made by execute when the G first runs.
        newg.goid = newgoid(pp);
        return newg;
    }

    /**
     * Gives a not-yet-started goroutine (a bare function taken from a run queue) its G, on the M
     * about to run it. The G comes from this P's dead-G cache: usually the one the previous
     * goroutine on this M just left, still in this core's cache.
     */
    private static G materialize(M mp, Runnable fn) {
        P pp = mp.p;
        G gp = newg(pp, fn);
        gp.setStatusRelease(_Grunnable);
        P.PENDINGSTARTED.setOpaque(pp, pp.pendingStarted + 1); // owner-only writer
        return gp;
    }

    /** Go: malg + allgadd. A fresh G, published in allgs as _Gdead. */
    private static G malg() {
        G gp = new G();
        gp.setStatusUnpublished(_Gidle);
        gp.casgstatus(_Gidle, _Gdead);
        allglock.lock();
        try {
            int n = allglen;
            if (n == allgs.length) {
                allgs = Arrays.copyOf(allgs, n * 2);
            }
            allgs[n] = gp;
            allglen = n + 1;
        } finally {
            allglock.unlock();
        }
        return gp;
    }

    /** A snapshot of allgs (Go: forEachG). */
    static G[] allgsSnapshot() {
        allglock.lock();
        try {
            return Arrays.copyOf(allgs, allglen);
        } finally {
            allglock.unlock();
        }
    }

    /** Goroutine ids come from per-P batches of 16 (Go: _GoidCacheBatch). */
    private static long newgoid(P pp) {
        if (pp == null) {
            return sched.goidgen.incrementAndGet();
        }
        if (pp.goidcache == pp.goidcacheend) {
            long end = sched.goidgen.addAndGet(16);
            pp.goidcache = end - 16 + 1;
            pp.goidcacheend = end + 1;
        }
        return pp.goidcache++;
    }

    // ---------------------------------------------------------------- park / ready

    /**
     * Go: gopark. Puts the current goroutine into a waiting state and runs {@code unlockf(gp, lock)}
     * on the M after the goroutine has yielded; if it returns false the goroutine resumes at once.
     * The standard use: take a lock, put the G on a wait list, gopark(PARKUNLOCK, lock, reason) — a
     * waker that takes the lock is then sure the G is parked, never half parked. May resume on a
     * different M. Must be called on a goroutine.
     */
    static void gopark(Unlockf unlockf, Object lock, int reason) {
        gopark((M) carrier(), unlockf, lock, reason);
    }

    /**
     * gopark for a caller that already has the current M: it must have read it since its last
     * yield (an M read before a park is stale after it).
     */
    static void gopark(M mp, Unlockf unlockf, Object lock, int reason) {
        G gp = mp.curg;
        gp.waitreason = reason;
        if (Trace.on()) {
            Trace.goPark(gp); // the wait begins now, not after the yield (a cold yield takes ms)
        }
        // One call, not three field stores: gopark's bytecode stays within C2's MaxInlineSize
        // (35 bytes) with the trace hook in it, so it inlines into every caller and a park
        // freezes and thaws one frame fewer (the hook had cost ping-pong ~2 %: traceoff.sh).
        mp.parkRequest(unlockf, lock);
        Cont.yield();
    }

    /** Go: goready / ready. Makes a waiting G runnable in the caller's runnext; wakes an M if needed. */
    static void goready(G gp) {
        ready(gp, true);
    }

    static void ready(G gp, boolean next) {
        ready(gp, next, getm());
    }

    /** goready for a caller that already has the current M (or null on a plain thread). */
    static void goready(G gp, M mp) {
        ready(gp, true, mp);
    }

    static void ready(G gp, boolean next, M mp) {
        gp.casgstatus(_Gwaiting, _Grunnable);
        if (Trace.on()) {
            Trace.goUnblock(mp, gp);
        }
        P pp = mp != null ? mp.p : null;
        if (pp != null && pp.m == mp) {
            pp.runqput(gp, next);
        } else {
            // A plain thread (or an M without a P) has no local queue: the global queue it is.
            sched.lock.lock();
            try {
                sched.globrunqput(gp);
            } finally {
                sched.lock.unlock();
            }
        }
        wakep();
    }

    /** Go: Gosched. The current G goes to the tail of the global queue. */
    static void gosched() {
        M mp = (M) carrier();
        mp.mcallop = MCALL_GOSCHED;
        Cont.yield();
    }

    /** Go: goyield. The current G goes to the tail of the local queue (semaphore hand-off). */
    static void goyield() {
        M mp = (M) carrier();
        mp.mcallop = MCALL_GOYIELD;
        Cont.yield();
    }

    /** A preemption point (Go: the stack-guard check in a function prologue). */
    static void checkpoint() {
        if (carrier() instanceof M mp) {
            G gp = mp.curg;
            if (gp != null && gp.preempt) {
                preemptPark(mp, gp);
            }
        }
    }

    /**
     * Go: gopreempt_m, reached from a safe point that found {@code gp.preempt}: the G goes to the
     * global queue's tail. Runtime calls check the flag on entry (before they read anything they
     * keep across a park): {@code if (gp.preempt) preemptPark(mp, gp)}; mp is stale afterwards.
     */
    static void preemptPark(M mp, G gp) {
        gp.clearPreempt();
        mp.mcallop = MCALL_PREEMPT;
        if (Cont.tryYield()) {
            sched.npreempt.incrementAndGet();
        } else {
            // Pinned, e.g. in code a class initialiser runs (the agent puts checkpoints there
            // too): run on. The request is dropped, not kept, so a pinned loop does not fail a
            // yield at every iteration; sysmon or the stopper asks again (and sysmon hands the P
            // off if the goroutine stays there).
            mp.mcallop = MCALL_NONE;
        }
    }

    /** The current M after a preemption check (see preemptPark), or null on a plain thread. */
    static M getmPreemptible() {
        M mp = getm();
        if (mp != null) {
            G gp = mp.curg;
            if (gp != null && gp.preempt) {
                preemptPark(mp, gp);
                mp = (M) carrier();
            }
        }
        return mp;
    }

    /** Go: Goexit. Unwinds the current goroutine (finally blocks run). */
    static Goexit goexit() {
        return new Goexit();
    }

    // ---------------------------------------------------------------- the M loop

    /** The body of every M thread (Go: mstart / mstart1). */
    static void mstart(M mp) {
        P pp = mp.nextp;
        if (pp != null) {
            mp.nextp = null;
            acquirep(mp, pp);
        }
        schedule(mp);
    }

    /**
     * Go: schedule. One round of scheduling per iteration: find a runnable G, run it, and do what it
     * asked when it yields. Never returns.
     */
    private static void schedule(M mp) {
        Object x = null;
        for (;;) {
            if (mp.exiting) {
                return; // mexit: a goroutine ended locked to this thread; the thread ends too
            }
            if (x == null) {
                G locked = mp.lockedg;
                if (locked != null) {
                    // Go: schedule's "if mp.lockedg != 0 { stoplockedm(); execute(mp.lockedg) }":
                    // a locked M runs nothing but its G.
                    stoplockedm(mp);
                    execute(mp, locked, false);
                    x = runG(mp, locked);
                    continue;
                }
                if (mp.p == null) {
                    // The M lost its P (exitsyscall0, or sysmon gave it away while a goroutine
                    // held this thread): an idle P, or sleep until one is handed over.
                    mPickP(mp);
                }
                P pp = mp.p;
                if (mp.spinning && pp != null && !pp.runqempty()) {
                    throw fatal("schedule: spinning with local work");
                }
                x = findRunnable(mp); // blocks until work is available
                // This M is about to run a G: if it was spinning, let another M spin.
                if (mp.spinning) {
                    resetspinning(mp);
                }
            }
            boolean inheritTime = mp.inheritTime;
            G gp = x instanceof G g ? g : materialize(mp, (Runnable) x);
            M lm = gp.lockedm;
            if (lm != null && lm != mp) {
                // Go: startlockedm. gp runs only on its own M: hand it our P, and sleep.
                startlockedm(mp, gp, lm);
                x = null;
                continue;
            }
            if (mp.lockedg != null && gp != mp.lockedg) {
                // Only when a shortcut returned the next G to a locked M: queue it for others.
                requeue(mp, gp);
                x = null;
                continue;
            }
            execute(mp, gp, inheritTime);
            x = runG(mp, gp); // what to run next without a findRunnable, if anything
        }
    }

    /**
     * Go: execute. Makes gp the M's current G. A G from runnext inherits the time slice: schedtick
     * only counts new slices, so sysmon preempts a runnext chain as a unit.
     */
    private static void execute(M mp, G gp, boolean inheritTime) {
        // The running continuation is kept in the M, and stored into the G only if the G yields
        // (runG). Why: a recycled G is usually an old-generation object, and storing a reference
        // to a young continuation into it costs a GC card-marking barrier and later refinement;
        // a goroutine that runs to completion without parking then never pays it.
        Object c = gp.cont;
        mp.curcont = c != null ? c : Cont.make(gp);
        mp.curg = gp;
        gp.casgstatus(_Grunnable, _Grunning);
        if (gp.waitsince != 0) {
            gp.waitsince = 0;
        }
        if (gp.preempt) {
            gp.clearPreempt();
        }
        if (!inheritTime) {
            P pp = mp.p;
            pp.schedtick = pp.schedtick + 1; // owner-only writer
        }
        if (Trace.on()) {
            Trace.goStart(mp, gp);
        }
    }

    /**
     * Runs gp's continuation until it yields or ends (Go: gogo), then completes the G's request on
     * the M (Go: the mcall'd function). Returns what to run next without going through
     * findRunnable (setting {@code mp.inheritTime}), or null.
     */
    private static Object runG(M mp, G gp) {
        mp.mcallop = MCALL_NONE;
        Object c = mp.curcont;
        Cont.run(c);
        mp.curcont = null;
        M.NSWITCH.setOpaque(mp, mp.nswitch + 1);
        if (Trace.on()) {
            Trace.goStop(mp, gp, Cont.isDone(c), mp.mcallop);
        }
        if (Cont.isDone(c)) {
            goexit0(mp, gp);
            return null;
        }
        if (gp.cont != c) {
            gp.cont = c; // it yielded: the G must carry its continuation until it runs again
        }
        switch (mp.mcallop) {
            case MCALL_PARK:
                return park_m(mp, gp);
            case MCALL_GOSCHED:
            case MCALL_PREEMPT:
                return goschedImpl(mp, gp);
            case MCALL_GOYIELD:
                goyield_m(mp, gp);
                return null;
            case MCALL_EXITSYSCALL:
                return Syscall.exitsyscall0(mp, gp);
            default:
                throw fatal("goroutine " + gp.goid + " yielded without asking the scheduler anything");
        }
    }

    /** Go: dropg. Unlinks the M and its current G. */
    private static void dropg(M mp, G gp) {
        mp.curg = null;
    }

    /** Go: park_m. The G has yielded: mark it waiting, then run the unlock function. */
    private static G park_m(M mp, G gp) {
        gp.casgstatus(_Grunning, _Gwaiting);
        checkRetaken(mp);
        dropg(mp, gp);
        Unlockf fn = mp.waitunlockf;
        if (fn != null) {
            Object lock = mp.waitlock;
            mp.waitunlockf = null;
            mp.waitlock = null;
            if (!fn.unlock(gp, lock)) {
                gp.casgstatus(_Gwaiting, _Grunnable);
                if (Trace.on()) {
                    Trace.parkAborted(gp);
                }
                if (mp.p == null) {
                    globrunqputLocked(gp); // no P to resume it on
                    return null;
                }
                mp.inheritTime = true;
                return gp; // Go: execute(gp, true) — resume it at once, same slice
            }
        }
        return null;
    }

    /**
     * After the current G left _Grunning: if sysmon gave this M's P to another M while the G held
     * the thread (retakeRunning), let go of it now. Safe to test here and only here: sysmon takes
     * a P only while it holds the running G's status (the _Gscan bit on _Grunning), and the CAS
     * out of _Grunning that precedes this call waits for it, so the flag is final.
     */
    private static void checkRetaken(M mp) {
        P pp = mp.p;
        if (pp != null && pp.retaken) {
            dropRetakenP(mp);
        }
    }

    private static void globrunqputLocked(Object gp) {
        sched.lock.lock();
        try {
            sched.globrunqput(gp);
        } finally {
            sched.lock.unlock();
        }
        wakep();
    }

    /**
     * Go: goschedImpl (Gosched and preemption). The G goes to the global queue's tail.
     *
     * <p>Deviation: Go unlocks, calls wakep, and lets schedule find the next G; when this P has no
     * local work and no due timers, findRunnable's next step is to take from the global queue.
     * Gort takes that step here, in the same lock hold (one G on every 61st slice, else a batch,
     * as findRunnable would), and calls wakep only if work is left for another P. Same order and
     * outcome, one lock round trip instead of two, and no window in which a just-woken M takes
     * the yielding G from under its own M. Returns the next entry to run, or null.
     */
    private static Object goschedImpl(M mp, G gp) {
        gp.casgstatus(_Grunning, _Grunnable);
        checkRetaken(mp);
        dropg(mp, gp);
        P pp = mp.p;
        if (pp == null || mp.lockedg != null) {
            // No P any more, or a locked M (which may not run the next G itself): plain Gosched.
            globrunqputLocked(gp);
            return null;
        }
        Object next = null;
        sched.lock.lock();
        try {
            sched.globrunqput(gp);
            // findRunnable runs this P's due timers before it looks at the global queue, so the
            // shortcut applies only when none is due (else a goroutine looping on Gosched would
            // keep its P's timers from ever firing).
            long tw = pp.timers.minWhen;
            if (!sched.gcwaiting && pp.runqempty() && (tw == 0 || tw > nanotime())) {
                next = pp.schedtick % 61 == 0 ? sched.globrunqget() : sched.globrunqgetbatch(pp, gomaxprocs);
            }
        } finally {
            sched.lock.unlock();
        }
        if (next == null || sched.runqsize() != 0 || !pp.runqempty()) {
            wakep();
        }
        mp.inheritTime = false;
        return next;
    }

    /** Go: goyield_m. The G goes to the local queue's tail (not runnext, not global). */
    private static void goyield_m(M mp, G gp) {
        gp.casgstatus(_Grunning, _Grunnable);
        checkRetaken(mp);
        dropg(mp, gp);
        requeue(mp, gp);
    }

    /** Puts gp on this M's local queue tail, or the global queue when the M has no P. */
    private static void requeue(M mp, G gp) {
        P pp = mp.p;
        if (pp != null) {
            pp.runqput(gp, false);
        } else {
            globrunqputLocked(gp);
        }
    }

    /** Go: goexit0 / gdestroy. The G's continuation finished: recycle the G. */
    private static void goexit0(M mp, G gp) {
        MainRun main = MainRun.of(gp);
        boolean system = gp.system;
        gp.casgstatus(_Grunning, _Gdead);
        checkRetaken(mp);
        // Clear only what is set: the G's cache line is hot, and each skipped store is a skipped
        // GC barrier.
        boolean lockedExit = false;
        if (gp.lockedm != null) {
            // Go: gdestroy. A goroutine that ends locked takes its thread with it (the thread may
            // have been changed in ways another goroutine must not see).
            gp.lockedm = null;
            mp.lockedg = null;
            if (mp.lockedInt != 0) {
                throw fatal("exited a goroutine internally locked to the OS thread");
            }
            lockedExit = mp.lockedExt != 0;
            mp.lockedExt = 0;
        }
        gp.fn = null;
        if (gp.cont != null) {
            gp.cont = null; // one-shot: the next run of this G gets a new continuation
        }
        if (gp.waitreason != WaitReason.zero) {
            gp.waitreason = WaitReason.zero;
        }
        if (main != null) {
            main.g = null; // this G is recycled below: it must not be taken for the main one again
        }
        if (system) {
            gp.system = false;
        }
        if (gp.preempt) {
            gp.clearPreempt();
        }
        dropg(mp, gp);
        P pp = mp.p;
        if (pp != null) {
            P.NGDELTA.setOpaque(pp, pp.ngdelta - 1); // owner-only writer
        } else {
            sched.ngdelta.decrementAndGet();
        }
        gfput(pp, gp);
        if (system) {
            sched.ngsys.decrementAndGet();
        }
        if (main != null) {
            main.finish();
        }
        if (lockedExit) {
            mexit(mp);
        }
    }

    // ---------------------------------------------------------------- findRunnable

    /**
     * How long findRunnable keeps looking (whole passes) before it drops its P; 0 on one CPU, where
     * spinning only delays whoever would make the work. {@code -Dgort.dropspin=NS} overrides.
     */
    static final long DROP_SPIN_NS = Runtime.getRuntime().availableProcessors() > 1
            ? Math.max(0, Long.getLong("gort.dropspin", 20_000)) : 0;

    /**
     * Go: findRunnable. Finds a runnable goroutine, in Go's order (see the class comment); blocks
     * the M when there is none. Returns with a P (maybe another one than it came with). Sets
     * {@code mp.inheritTime}.
     */
    static Object findRunnable(M mp) {
        long dropSpinStart = 0; // when this call first found nothing (0: not yet)
        top:
        for (;;) {
            P pp = mp.p;
            if (sched.gcwaiting) {
                gcstopm(mp);
                continue;
            }
            // Read before anything that computes a poll deadline: a netpollBreak after this read
            // (a new earlier timer) is then seen by the poll below.
            long pollGen0 = sched.pollGen.get();

            // This P's timers: run the expired ones (they may ready Gs into our runnext) and note
            // when the next one is due.
            long now = 0;
            long pollUntil = 0;
            if (pp.timers.minWhen != 0) {
                now = nanotime();
                pollUntil = pp.timers.check(now, null);
            }

            // Fairness: now and then check the global queue, so two goroutines that keep respawning
            // each other in the local queue cannot starve it.
            if (pp.schedtick % 61 == 0 && sched.runqsize() > 0) {
                Object gp;
                sched.lock.lock();
                try {
                    gp = sched.globrunqget();
                } finally {
                    sched.lock.unlock();
                }
                if (gp != null) {
                    mp.inheritTime = false;
                    return gp;
                }
            }

            // Local queue.
            Object gp = pp.runqget();
            if (gp != null) {
                mp.inheritTime = pp.runqgetInherit;
                return gp;
            }

            // Global queue.
            if (sched.runqsize() != 0) {
                sched.lock.lock();
                try {
                    gp = sched.globrunqgetbatch(pp, gomaxprocs);
                } finally {
                    sched.lock.unlock();
                }
                if (gp != null) {
                    mp.inheritTime = false;
                    return gp;
                }
            }

            // Poll the network without blocking (Go: step 9): a fast path for goroutines whose
            // I/O became ready while we ran others, before the cost of stealing.
            if (sched.netpollWaiters.get() > 0 && Netpoller.inited()) {
                Netpoller.GList list = Netpoller.pollNonBlocking();
                if (list != null) {
                    G first = list.pop();
                    Netpoller.injectglist(list, mp);
                    first.casgstatus(_Gwaiting, _Grunnable);
                    if (Trace.on()) {
                        Trace.goUnblock(mp, first);
                    }
                    mp.inheritTime = false;
                    return first;
                }
            }

            // Steal, limiting the spinners to half the busy Ps: many spinners burn CPU for nothing.
            if (mp.spinning || 2 * sched.nmspinning.get() < gomaxprocs - sched.npidle.get()) {
                if (!mp.spinning) {
                    becomeSpinning(mp);
                }
                if (now == 0) {
                    now = nanotime();
                }
                mp.inheritTime = false;
                gp = stealWork(mp, pp, now);
                if (gp != null) {
                    return gp;
                }
                if (mp.stealNewWork) {
                    continue;
                }
                pollUntil = minWhen(pollUntil, mp.stealPollUntil);
            }

            // Deviation from Go: before dropping the P, keep making whole passes (timers, queues,
            // netpoll, steal) for up to DROP_SPIN_NS. Go drops it after one pass. Here an M that
            // drops its P usually ends up blocked (netpoll or its note) and must be woken by a
            // futex call for the next work, which on these VMs takes long enough that in the echo
            // benchmark at GOMAXPROCS=2 a quarter of the CPU sat idle (100k round trips/s; 140k
            // with this spin, Go's figure). Bounded, and not at all on one CPU.
            if (DROP_SPIN_NS > 0) {
                long t = nanotime();
                if (dropSpinStart == 0) {
                    dropSpinStart = t;
                }
                if (t - dropSpinStart < DROP_SPIN_NS && !sched.gcwaiting) {
                    Thread.onSpinWait();
                    continue;
                }
            }

            // Nothing found. Drop the P, but first snapshot what the re-check below must look at.
            P[] allpSnapshot = allp;
            PMask idlepMaskSnapshot = idlepMask;

            sched.lock.lock();
            if (sched.gcwaiting) {
                sched.lock.unlock();
                continue;
            }
            if (sched.runqsize() != 0) {
                try {
                    gp = sched.globrunqgetbatch(pp, gomaxprocs);
                } finally {
                    sched.lock.unlock();
                }
                mp.inheritTime = false;
                return gp;
            }
            if (!mp.spinning && sched.needspinning == 1) {
                // A submitter found work but no idle P: spin instead of dropping the P (part 1 of
                // the delicate dance; part 2 is in pidlegetSpinning).
                becomeSpinning(mp);
                sched.lock.unlock();
                continue;
            }
            if (releasep(mp) != pp) {
                throw fatal("findRunnable: wrong p");
            }
            pidleput(pp);
            sched.lock.unlock();

            // The other half of wakep's lock-free needspinning hand-shake: we published an idle P
            // (npidle++ in pidleput); now read needspinning. A submitter that set it after our check
            // under the lock, and read npidle before our increment, did not wake anyone.
            if (!mp.spinning && sched.needspinning == 1) {
                sched.lock.lock();
                P pp2 = pidlegetSpinning();
                sched.lock.unlock();
                if (pp2 != null) {
                    acquirep(mp, pp2);
                    becomeSpinning(mp);
                    continue;
                }
            }

            // Spinning -> idle. Decrement nmspinning first, then re-check every source: a submitter
            // that published work before our decrement and saw nmspinning > 0 did not wake anyone,
            // so we must see its work here (StoreLoad on both sides).
            boolean wasSpinning = mp.spinning;
            if (mp.spinning) {
                mp.spinning = false;
                if (sched.nmspinning.decrementAndGet() < 0) {
                    throw fatal("findRunnable: negative nmspinning");
                }

                // Global queue, now that we are no longer counted as a spinner.
                sched.lock.lock();
                if (sched.runqsize() != 0) {
                    P pp2 = pidlegetSpinning();
                    if (pp2 != null) {
                        gp = sched.globrunqgetbatch(pp2, gomaxprocs);
                        sched.lock.unlock();
                        if (gp == null) {
                            throw fatal("global runq empty with non-zero runqsize");
                        }
                        acquirep(mp, pp2);
                        becomeSpinning(mp);
                        mp.inheritTime = false;
                        return gp;
                    }
                }
                sched.lock.unlock();

                P pp2 = checkRunqsNoP(allpSnapshot, idlepMaskSnapshot);
                if (pp2 != null) {
                    acquirep(mp, pp2);
                    becomeSpinning(mp);
                    continue top;
                }
                // Go: checkTimersNoP. The earliest timer of every P, idle ones included.
                for (P p2 : allpSnapshot) {
                    pollUntil = minWhen(pollUntil, p2.timers.minWhen);
                }
            }
            if (wasSpinning && mp.spinning) {
                throw fatal("findRunnable: still spinning");
            }

            // Go: block in netpoll until the next timer (or an I/O event). Only one M at a time
            // (lastpoll == 0 while it waits).
            // No P, nothing to run: wait for the next timer or I/O event, at most one M at a time;
            // every other idle M just parks. (A loop only so that an M woken from the timer-only
            // sleep by the first network waiter can come back and block in netpoll instead.)
            pollLoop:
            for (;;) {
                boolean netWaiters = sched.netpollWaiters.get() > 0 && Netpoller.inited();
                if (netWaiters && sched.lastpoll.get() != 0 && sched.lastpoll.getAndSet(0) != 0) {
                    sched.pollUntil = pollUntil;
                    if (sched.pollGen.get() != pollGen0) {
                        pollUntil = nanotime(); // an earlier timer arrived meanwhile: just poll
                    }
                    long delay = pollUntil == 0 ? -1 : Math.max(0, pollUntil - nanotime());
                    Netpoller.GList list;
                    if (Netpoller.pollingNet.compareAndSet(0, 1)) {
                        try {
                            list = Netpoller.poll(delay);
                        } finally {
                            Netpoller.pollingNet.set(0);
                        }
                    } else {
                        // A non-blocking poll is running (it began before our lastpoll swap) and will
                        // inject what it finds: one poller at a time, so skip ours, as if it were empty.
                        list = new Netpoller.GList();
                    }
                    sched.pollUntil = 0;
                    sched.lastpoll.set(nanotime());
                    sched.lock.lock();
                    P pp2 = pidleget();
                    sched.lock.unlock();
                    if (pp2 == null) {
                        Netpoller.injectglist(list, mp);
                    } else {
                        acquirep(mp, pp2);
                        if (!list.empty()) {
                            G first = list.pop();
                            Netpoller.injectglist(list, mp);
                            first.casgstatus(_Gwaiting, _Grunnable);
                            if (Trace.on()) {
                                Trace.goUnblock(mp, first);
                            }
                            mp.inheritTime = false;
                            return first;
                        }
                        if (wasSpinning) {
                            becomeSpinning(mp);
                        }
                        continue top;
                    }
                } else if (pollUntil != 0 && sched.lastpoll.get() != 0 && sched.lastpoll.getAndSet(0) != 0) {
                    // No network waiters (or no netpoller yet): sleep until the timer; netpollBreak
                    // wakes us for an earlier one.
                    sched.pollUntil = pollUntil;
                    sched.pollerThread = mp;
                    for (;;) {
                        if (sched.pollGen.get() != pollGen0) {
                            break; // netpollBreak: an earlier timer, or the first network waiter
                        }
                        long left = pollUntil - nanotime();
                        if (left <= 0) {
                            break;
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(sched, left);
                    }
                    sched.pollerThread = null;
                    sched.pollUntil = 0;
                    sched.lastpoll.set(nanotime());
                    sched.lock.lock();
                    P pp2 = pidleget();
                    sched.lock.unlock();
                    if (pp2 != null) {
                        acquirep(mp, pp2);
                        if (wasSpinning) {
                            becomeSpinning(mp);
                        }
                        continue top; // the expired timers run there (own P, or stolen)
                    }
                    if (sched.netpollWaiters.get() > 0 && Netpoller.inited()) {
                        pollGen0 = sched.pollGen.get();
                        continue pollLoop; // woken for a network waiter: become the netpoller
                    }
                } else if (pollUntil != 0 && sched.lastpoll.get() == 0) {
                    // Another M is the poller: if our timer is earlier than its deadline, wake it.
                    long pu = sched.pollUntil;
                    if (pu == 0 || pollUntil < pu) {
                        netpollBreak();
                    }
                }
                break;
            }
            stopm(mp);
        }
    }

    /**
     * Go: stealWork. Four rounds over all Ps in random order, taking half of a victim's ring; only
     * the last round may take a victim's runnext. Sets {@code mp.stealNewWork} when the caller
     * should start over (a stop-the-world is pending).
     */
    private static Object stealWork(M mp, P pp, long now) {
        mp.stealNewWork = false;
        mp.stealPollUntil = 0;
        boolean ranTimer = false;
        final int stealTries = 4;
        for (int i = 0; i < stealTries; i++) {
            boolean stealTimersOrRunNextG = i == stealTries - 1;
            P[] ps = allp;
            RandomOrder order = stealOrder;
            PMask idle = idlepMask;
            if (order.count != ps.length) {
                mp.stealNewWork = true; // procresize in flight; start over
                return null;
            }
            int r = mp.cheaprand();
            int inc = order.inc(r);
            for (int e = 0, pos = order.start(r); e < order.count; e++, pos = order.next(pos, inc)) {
                if (sched.gcwaiting) {
                    mp.stealNewWork = true;
                    return null;
                }
                P p2 = ps[pos];
                if (pp == p2) {
                    continue;
                }
                // In the last round, run p2's expired timers (an idle P's timers are run only this
                // way): their Gs go to our queue.
                if (stealTimersOrRunNextG && p2.timers.minWhen != 0) {
                    boolean[] ran = mp.ranTimer;
                    ran[0] = false;
                    long w = p2.timers.check(now, ran);
                    mp.stealPollUntil = minWhen(mp.stealPollUntil, w);
                    if (ran[0]) {
                        Object gp = pp.runqget();
                        if (gp != null) {
                            mp.inheritTime = pp.runqgetInherit;
                            return gp;
                        }
                        ranTimer = true;
                    }
                }
                // Idle Ps have nothing to steal; skip them without touching their queues.
                if (!idle.read(p2.id)) {
                    Object gp = pp.runqsteal(p2, stealTimersOrRunNextG);
                    if (gp != null) {
                        pp.nsteal = pp.nsteal + 1; // we own pp: a plain increment, no contention
                        if (Trace.on()) {
                            Trace.steal(mp, p2);
                        }
                        return gp;
                    }
                }
            }
        }
        mp.stealNewWork = ranTimer;
        return null;
    }

    /** The earlier of two timer wake times, where 0 means none. */
    static long minWhen(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return Math.min(a, b);
    }

    /**
     * Go: checkRunqsNoP. After dropping our P: if any busy P has local work, take an idle P back.
     */
    private static P checkRunqsNoP(P[] allpSnapshot, PMask idlepMaskSnapshot) {
        for (P p2 : allpSnapshot) {
            if (!idlepMaskSnapshot.read(p2.id) && !p2.runqempty()) {
                sched.lock.lock();
                try {
                    return pidlegetSpinning();
                } finally {
                    sched.lock.unlock();
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- spinning, Ms and Ps

    private static void becomeSpinning(M mp) {
        mp.spinning = true;
        sched.nmspinning.incrementAndGet();
        sched.needspinning = 0;
    }

    /** Go: resetspinning. A spinner found work: stop spinning and maybe start a new spinner. */
    private static void resetspinning(M mp) {
        mp.spinning = false;
        if (sched.nmspinning.decrementAndGet() < 0) {
            throw fatal("resetspinning: negative nmspinning");
        }
        // M wakeup policy is deliberately somewhat conservative, so check if we need to wakeup
        // another P here: the last spinner to find work starts a replacement.
        wakep();
    }

    /**
     * Go: wakep. Tries to add one more P to execute Gs: only if no M is spinning (be conservative
     * about spinning threads) and a P is idle.
     */
    static void wakep() {
        if (sched.nmspinning.get() != 0) {
            return;
        }
        if (sched.npidle.get() == 0) {
            // Deviation from Go, which takes sched.lock here only to find no idle P and set
            // needspinning. We set it without the lock and re-read npidle; an M dropping its P does
            // the mirror image (pidleput, then read needspinning: see findRunnable). Both sides
            // write, then read the other's variable, so at least one sees the other: either we see
            // the new idle P, or the dropping M sees needspinning and spins. Saves a lock round trip
            // per goroutine created or readied while all Ps are busy.
            if (sched.needspinning == 0) {
                sched.needspinning = 1;
            }
            if (sched.npidle.get() == 0) {
                return;
            }
        }
        if (!sched.nmspinning.compareAndSet(0, 1)) {
            return;
        }
        P pp;
        sched.lock.lock();
        try {
            pp = pidlegetSpinning();
            if (pp == null) {
                if (sched.nmspinning.decrementAndGet() < 0) {
                    throw fatal("wakep: negative nmspinning");
                }
                return;
            }
        } finally {
            sched.lock.unlock();
        }
        startm(pp, true, false);
    }

    /**
     * Go: startm. Schedules some M to run pp (creating an M if necessary). With pp == null, takes an
     * idle P or does nothing. With spinning, the caller has incremented nmspinning and the M starts
     * spinning.
     */
    static void startm(P pp, boolean spinning, boolean lockheld) {
        if (!lockheld) {
            sched.lock.lock();
        }
        M nmp;
        try {
            if (pp == null) {
                if (spinning) {
                    throw fatal("startm: P required for spinning=true");
                }
                pp = pidleget();
                if (pp == null) {
                    return;
                }
            }
            nmp = sched.mget();
            if (nmp == null) {
                int id = mReserveID();
                newm(spinning, pp, id);
                return;
            }
            if (nmp.spinning) {
                throw fatal("startm: m is spinning");
            }
            if (nmp.nextp != null) {
                throw fatal("startm: m has p");
            }
            if (spinning && !pp.runqempty()) {
                throw fatal("startm: p has runnable gs");
            }
            nmp.spinning = spinning; // the caller already counted it in nmspinning
            nmp.nextp = pp;
        } finally {
            if (!lockheld) {
                sched.lock.unlock();
            }
        }
        // As Go does, wake the M only after releasing sched.lock if we took it (nmp is ours alone
        // now: off the idle list, nextp set): an unpark is a futex call, and the woken M, which
        // soon needs sched.lock, may preempt us on this CPU. A caller that came with the lock
        // (lockheld) still holds it here, as in Go.
        nmp.park.wakeup();
    }

    /** Go: mReserveID. Reserves an M id, checking the thread limit. sched.lock must be held. */
    static int mReserveID() {
        assert sched.lock.held();
        int id = sched.mnext;
        sched.mnext = id + 1;
        checkmcount();
        return id;
    }

    /** Go: checkmcount. sched.lock must be held. */
    static void checkmcount() {
        int count = sched.mcount();
        if (count > sched.maxmcount) {
            System.err.println("runtime: program exceeds " + sched.maxmcount + "-thread limit");
            throw fatal("thread exhaustion");
        }
    }

    /** Go: newm. Starts a new M (thread) that will acquire pp and run the scheduler. sched.lock held. */
    private static void newm(boolean spinning, P pp, int id) {
        M mp = new M(id);
        mp.spinning = spinning;
        mp.nextp = pp;
        mp.alllink = sched.allm; // Go: allm, newest first
        sched.allm = mp;
        if (Trace.on()) {
            Trace.threadStart(id, mp.getName(), pp, spinning);
        }
        mp.start();
    }

    /**
     * Go: the tail of exitsyscall0, for an M that lost its P: take an idle P, or park on the idle
     * list until startm hands one over.
     */
    static void mPickP(M mp) {
        sched.lock.lock();
        P pp = pidleget();
        sched.lock.unlock();
        if (pp != null) {
            acquirep(mp, pp);
        } else {
            stopm(mp);
        }
    }

    /** Go: mexit. The M's locked goroutine ended: give the P away and let the thread end. */
    private static void mexit(M mp) {
        P pp = mp.p;
        if (pp != null) {
            handoffp(releasep(mp));
        }
        sched.lock.lock();
        try {
            sched.nmfreed++;
            M prev = null;
            for (M m = sched.allm; m != null; prev = m, m = m.alllink) {
                if (m == mp) {
                    if (prev == null) {
                        sched.allm = m.alllink;
                    } else {
                        prev.alllink = m.alllink;
                    }
                    break;
                }
            }
            checkdead();
        } finally {
            sched.lock.unlock();
        }
        mp.exiting = true;
    }

    // ---------------------------------------------------------------- LockOSThread

    /** Go: LockOSThread / dolockOSThread. Nesting counted; the G runs only on this M from now. */
    static void lockOSThread() {
        M mp = getm();
        G gp = mp != null ? mp.curg : null;
        if (gp == null) {
            throw new IllegalStateException("not on a goroutine");
        }
        if (mp.lockedExt == Integer.MAX_VALUE) {
            throw new dev.gort.Panic("LockOSThread nesting overflow");
        }
        mp.lockedExt++;
        mp.lockedg = gp;
        gp.lockedm = mp;
    }

    /** Go: UnlockOSThread / dounlockOSThread. Without a matching lock, nothing happens. */
    static void unlockOSThread() {
        M mp = getm();
        G gp = mp != null ? mp.curg : null;
        if (gp == null || mp.lockedExt == 0) {
            return;
        }
        mp.lockedExt--;
        if (mp.lockedExt == 0 && mp.lockedInt == 0) {
            mp.lockedg = null;
            gp.lockedm = null;
        }
    }

    /**
     * Go: stoplockedm. The locked G of this M is not running: give the P away and sleep until
     * some M finds the G runnable and hands this M a P (startlockedm). Returns with that P.
     */
    private static void stoplockedm(M mp) {
        G gp = mp.lockedg;
        if (gp.lockedm != mp) {
            throw fatal("stoplockedm: inconsistent locking");
        }
        if (mp.p != null) {
            handoffp(releasep(mp));
        }
        incidlelocked(1);
        mp.park.sleep();
        mp.park.clear();
        int st = gp.readgstatus() & ~_Gscan;
        if (st != _Grunnable) {
            throw fatal("stoplockedm: not runnable (status " + G.statusString(st) + ")");
        }
        P pp = mp.nextp;
        mp.nextp = null;
        acquirep(mp, pp);
    }

    /** Go: startlockedm. Hands our P straight to gp's locked M, wakes it, and parks this M. */
    private static void startlockedm(M mp, G gp, M lm) {
        if (lm.nextp != null) {
            throw fatal("startlockedm: m has p");
        }
        incidlelocked(-1);
        P pp = releasep(mp);
        lm.nextp = pp;
        lm.park.wakeup();
        stopm(mp);
    }

    /**
     * Go: incidlelocked. Counts Ms parked with a locked G; an increase may complete a deadlock.
     */
    static void incidlelocked(int v) {
        sched.lock.lock();
        try {
            sched.nmidlelocked += v;
            if (v > 0) {
                checkdead();
            }
        } finally {
            sched.lock.unlock();
        }
    }

    /** Go: debug.SetMaxThreads. */
    static int setMaxThreads(int n) {
        sched.lock.lock();
        try {
            int old = sched.maxmcount;
            sched.maxmcount = Math.max(n, 0);
            checkmcount();
            return old;
        } finally {
            sched.lock.unlock();
        }
    }

    /**
     * Go: stopm. Parks the M on the idle list until startm hands it a P; returns with that P.
     */
    private static void stopm(M mp) {
        if (mp.p != null) {
            throw fatal("stopm holding p");
        }
        if (mp.spinning) {
            throw fatal("stopm spinning");
        }
        sched.lock.lock();
        try {
            sched.mput(mp);
            checkdead();
        } finally {
            sched.lock.unlock();
        }
        mp.park.sleep();
        mp.park.clear();
        P pp = mp.nextp;
        mp.nextp = null;
        acquirep(mp, pp);
    }

    /** Go: acquirep / wirep. Associates pp with the current M. */
    static void acquirep(M mp, P pp) {
        if (mp.p != null) {
            throw fatal("wirep: already in go");
        }
        if (pp.m != null || pp.status != _Pidle) {
            throw fatal("wirep: invalid p state (p" + pp.id + " status " + pp.status + ")");
        }
        mp.p = pp;
        pp.m = mp;
        pp.status = _Prunning;
        if (Trace.on()) {
            Trace.procStart(mp, pp);
        }
    }

    /** Go: releasep. Disassociates the M from its P. */
    static P releasep(M mp) {
        P pp = mp.p;
        if (pp.m != mp || pp.status != _Prunning) {
            throw fatal("releasep: invalid p state");
        }
        if (Trace.on()) {
            Trace.procStop(mp, pp);
        }
        mp.p = null;
        pp.m = null;
        pp.status = _Pidle;
        return pp;
    }

    /** Go: pidleput. Puts an idle P on the idle list. sched.lock must be held. */
    static void pidleput(P pp) {
        assert sched.lock.held();
        if (!pp.runqempty()) {
            throw fatal("pidleput: P has non-empty run queue");
        }
        idlepMask.set(pp.id);
        pp.link = sched.pidle;
        sched.pidle = pp;
        sched.npidle.incrementAndGet();
    }

    /**
     * Go: pidleget. Takes a P off the idle list, or null. sched.lock must be held. A P leaving the
     * idle list means work again, so a sysmon in deep sleep is woken (Go does this in
     * exitsyscall's idle-P path and startTheWorld; here it covers every way work comes back).
     */
    static P pidleget() {
        assert sched.lock.held();
        P pp = sched.pidle;
        if (pp != null) {
            idlepMask.clear(pp.id);
            sched.pidle = pp.link;
            pp.link = null;
            sched.npidle.decrementAndGet();
            if (sched.sysmonwait) {
                sched.sysmonwait = false;
                sched.sysmonnote.wakeup();
            }
        }
        return pp;
    }

    /**
     * Go: pidlegetSpinning. pidleget for a spinner: if there is no idle P, record that a spinner is
     * needed so the next M about to drop its P spins instead. sched.lock must be held.
     */
    static P pidlegetSpinning() {
        P pp = pidleget();
        if (pp == null) {
            sched.needspinning = 1;
        }
        return pp;
    }

    /**
     * Go: handoffp. Hands off pp from a syscall or a locked M: start an M if pp has work, or if it
     * should spin; else put it idle.
     */
    static void handoffp(P pp) {
        if (!pp.runqempty() || sched.runqsize() != 0) {
            startm(pp, false, false);
            return;
        }
        // No local work: if nobody is spinning and no P is idle, this one spins.
        if (sched.nmspinning.get() + sched.npidle.get() == 0 && sched.nmspinning.compareAndSet(0, 1)) {
            sched.needspinning = 0;
            startm(pp, true, false);
            return;
        }
        sched.lock.lock();
        try {
            if (sched.gcwaiting) {
                pp.status = _Pgcstop;
                sched.stopwait--;
                if (sched.stopwait == 0) {
                    sched.stopnote.wakeup();
                }
                return;
            }
            if (sched.runqsize() != 0) {
                startm(pp, false, true);
                return;
            }
            pidleput(pp);
        } finally {
            sched.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- dead-G cache

    /**
     * Go: gfput. Puts a dead G on pp's free stack; at 64, moves Gs to the global stack until fewer
     * than 32 remain.
     */
    static void gfput(P pp, G gp) {
        if (pp == null) {
            sched.gFreeLock.lock();
            try {
                gfreeGlobalPush(pp, gp);
            } finally {
                sched.gFreeLock.unlock();
            }
            return;
        }
        int n = pp.gFreeSize;
        pp.gFree[n++] = gp;
        if (n >= 64) {
            int keep = 31;
            sched.gFreeLock.lock();
            try {
                int move = n - keep;
                int gs = sched.gFreeSize;
                if (gs + move > sched.gFree.length) {
                    sched.gFree = Arrays.copyOf(sched.gFree, Math.max(sched.gFree.length * 2, gs + move));
                }
                System.arraycopy(pp.gFree, keep, sched.gFree, gs, move);
                sched.gFreeSize = gs + move;
            } finally {
                sched.gFreeLock.unlock();
            }
            Arrays.fill(pp.gFree, keep, n, null);
            n = keep;
        }
        pp.gFreeSize = n;
    }

    private static void gfreeGlobalPush(P unused, G gp) {
        int gs = sched.gFreeSize;
        if (gs == sched.gFree.length) {
            sched.gFree = Arrays.copyOf(sched.gFree, gs * 2);
        }
        sched.gFree[gs] = gp;
        sched.gFreeSize = gs + 1;
    }

    /** Go: gfget. Takes a dead G from pp's stack, refilling it with up to 32 from the global stack. */
    static G gfget(P pp) {
        if (pp == null) {
            if (sched.gFreeSize == 0) {
                return null;
            }
            sched.gFreeLock.lock();
            try {
                int gs = sched.gFreeSize;
                if (gs == 0) {
                    return null;
                }
                G gp = sched.gFree[gs - 1];
                sched.gFree[gs - 1] = null;
                sched.gFreeSize = gs - 1;
                return gp;
            } finally {
                sched.gFreeLock.unlock();
            }
        }
        int n = pp.gFreeSize;
        if (n == 0) {
            if (sched.gFreeSize == 0) {
                return null;
            }
            sched.gFreeLock.lock();
            try {
                int gs = sched.gFreeSize;
                int move = Math.min(32, gs);
                System.arraycopy(sched.gFree, gs - move, pp.gFree, 0, move);
                Arrays.fill(sched.gFree, gs - move, gs, null);
                sched.gFreeSize = gs - move;
                n = move;
            } finally {
                sched.gFreeLock.unlock();
            }
            G.touch(pp.gFree, 0, n);
            if (n == 0) {
                return null;
            }
        }
        G gp = pp.gFree[--n];
        pp.gFree[n] = null;
        pp.gFreeSize = n;
        return gp;
    }

    /**
     * Go: gcount. Live goroutines minus system goroutines. A racy sum, as in Go, but of counters
     * that change only when a goroutine is created or ends. Go subtracts the free-list sizes from
     * allglen; here goroutines start without a G (newproc) and dead Gs move between free lists
     * while others run, so that difference could count a goroutine twice or not at all in the
     * instant it starts or its G changes lists. With these counters, goroutines created by the
     * caller are always counted, whatever the other Ms are doing. Go clamps the sum at 1 (its
     * main goroutine always exists); Gort's library mode can have no goroutine at all, so the
     * floor is 0, else a goroutine left behind from a runtime at rest would go unseen (1 either
     * way; found by the stress tier's leak check).
     */
    static int gcount() {
        long n = sched.ngdelta.get() - sched.ngsys.get();
        for (P pp : allp) {
            n += (long) P.NGDELTA.getOpaque(pp);
        }
        for (RetakenList r = sched.retaken; r != null; r = r.next) {
            n += (long) P.NGDELTA.getOpaque(r.p); // Ps still held by stuck Ms keep their counts until dropped
        }
        return (int) Math.max(n, 0);
    }

    /** Goroutines created but not started yet, so without a G (see newproc). A racy sum. */
    static long pendingGoroutines() {
        long n = sched.pendingCreated.get() - sched.pendingStarted.get();
        for (P pp : allp) {
            n += (long) P.PENDINGCREATED.getOpaque(pp) - (long) P.PENDINGSTARTED.getOpaque(pp);
        }
        for (RetakenList r = sched.retaken; r != null; r = r.next) {
            n += (long) P.PENDINGCREATED.getOpaque(r.p) - (long) P.PENDINGSTARTED.getOpaque(r.p);
        }
        return Math.max(n, 0);
    }

    // ---------------------------------------------------------------- hand-off of a busy P

    /**
     * sysmon's hand-off of a P whose M is stuck in one goroutine (a loop without preemption points,
     * or a thread blocked in {@code synchronized}, {@code Object.wait} or I/O nobody wrapped in
     * Go.syscall): Gort's answer to Go's asynchronous preemption, which the JVM cannot do. The
     * goroutine keeps its thread, as a goroutine in a syscall does; its P's work goes on elsewhere.
     *
     * <p>The stuck M may be inside runtime code that uses its P as owner (a runqput, a sudog
     * cache) at any moment, so the P object itself cannot change hands. Instead a replacement P
     * with the same id takes its place in allp, with its queued goroutines (taken by the
     * consumer-safe drain) and timers (under their locks), and is handed off like a retaken
     * syscall P. The old P stays with the stuck M, marked {@code retaken}, outside allp; anything
     * the M still puts on it is swept to the global queue by sysmon and, finally, by the M itself
     * ({@link #dropRetakenP}) when the goroutine next leaves _Grunning and the M drops the P.
     *
     * <p>Exclusion: sysmon holds the G's status as _Grunning|_Gscan while it swaps, and the M's
     * every exit from _Grunning is a CAS that waits for the scan bit; the M checks {@code retaken}
     * right after that CAS. So the swap never overlaps the M's scheduler code. Returns whether the
     * P was handed off.
     */
    static boolean retakeRunning(P pp, M mp, G gp, int nswitch) {
        if (!gp.tryCasgstatus(_Grunning, _Grunning | _Gscan)) {
            return false; // it is parking, yielding or ending right now: not stuck
        }
        P np = null;
        boolean stopped = false;
        Object[] moved = null;
        try {
            if (mp.curg != gp || mp.p != pp || pp.m != mp || mp.nswitch != nswitch || pp.retaken) {
                return false;
            }
            sched.lock.lock();
            try {
                if (pp.status != _Prunning || allp[pp.id] != pp) {
                    return false; // stopped for stop-the-world by its own goroutine
                }
                np = new P(pp.id, pp.runqsize());
                np.schedtick = pp.schedtick;
                np.syscalltick = pp.syscalltick;
                np.goidcache = 0;
                moved = new Object[pp.runqsize() + 1];
                int n = pp.runqdrain(moved); // consumer-safe: every entry is claimed by a CAS
                for (int i = 0; i < n; i++) {
                    if (!np.runqputIfRoom(moved[i])) {
                        sched.globrunqput(moved[i]);
                    }
                }
                np.timers.take(pp.timers); // marks pp's heap dead: the M's later timers go elsewhere
                allpBacking[pp.id] = np;
                P[] na = allp.clone();
                na[pp.id] = np;
                pp.retaken = true;
                sched.retaken = new RetakenList(pp, sched.retaken);
                allp = na;
                if (sched.gcwaiting) {
                    np.status = _Pgcstop;
                    stopped = true;
                    if (--sched.stopwait == 0) {
                        sched.stopnote.wakeup();
                    }
                } else {
                    np.status = _Pidle;
                }
                sched.nhandoff.incrementAndGet();
            } finally {
                sched.lock.unlock();
            }
        } finally {
            gp.casgstatus(_Grunning | _Gscan, _Grunning);
        }
        if (Trace.on()) {
            Trace.handoff(np, Trace.HANDOFF_STUCK, gp, mp);
        }
        if (!stopped) {
            handoffp(np);
        }
        return true;
    }

    /**
     * The M side of retakeRunning: called by the M that owned pp once its G has left _Grunning.
     * Moves whatever the M put on pp since the hand-off to the global queue and drops pp for good.
     */
    static void dropRetakenP(M mp) {
        P pp = mp.p;
        if (Trace.on()) {
            Trace.procStop(mp, pp);
        }
        mp.p = null;
        pp.m = null;
        Object[] gs = new Object[pp.runqsize() + 1];
        int n = pp.runqdrain(gs);
        sched.lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                sched.globrunqput(gs[i]);
            }
            RetakenList prev = null;
            for (RetakenList r = sched.retaken; r != null; prev = r, r = r.next) {
                if (r.p == pp) {
                    if (prev == null) {
                        sched.retaken = r.next;
                    } else {
                        prev.next = r.next;
                    }
                    break;
                }
            }
            // Keep what gcount sums over allp: the not-yet-started counts and the dead Gs.
            sched.pendingCreated.addAndGet(pp.pendingCreated);
            sched.pendingStarted.addAndGet(pp.pendingStarted);
            sched.ngdelta.addAndGet(pp.ngdelta);
            sched.nstealGone.addAndGet(pp.nsteal);
            pp.pendingCreated = 0;
            pp.pendingStarted = 0;
            pp.ngdelta = 0;
            pp.nsteal = 0;
            sched.gFreeLock.lock();
            try {
                for (int i = 0; i < pp.gFreeSize; i++) {
                    gfreeGlobalPush(null, pp.gFree[i]);
                    pp.gFree[i] = null;
                }
                pp.gFreeSize = 0;
            } finally {
                sched.gFreeLock.unlock();
            }
            pp.status = _Pdead;
        } finally {
            sched.lock.unlock();
        }
        if (n > 0) {
            wakep();
        }
    }

    /**
     * sysmon: moves the goroutines that stuck Ms have put on their retaken Ps since the hand-off
     * (a goroutine readied just before the M got stuck) to the global queue, so none waits for
     * the stuck goroutine to end.
     */
    static void sweepRetaken() {
        if (sched.retaken == null) {
            return;
        }
        int total = 0;
        sched.lock.lock();
        try {
            for (RetakenList r = sched.retaken; r != null; r = r.next) {
                P pp = r.p;
                if (!pp.runqempty()) {
                    Object[] gs = new Object[pp.runqsize() + 1];
                    int n = pp.runqdrain(gs);
                    for (int i = 0; i < n; i++) {
                        sched.globrunqput(gs[i]);
                    }
                    total += n;
                }
            }
        } finally {
            sched.lock.unlock();
        }
        if (total > 0) {
            wakep();
        }
    }

    /** Retaken Ps still held by their stuck Ms; protected by sched.lock. */
    static final class RetakenList {
        final P p;
        RetakenList next;

        RetakenList(P p, RetakenList next) {
            this.p = p;
            this.next = next;
        }
    }

    // ---------------------------------------------------------------- deadlock

    /**
     * Go: checkdead. Called with sched.lock held whenever an M goes idle. In program mode (a
     * Go.main call in progress) decides whether no goroutine can ever run again, and if so dies
     * with Go's message. Go's rules, plus Java's: plain threads may call in at any time, so a
     * non-daemon plain thread alive, or any plain thread inside a Gort call right now, counts as
     * a possible waker (like Go's extra M for callbacks). Conservative: an inconsistent count
     * means "not dead", never a crash.
     */
    static void checkdead() {
        assert sched.lock.held();
        MainRun mr = MainRun.current.get();
        if (mr == null || mr.done || Panics.panicking) {
            return; // library mode, or main has returned: the embedding program runs on
        }
        int run = sched.mcount() - sched.nmidle - sched.nmidlelocked - sched.nmsys;
        if (run > 0) {
            return;
        }
        if (sched.runqsize() != 0 || pendingGoroutines() != 0) {
            return;
        }
        int waiting = 0;
        G[] gs = allgsSnapshot();
        for (G gp : gs) {
            if (gp.system) {
                continue;
            }
            int st = gp.readgstatus() & ~_Gscan;
            if (st == _Gwaiting || st == G._Gpreempted) {
                waiting++;
            } else if (st == _Grunnable || st == _Grunning || st == _Gsyscall) {
                return; // someone will run it (or our counts are behind): not dead
            }
        }
        for (P pp : allp) {
            if (!pp.runqempty()) {
                return;
            }
        }
        if (waiting == 0 && mr.goexited) {
            if (Trace.on()) {
                Trace.deadlock("no goroutines (main called runtime.Goexit) - deadlock!", 0);
            }
            sched.lock.unlock();
            throw fatal("no goroutines (main called runtime.Goexit) - deadlock!");
        }
        for (P pp : allp) {
            if (pp.timers.size() > 0) {
                return; // a timer will fire
            }
        }
        if (sched.netpollWaiters.get() > 0) {
            return; // a socket may become ready (Go: the M blocked in netpoll is not idle)
        }
        if (waiting == 0 || PlainThreads.mayWake(mr.waiter)) {
            return;
        }
        if (Trace.on()) {
            Trace.deadlock("all goroutines are asleep - deadlock!", waiting);
        }
        sched.lock.unlock(); // the dump below takes other runtime locks
        throw fatal("all goroutines are asleep - deadlock!");
    }

    // ---------------------------------------------------------------- stop the world

    /** Go: preemptall. Asks every running goroutine to stop at its next preemption point. */
    static void preemptall() {
        M self = getm();
        for (P pp : allp) {
            if (pp.status != _Prunning) {
                continue;
            }
            M mp = pp.m;
            if (mp != null && mp != self) { // Go: preemptone skips the caller's own M
                G gp = mp.curg;
                if (gp != null) {
                    gp.requestPreempt();
                }
            }
        }
    }

    /**
     * Go: stopTheWorldWithSema. Stops every P: running ones at their next scheduling point, idle
     * ones directly. Returns with worldsema held. Callable from a goroutine or a plain thread.
     */
    static void stopTheWorld() {
        worldsema.acquire(WaitReason.StoppingTheWorld);
        M mp = getm();
        P own = mp != null && mp.curg != null ? mp.p : null;
        sched.lock.lock();
        try {
            if (own != null && own.retaken) {
                own = null; // sysmon gave our P to another M: that one is stopped like any other
            }
            sched.stopnote.clear();
            sched.stopwait = gomaxprocs;
            sched.gcwaiting = true;
            preemptall();
            if (own != null) {
                own.status = _Pgcstop; // stop the current P
                sched.stopwait--;
            }
            for (P pp : allp) {
                int s = pp.status;
                if (s == _Psyscall && pp.casStatus(_Psyscall, _Pgcstop)) {
                    pp.syscalltick = pp.syscalltick + 1;
                    sched.stopwait--;
                }
            }
            P pp;
            while ((pp = pidleget()) != null) { // stop idle Ps
                pp.status = _Pgcstop;
                sched.stopwait--;
            }
        } finally {
            sched.lock.unlock();
        }
        // Wait for the running Ps to notice, poking them now and then.
        for (;;) {
            sched.lock.lock();
            boolean done = sched.stopwait == 0;
            sched.lock.unlock();
            if (done) {
                break;
            }
            if (sched.stopnote.tsleep(100_000)) {
                break;
            }
            preemptall();
        }
        sched.lock.lock();
        try {
            if (sched.stopwait != 0) {
                throw fatal("stopTheWorld: not stopped (stopwait != 0)");
            }
            for (P pp : allp) {
                if (pp.status != _Pgcstop) {
                    throw fatal("stopTheWorld: not stopped (status != _Pgcstop)");
                }
            }
        } finally {
            sched.lock.unlock();
        }
    }

    /** Go: gcstopm. Stops the current M for a stop-the-world; returns when the world restarts. */
    private static void gcstopm(M mp) {
        if (!sched.gcwaiting) {
            throw fatal("gcstopm: not waiting for gc");
        }
        if (mp.spinning) {
            mp.spinning = false;
            // OK to just drop nmspinning here, startTheWorld will unpark threads as necessary.
            if (sched.nmspinning.decrementAndGet() < 0) {
                throw fatal("gcstopm: negative nmspinning");
            }
        }
        P pp = releasep(mp);
        sched.lock.lock();
        try {
            pp.status = _Pgcstop;
            sched.stopwait--;
            if (sched.stopwait == 0) {
                sched.stopnote.wakeup();
            }
        } finally {
            sched.lock.unlock();
        }
        stopm(mp);
    }

    /** Go: startTheWorldWithSema. Applies a pending GOMAXPROCS and restarts Ps that have work. */
    static void startTheWorld() {
        P p1;
        sched.lock.lock();
        try {
            int procs = gomaxprocs;
            if (sched.newprocs != 0) {
                procs = sched.newprocs;
                sched.newprocs = 0;
            }
            p1 = procresize(procs);
            sched.gcwaiting = false;
        } finally {
            sched.lock.unlock();
        }
        while (p1 != null) {
            P pp = p1;
            p1 = p1.link;
            pp.link = null;
            M nmp = pp.m;
            if (nmp != null) {
                pp.m = null;
                if (nmp.nextp != null) {
                    throw fatal("startTheWorld: inconsistent mp->nextp");
                }
                nmp.nextp = pp;
                nmp.park.wakeup();
            } else {
                sched.lock.lock();
                try {
                    newm(false, pp, mReserveID());
                } finally {
                    sched.lock.unlock();
                }
            }
        }
        wakep();
        worldsema.release();
    }

    /**
     * Go: procresize. Changes the number of Ps to nprocs. sched.lock must be held and the world
     * stopped. Returns the list (linked by p.link) of Ps with local work, which need an M.
     */
    static P procresize(int nprocs) {
        assert sched.lock.held();
        if (nprocs <= 0) {
            throw fatal("procresize: invalid arg");
        }
        int old = gomaxprocs;
        P[] oldp = allp;
        if (nprocs > allpBacking.length) {
            allpBacking = Arrays.copyOf(allpBacking, nprocs);
        }
        for (int i = 0; i < nprocs; i++) {
            if (allpBacking[i] == null) {
                allpBacking[i] = new P(i, runqSizeForNewP);
            } else if (allpBacking[i].status == _Pdead) {
                allpBacking[i].status = _Pgcstop; // Go: p.init on a P kept from an earlier shrink
                Timers ts = allpBacking[i].timers;
                ts.mu.lock();
                ts.dead = false;
                ts.mu.unlock();
            }
        }
        P[] newp = Arrays.copyOf(allpBacking, nprocs);

        M mp = getm();
        P own = mp != null ? mp.p : null;
        if (own != null && own.retaken) {
            // The caller's goroutine had its P handed off (it keeps the old one outside allp until
            // it next leaves _Grunning): it owns no P of allp, like a plain thread.
            own = null;
            mp = null;
        }
        if (own != null && own.id < nprocs) {
            own.status = _Prunning; // continue to use the current P
        } else if (own != null) {
            // The current P is being destroyed: move to P0.
            own.m = null;
            own.status = _Pidle;
            mp.p = null;
            P p0 = newp[0];
            p0.m = null;
            p0.status = _Pidle;
            acquirep(mp, p0);
        }
        P into = mp != null && mp.p != null ? mp.p : newp[0];
        for (int i = nprocs; i < old; i++) {
            pdestroy(oldp[i], into, mp);
        }
        allp = newp;
        idlepMask = new PMask(nprocs);

        P runnablePs = null;
        for (int i = nprocs - 1; i >= 0; i--) {
            P pp = newp[i];
            if (mp != null && mp.p == pp) {
                continue;
            }
            pp.status = _Pidle;
            if (pp.runqempty()) {
                pidleput(pp);
            } else {
                pp.m = sched.mget();
                pp.link = runnablePs;
                runnablePs = pp;
            }
        }
        stealOrder = new RandomOrder(nprocs);
        gomaxprocs = nprocs;
        return runnablePs;
    }

    /**
     * Go: (*p).destroy. Moves a removed P's Gs to the head of the global queue (runnext first, then
     * the ring in order) and its dead Gs to the global list. sched.lock held, world stopped.
     */
    private static void pdestroy(P pp, P into, M mp) {
        Object[] gs = new Object[pp.runqsize() + 1];
        int n = pp.runqdrain(gs);
        // Push in reverse onto the head, so the global queue starts with runnext, then the ring.
        for (int i = n - 1; i >= 0; i--) {
            sched.globrunqputhead(gs[i]);
        }
        into.timers.take(pp.timers); // Go: the caller's P takes the removed P's timers
        sched.gFreeLock.lock();
        try {
            for (int i = 0; i < pp.gFreeSize; i++) {
                gfreeGlobalPush(null, pp.gFree[i]);
                pp.gFree[i] = null;
            }
            pp.gFreeSize = 0;
        } finally {
            sched.gFreeLock.unlock();
        }
        // Keep the not-yet-started counts of a removed P (gcount sums only the live Ps).
        sched.pendingCreated.addAndGet(pp.pendingCreated);
        sched.pendingStarted.addAndGet(pp.pendingStarted);
        sched.ngdelta.addAndGet(pp.ngdelta);
        sched.nstealGone.addAndGet(pp.nsteal);
        pp.pendingCreated = 0;
        pp.pendingStarted = 0;
        pp.ngdelta = 0;
        pp.nsteal = 0;
        pp.m = null;
        pp.link = null;
        pp.status = _Pdead;
    }

    /**
     * Go: runtime.GOMAXPROCS. Sets the number of Ps when n >= 1 (stopping the world to resize) and
     * returns the previous value.
     */
    static int setGomaxprocs(int n) {
        ensureStarted();
        int ret = gomaxprocs;
        if (n <= 0 || n == ret) {
            return ret;
        }
        stopTheWorld();
        sched.newprocs = n;
        startTheWorld();
        return ret;
    }

    // ---------------------------------------------------------------- fatal

    /**
     * Go: throw / fatal. Prints {@code fatal error: msg} and a goroutine dump to stderr and exits
     * with status 2, as Go does. Declared to return an Error so call sites can {@code throw} it and
     * the compiler knows control ends there.
     */
    static Error fatal(String msg) {
        Panics.fatal(msg);
        return new InternalError(msg); // not reached
    }
}
