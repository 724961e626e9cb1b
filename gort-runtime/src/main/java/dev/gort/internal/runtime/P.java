package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A logical processor and its local run queue (Go: runtime2.go {@code type p}; proc.go
 * {@code runqput}, {@code runqputslow}, {@code runqget}, {@code runqgrab}, {@code runqsteal}).
 *
 * <h2>The local run queue</h2>
 * A ring of {@link #runq} slots (256, Go's size; smaller under test) indexed by ever-increasing
 * {@code runqhead} and {@code runqtail}, taken modulo the size; the length is {@code tail - head}
 * (int arithmetic wraps like Go's uint32). Plus {@link #runnext}, one G that runs before the ring
 * and inherits the current time slice.
 * <ol>
 *   <li>Only the owner P (the M that holds it) writes slots and {@code runqtail}: it stores the slot
 *       plainly, then publishes it with a store-release of {@code runqtail}.</li>
 *   <li>Any P consumes from the head: load-acquire {@code runqhead} and {@code runqtail}, read the
 *       slots, then CAS-release {@code runqhead} forward; the CAS commits the consumption. A stealer
 *       may read a slot the owner is overwriting, but then its CAS fails, because the owner only
 *       reuses a slot after the head has moved past it.</li>
 *   <li>{@code runnext}: only the owner CASes it to a non-null G; anyone may CAS it to null to take
 *       it.</li>
 * </ol>
 * Invariant: a G is in at most one slot of one queue (or runnext, or the global queue); every
 * successful removal is by exactly one CAS, so no G is lost or run twice (checked by jcstress).
 *
 * <h2>Other fields</h2>
 * {@code schedtick}/{@code syscalltick} are written by the owner and read racily by sysmon; the
 * dead-G cache {@code gFree} and the goid cache are owner-only; {@code link} and {@code status}
 * changes of idle Ps are under {@code sched.lock}.
 */
final class P {
    // Go's P status values (runtime2.go).
    static final int _Pidle = 0;
    static final int _Prunning = 1;
    static final int _Psyscall = 2;
    static final int _Pgcstop = 3;
    static final int _Pdead = 4;

    static final String[] pStatusStrings = {"idle", "running", "syscall", "gcstop", "dead"};

    /** Go's local run queue size. */
    static final int RUNQ_SIZE = 256;

    final int id;
    /** Atomic; _Pidle/_Prunning transitions are made by the acquiring/releasing M, others under sched.lock. */
    volatile int status;
    /** Idle-list link; protected by sched.lock. */
    P link;
    /** The M that owns this P, null if idle; written by acquirep/releasep. */
    volatile M m;
    /** Executions that started a new time slice (not runnext inheritance); owner writes, sysmon reads. */
    volatile int schedtick;
    /** Bumped on syscall exit and retake; owner writes, sysmon reads. */
    volatile int syscalltick;

    /** sysmon's last observations of this P (Go: p.sysmontick); sysmon only. */
    int sysmonSchedtick;
    long sysmonSchedwhen;
    int sysmonSyscalltick;
    long sysmonSyscallwhen;
    /** When sysmon asked this slice's goroutine to yield, on which M, at which nswitch; sysmon only. */
    long sysmonPreemptWhen;
    M sysmonPreemptM;
    int sysmonPreemptSwitch;
    /** The M and its nswitch when sysmon last saw this P's timers overdue; sysmon only. */
    M sysmonTimerM;
    int sysmonTimerSwitch;

    /**
     * Set (under sched.lock, once) when sysmon gave this P's place in allp to a replacement
     * because its M was stuck in one goroutine (Proc.retakeRunning). Read by that M after its G
     * leaves _Grunning.
     */
    volatile boolean retaken;

    /**
     * The ring; slots written by the owner only, read by any consumer (see class comment). An entry
     * is a G, or the Runnable of a goroutine that has not started yet (Proc.newproc).
     */
    final Object[] runq;
    private final int runqmask;
    /** Next slot to consume; atomic (RUNQHEAD), advanced by CAS by any consumer. */
    volatile int runqhead;
    /** Next slot to fill; store-release by the owner only (RUNQTAIL). */
    volatile int runqtail;
    /** The entry to run next, inheriting the time slice; atomic (RUNNEXT). */
    volatile Object runnext;

    /** Dead Gs ready for reuse, a stack of references (Go: p.gFree); owner only. */
    final G[] gFree = new G[64];
    /** Owner writes (release), gcount reads racily. */
    volatile int gFreeSize;

    /**
     * Goroutines created on this P without a G yet, and such goroutines started (given a G) on
     * this P; owner writes (opaque: a volatile store would put a fence in every go statement),
     * gcount reads racily (opaque). See Proc.newproc.
     */
    long pendingCreated;
    long pendingStarted;

    /**
     * Goroutines created on this P minus goroutines that ended on this P (Go has no such field:
     * see Proc.gcount). Owner writes (opaque), gcount reads racily (opaque).
     */
    long ngdelta;

    /**
     * Successful steals by this P's M from other Ps (stealWork), for the Scheduler MXBean. Owner
     * writes, readers sum it racily; a removed or dropped P's count moves to sched.nstealGone.
     * Per P so that stealing never writes a shared cache line.
     */
    volatile long nsteal;

    /** This P's timers (Go: p.timers); see Timers for the locking. */
    final Timers timers = new Timers();

    /** Recycled sudogs (Go: p.sudogcache, backed by sudogbuf[128]); owner only. */
    final Sudog[] sudogcache = new Sudog[128];
    int sudogcacheSize;

    /** Batch of goroutine ids (Go: goidcache, goidcacheend); owner only. */
    long goidcache;
    long goidcacheend;

    /** Out-parameter of runqget: whether the returned G came from runnext; owner only. */
    boolean runqgetInherit;
    /** This P's execution-trace buffer (Trace); owner-only, replaced when a new session begins. */
    TraceBuf traceBuf;

    P(int id) {
        this(id, RUNQ_SIZE);
    }

    /** A P whose ring holds {@code size} Gs (a power of two); small sizes are for tests. */
    P(int id, int size) {
        if (size < 2 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("runq size must be a power of two >= 2: " + size);
        }
        this.id = id;
        this.runq = new Object[size];
        this.runqmask = size - 1;
        this.slowbuf = new Object[size / 2 + 1];
        this.status = _Pgcstop;
    }

    int runqsize() {
        return runq.length;
    }

    /**
     * Go: runqempty. Whether the P has no local work. Reads head, tail and runnext consistently: a
     * runqput that kicks runnext into the ring is seen either before or after, never as "empty".
     */
    boolean runqempty() {
        for (;;) {
            int head = (int) RUNQHEAD.getAcquire(this);
            int tail = (int) RUNQTAIL.getAcquire(this);
            Object next = runnext;
            if (tail == (int) RUNQTAIL.getAcquire(this)) {
                return head == tail && next == null;
            }
        }
    }

    /** Number of Gs in the ring, not counting runnext (racy snapshot, for traces and tests). */
    int runqlen() {
        for (;;) {
            int head = (int) RUNQHEAD.getAcquire(this);
            int tail = (int) RUNQTAIL.getAcquire(this);
            if (head == (int) RUNQHEAD.getAcquire(this)) {
                int n = tail - head;
                return n < 0 ? 0 : n;
            }
        }
    }

    /**
     * Go: runqput. Puts gp on the local queue; with {@code next}, into runnext, kicking the previous
     * runnext to the tail of the ring. A full ring spills half of itself to the global queue.
     * Executed only by the owner P.
     */
    void runqput(Object gp, boolean next) {
        if (next) {
            Object oldnext;
            do {
                oldnext = runnext;
            } while (!RUNNEXT.compareAndSet(this, oldnext, gp));
            if (oldnext == null) {
                return;
            }
            gp = oldnext; // kick the old runnext to the regular queue
        }
        for (;;) {
            int h = (int) RUNQHEAD.getAcquire(this); // acquire: synchronize with consumers
            int t = runqtail; // owner's own field
            if (t - h < runq.length) {
                runq[t & runqmask] = gp;
                RUNQTAIL.setRelease(this, t + 1); // release: makes the slot visible to consumers
                return;
            }
            if (runqputslow(gp, h, t)) {
                return;
            }
            // the queue is not full any more (a stealer took some); the put above must succeed now
        }
    }

    /**
     * Go: runqputslow. Moves half the ring plus gp to the global queue. Returns false if consumers
     * moved the head meanwhile (then the ring has room). Executed only by the owner P.
     */
    private boolean runqputslow(Object gp, int h, int t) {
        int n = (t - h) / 2;
        if (n != runq.length / 2) {
            throw Proc.fatal("runqputslow: queue is not full");
        }
        Object[] batch = slowbuf;
        for (int i = 0; i < n; i++) {
            batch[i] = runq[(h + i) & runqmask];
        }
        if (!RUNQHEAD.compareAndSet(this, h, h + n)) { // cas-release, commits consume
            return false;
        }
        batch[n] = gp;
        // Now put the batch on the global queue, under one lock hold.
        sched.lock.lock();
        try {
            sched.globrunqputspill(batch, n + 1);
        } finally {
            sched.lock.unlock();
        }
        java.util.Arrays.fill(batch, 0, n + 1, null);
        return true;
    }

    /** Scratch for runqputslow: half the ring plus one; owner only. */
    private final Object[] slowbuf;

    /**
     * Go: runqputbatch. Puts src[off .. off+n) on the local ring, as many as fit; returns how many.
     * Executed only by the owner P (or by whoever just took this P off the idle list).
     */
    int runqputbatch(Object[] src, int off, int n) {
        int h = (int) RUNQHEAD.getAcquire(this);
        int t = runqtail;
        int room = runq.length - (t - h);
        if (n > room) {
            n = room;
        }
        for (int i = 0; i < n; i++) {
            runq[(t + i) & runqmask] = src[off + i];
        }
        RUNQTAIL.setRelease(this, t + n); // release: makes the slots visible to consumers
        return n;
    }

    /**
     * Go: runqget. Takes runnext first (then {@link #runqgetInherit} is true: the G inherits the
     * time slice), else the head of the ring. Executed only by the owner P.
     */
    Object runqget() {
        Object next = runnext;
        // If runnext is set and the CAS fails, a stealer took it; the ring may still have work.
        if (next != null && RUNNEXT.compareAndSet(this, next, null)) {
            runqgetInherit = true;
            return next;
        }
        runqgetInherit = false;
        for (;;) {
            int h = (int) RUNQHEAD.getAcquire(this); // acquire: synchronize with other consumers
            int t = runqtail;
            if (t == h) {
                return null;
            }
            Object gp = runq[h & runqmask];
            if (RUNQHEAD.compareAndSet(this, h, h + 1)) { // cas-release, commits consume
                return gp;
            }
        }
    }

    /**
     * Go: runqdrain. Empties runnext and the ring into {@code out} (runnext first, then the ring in
     * order) and returns the count; out must hold runqsize()+1. Used when a P is destroyed (by
     * the owner, or with the world stopped), and by sysmon on a retaken P whose stuck M may still
     * be adding to it: each entry is claimed by a CAS, and the drain stops when out is full (the
     * rest is taken next time).
     */
    int runqdrain(Object[] out) {
        int n = 0;
        Object next = runnext;
        if (next != null && RUNNEXT.compareAndSet(this, next, null)) {
            out[n++] = next;
        }
        while (n < out.length) {
            int h = (int) RUNQHEAD.getAcquire(this);
            int t = runqtail;
            if (t == h) {
                break;
            }
            Object gp = runq[h & runqmask];
            if (RUNQHEAD.compareAndSet(this, h, h + 1)) {
                out[n++] = gp;
            }
        }
        return n;
    }

    /**
     * Go: runqgrab. Takes the larger half ({@code n - n/2}) of this P's ring and writes it into
     * {@code thief}'s ring from slot {@code batchHead}; returns how many. If the ring is empty and
     * {@code stealRunNextG}, takes runnext instead, after a short back-off when this P is running,
     * so that its owner can run runnext itself (Go sleeps 3 us: a channel hand-off takes ~50 ns).
     * Executed by any P (the thief).
     */
    int runqgrab(Object[] batch, int batchHead, boolean stealRunNextG) {
        int bmask = batch.length - 1;
        for (;;) {
            int h = (int) RUNQHEAD.getAcquire(this); // acquire: synchronize with other consumers
            int t = (int) RUNQTAIL.getAcquire(this); // acquire: synchronize with the producer
            int n = t - h;
            n = n - n / 2;
            if (n == 0) {
                if (stealRunNextG) {
                    Object next = runnext;
                    if (next != null) {
                        if (status == _Prunning) {
                            // Go: usleep(3). parkNanos, like usleep, is subject to the OS timer slack.
                            LockSupport.parkNanos(3_000);
                        }
                        if (!RUNNEXT.compareAndSet(this, next, null)) {
                            continue;
                        }
                        batch[batchHead & bmask] = next;
                        return 1;
                    }
                }
                return 0;
            }
            if (n > runq.length / 2) { // read inconsistent h and t
                continue;
            }
            if (n > batch.length) {
                n = batch.length; // only when a test pairs rings of different sizes
            }
            for (int i = 0; i < n; i++) {
                batch[(batchHead + i) & bmask] = runq[(h + i) & runqmask];
            }
            if (RUNQHEAD.compareAndSet(this, h, h + n)) { // cas-release, commits consume
                return n;
            }
        }
    }

    /**
     * Go: runqsteal. Steals half of {@code p2}'s ring into this P's ring and returns one of the
     * stolen Gs to run now (the last one), or null. Executed only by the owner P (the thief).
     */
    Object runqsteal(P p2, boolean stealRunNextG) {
        int t = runqtail;
        int n = p2.runqgrab(runq, t, stealRunNextG);
        if (n == 0) {
            return null;
        }
        n--;
        Object gp = runq[(t + n) & runqmask];
        runq[(t + n) & runqmask] = null;
        if (n > 0) {
            int first = Math.min(n, runq.length - (t & runqmask));
            G.touch(runq, t & runqmask, first);
            G.touch(runq, 0, n - first);
        }
        if (n == 0) {
            return gp;
        }
        int h = (int) RUNQHEAD.getAcquire(this); // acquire: synchronize with consumers
        if (t - h + n >= runq.length) {
            throw Proc.fatal("runqsteal: runq overflow");
        }
        RUNQTAIL.setRelease(this, t + n); // release: makes the stolen Gs available to consumers
        return gp;
    }

    /**
     * Appends gp to the ring if there is room, without the overflow to the global queue. Only for
     * a P nobody else can see yet (a replacement being filled under sched.lock).
     */
    boolean runqputIfRoom(Object gp) {
        int h = (int) RUNQHEAD.getAcquire(this);
        int t = runqtail;
        if (t - h >= runq.length) {
            return false;
        }
        runq[t & runqmask] = gp;
        RUNQTAIL.setRelease(this, t + 1);
        return true;
    }

    /** CAS on the status word (Go: atomic.Cas(&pp.status, ...)), for the _Psyscall hand-offs. */
    boolean casStatus(int oldval, int newval) {
        return STATUS.compareAndSet(this, oldval, newval);
    }

    static final VarHandle STATUS;
    static final VarHandle RUNQHEAD;
    static final VarHandle RUNQTAIL;
    static final VarHandle RUNNEXT;
    static final VarHandle PENDINGCREATED;
    static final VarHandle PENDINGSTARTED;
    static final VarHandle NGDELTA;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATUS = l.findVarHandle(P.class, "status", int.class);
            RUNQHEAD = l.findVarHandle(P.class, "runqhead", int.class);
            RUNQTAIL = l.findVarHandle(P.class, "runqtail", int.class);
            RUNNEXT = l.findVarHandle(P.class, "runnext", Object.class);
            PENDINGCREATED = l.findVarHandle(P.class, "pendingCreated", long.class);
            PENDINGSTARTED = l.findVarHandle(P.class, "pendingStarted", long.class);
            NGDELTA = l.findVarHandle(P.class, "ngdelta", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString() {
        return "P" + id;
    }
}
