package dev.gort.internal.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The global scheduler state (Go: runtime2.go {@code type schedt}, the global {@code sched}).
 *
 * <p>{@link #lock} protects the global run queue, the idle P and M lists and the M counters. The
 * spinning counters are atomics read without the lock, following Go's submission and spinner
 * retirement protocols (see {@link Proc}). The dead-G list has its own lock, as in Go.
 *
 * <h2>The global run queue, in two parts</h2>
 * Go's global queue is one FIFO. Gort's is two, {@link #runq} and {@link #runqSpilled}, and differs
 * from Go in one case only: when a P's full ring spills half of itself to the global queue
 * ({@link P} runqputslow), the goroutines in the spill that have already run go to
 * {@code runqSpilled}, the ones not started yet (a {@code go} statement's function, see
 * {@link Proc#newproc}) to {@code runq}, and batch takes ({@link #globrunqgetbatch}) serve
 * {@code runqSpilled} first. Everything else (new goroutines from plain threads, yields,
 * preemptions, returns from syscalls) goes to {@code runq} as in Go.
 *
 * <p>Why: under a burst, Go's one FIFO puts a goroutine a timer or a channel has just woken
 * behind every goroutine spawned before it that has not started yet. Gort spawns fast (100,000
 * {@code go} statements in a few ms), so that can be 100,000 goroutines, and the woken one waits for
 * all of them to start. In the timers benchmark (100,000 goroutines sleeping 1-100 ms five
 * times) the per-iteration p99 lateness went from 76-252 ms to 15-100 ms, alternated; what is
 * left is mostly young collections. Starting new work after finishing work already under way is also what Tokio
 * does (its LIFO slot is for wake-ups, spawns go to the back).
 *
 * <p>No starvation: the fairness take every 61st schedtick ({@link #globrunqget}) serves
 * {@code runq} first, so each P takes at least one goroutine from {@code runq} per 61 ticks
 * however many spilled ones keep coming.
 */
final class Sched {
    static final Sched sched = new Sched();

    /** The scheduler lock (Go: sched.lock). */
    final Lock lock = new Lock();

    /** The global run queue (Go: sched.runq); protected by lock, size also read racily as a hint. */
    final GQueue runq = new GQueue();
    /** Started goroutines spilled by a full local ring, served before runq (see above); protected by lock. */
    final GQueue runqSpilled = new GQueue();

    // ---- idle Ps; protected by lock (npidle is also read without it)
    P pidle;
    final AtomicInteger npidle = new AtomicInteger();

    // ---- Ms; protected by lock
    M midle;
    int nmidle;
    /** Locked Ms waiting for their G (LockOSThread). */
    int nmidlelocked;
    /** Ms created so far, which is also the next M id (Go: mnext). */
    int mnext;
    /** Ms that have exited (Go: nmfreed). */
    int nmfreed;
    /** The thread limit (Go: maxmcount). */
    int maxmcount = 10000;
    /** System Ms not counted for deadlock detection (sysmon). */
    int nmsys;

    // ---- spinning (atomics, read without lock; see Proc's wakep/findRunnable protocol)
    final AtomicInteger nmspinning = new AtomicInteger();
    /** 1 if some submitter found work but no idle P: the next M to drop its P must spin instead. */
    volatile int needspinning;

    /** Goroutine ids (Go: goidgen); per-P batches of 16 are taken from here. */
    final AtomicLong goidgen = new AtomicLong();

    // ---- dead Gs shared between Ps (Go: sched.gFree), a stack of references; protected by gFreeLock
    final Lock gFreeLock = new Lock();
    G[] gFree = new G[256];
    /** Written under gFreeLock, read racily by gcount. */
    volatile int gFreeSize;

    // ---- stop the world; stopwait is protected by lock
    volatile boolean gcwaiting;
    int stopwait;
    final Note stopnote = new Note();
    /** Pending GOMAXPROCS applied by startTheWorld (Go: newprocs); protected by worldsema. */
    int newprocs;

    /**
     * Not-yet-started goroutines created by plain threads, and the counts of Ps removed by
     * procresize (see P.pendingCreated); for gcount.
     */
    final AtomicLong pendingCreated = new AtomicLong();
    final AtomicLong pendingStarted = new AtomicLong();

    /**
     * Goroutines created minus ended with no P (plain threads, Ms in a syscall or after dropping a
     * retaken P), plus the P.ngdelta of Ps removed or dropped; for gcount.
     */
    final AtomicLong ngdelta = new AtomicLong();

    // ---- the poller (Go: lastpoll, pollUntil, netpollBreak). Until the netpoller exists, "polling"
    // ---- is an idle M sleeping until the earliest timer of all Ps; at most one M does it.
    /** When the last poll ended; 0 while some M is the poller (asleep until pollUntil). Atomic. */
    final AtomicLong lastpoll = new AtomicLong(1);
    /** When the poller will wake; written by the poller. */
    volatile long pollUntil;
    /** Bumped by netpollBreak; the poller stops sleeping when it changes. */
    final AtomicLong pollGen = new AtomicLong();
    /** The poller's thread while it sleeps, for netpollBreak's unpark. */
    volatile Thread pollerThread;

    /** All Ms, newest first (Go: allm); protected by lock. */
    M allm;

    // ---- sysmon (Go: sysmonwait, sysmonnote); sysmonwait is written under lock
    volatile boolean sysmonwait;
    final Note sysmonnote = new Note();
    /**
     * Retaken Ps still held by stuck Ms (Proc.retakeRunning); written under lock, read racily by
     * gcount (an immutable-head list: nodes are only unlinked, never changed otherwise).
     */
    volatile Proc.RetakenList retaken;

    // ---- counters for schedtrace and observability (racy reads are fine)
    /** Goroutines that yielded at a preemption point. */
    final AtomicLong npreempt = new AtomicLong();
    /** Ps handed off by sysmon: syscall retakes and stuck-M hand-offs. */
    final AtomicLong nhandoff = new AtomicLong();
    /** P.nsteal of Ps removed by procresize or dropped after a retake (live Ps keep their own). */
    final AtomicLong nstealGone = new AtomicLong();

    /** Goroutines (and plain threads) parked on a pollDesc (Go: netpollWaiters). */
    final AtomicInteger netpollWaiters = new AtomicInteger();

    /** Runtime-internal goroutines (Go: ngsys), left out of numGoroutine. */
    final AtomicInteger ngsys = new AtomicInteger();

    private Sched() {}

    /** Scratch for globrunqgetbatch; protected by lock. */
    private final Object[] batchbuf = new Object[128];

    /** Length of the global queue, both parts (a racy hint unless lock is held). */
    int runqsize() {
        return runq.size + runqSpilled.size;
    }

    /** Go: globrunqput. Puts gp at the tail of the global queue. sched.lock must be held. */
    void globrunqput(Object gp) {
        assert lock.held();
        runq.put(gp);
    }

    /** Go: globrunqputhead. Puts gp at the head of the global queue. sched.lock must be held. */
    void globrunqputhead(Object gp) {
        assert lock.held();
        runq.putHead(gp);
    }

    /** Go: globrunqputbatch. Appends batch[0..n) in order. sched.lock must be held. */
    void globrunqputbatch(Object[] batch, int n) {
        assert lock.held();
        runq.putBatch(batch, 0, n);
    }

    /**
     * The global half of Go's runqputslow: appends batch[0..n), each order kept, the started
     * goroutines to runqSpilled and the unstarted ones to runq. sched.lock must be held.
     */
    void globrunqputspill(Object[] batch, int n) {
        assert lock.held();
        for (int i = 0; i < n; i++) {
            Object gp = batch[i];
            (gp instanceof G ? runqSpilled : runq).put(gp);
        }
    }

    /** Pops one entry, in batch-take order (runqSpilled first), or null. sched.lock must be held. */
    Object globrunqpop() {
        Object gp = runqSpilled.pop();
        return gp != null ? gp : runq.pop();
    }

    /**
     * Go: globrunqget. Takes one G from the global queue: runq first, so that the fairness take
     * keeps it moving however much runqSpilled gets. sched.lock must be held.
     */
    Object globrunqget() {
        assert lock.held();
        Object gp = runq.pop();
        return gp != null ? gp : runqSpilled.pop();
    }

    /**
     * Go: globrunqgetbatch. Takes {@code min(128, size, size/gomaxprocs + 1, half pp's ring)} Gs:
     * returns the first and puts the rest on pp's ring (which the caller owns and is empty).
     * sched.lock must be held.
     */
    Object globrunqgetbatch(P pp, int gomaxprocs) {
        assert lock.held();
        int size = runqsize();
        if (size == 0) {
            return null;
        }
        int n = Math.min(size, size / gomaxprocs + 1);
        n = Math.min(n, batchbuf.length);
        n = Math.min(n, pp.runqsize() / 2); // Go: the batch must fit in half the local ring
        if (n < 1) {
            n = 1;
        }
        if (n == 1) {
            return globrunqpop();
        }
        int k = runqSpilled.popBatch(batchbuf, 0, n);
        n = k + runq.popBatch(batchbuf, k, n - k);
        G.touch(batchbuf, 0, n);
        Object gp = batchbuf[0];
        int put = pp.runqputbatch(batchbuf, 1, n - 1);
        if (put < n - 1) {
            // Only if the caller's ring was not empty: give the rest back, in order, at the head.
            for (int i = n - 1; i > put; i--) {
                (i < k ? runqSpilled : runq).putHead(batchbuf[i]);
            }
        }
        java.util.Arrays.fill(batchbuf, 0, n, null);
        return gp;
    }

    /** Go: mput. Puts mp on the idle M list. sched.lock must be held. */
    void mput(M mp) {
        assert lock.held();
        mp.schedlink = midle;
        midle = mp;
        nmidle++;
    }

    /** Go: mget. Takes an M from the idle list, or null. sched.lock must be held. */
    M mget() {
        assert lock.held();
        M mp = midle;
        if (mp != null) {
            midle = mp.schedlink;
            mp.schedlink = null;
            nmidle--;
        }
        return mp;
    }

    /** Go: mcount. Ms that exist now. sched.lock must be held (or a racy read for traces). */
    int mcount() {
        return mnext - nmfreed;
    }
}
