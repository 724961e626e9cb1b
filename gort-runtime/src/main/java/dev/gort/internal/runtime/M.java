package dev.gort.internal.runtime;

/**
 * A worker thread (Go: runtime2.go {@code type m}): a daemon platform thread named
 * {@code gort-m<N>} that runs the scheduler loop ({@link Proc#mstart}) outside any continuation and
 * mounts goroutines' continuations on itself. Goroutines on one M share its {@link Thread}, so
 * {@code Thread.currentThread()} and thread locals inside a goroutine are the M's.
 *
 * <p>Fields without a note are owned by the M itself (its own thread). An M is idle (on
 * {@code sched.midle}, sleeping on {@link #park}), spinning (holds a P, looking for work), running a
 * G, or (later issues) in a syscall or locked to a G.
 */
final class M extends Thread {
    /** Go: m.id; the number in the thread name. */
    final long mid;

    /** The G running on this M now, or null while the M runs scheduler code (Go: curg). */
    G curg;
    /** curg's continuation while it runs (see Proc.execute for why it is not in the G). */
    Object curcont;
    /** The attached P, or null (Go: m.p). Read racily by sysmon and traces. */
    volatile P p;
    /** The P to acquire when woken (Go: nextp); written by the waker before notewakeup. */
    volatile P nextp;
    /** The P held before a syscall (Go: oldp). */
    P oldp;
    /** Go: m.syscalltick, the P's syscalltick when the syscall began. */
    int syscalltick;
    /**
     * The G in a syscall on this M (Go.syscall). curg is null meanwhile, so runtime calls made
     * inside the blocking call act as on a plain thread (they block the thread, which has no P).
     */
    G syscallg;
    /**
     * Bumped (opaque store, no fence) every time a G yields or ends on this M. sysmon compares
     * it across its rounds: unchanged means the M has been inside one goroutine all along.
     */
    volatile int nswitch;

    // ---- LockOSThread (Go: m.lockedg, lockedExt, lockedInt); owned by this M's thread.
    /** The G locked to this M, or null; read by other Ms in startlockedm. */
    volatile G lockedg;
    int lockedExt;
    int lockedInt;

    /** All Ms, newest first (Go: allm, m.alllink); protected by sched.lock. */
    M alllink;
    /** Set by mexit: the scheduler loop returns and the thread ends. */
    boolean exiting;

    /** Out of work and looking for it (Go: m.spinning); counted in sched.nmspinning. */
    boolean spinning;
    /** Sleep/wake-up of an idle M (Go: m.park). */
    final Note park = new Note();
    /** Idle-list link; protected by sched.lock. */
    M schedlink;

    // ---- What the current G asked the M to do after it yields (Go: the mcall function and the
    // ---- gopark arguments m.waitunlockf/m.waitlock). Written by the G just before it yields,
    // ---- on this same thread, and consumed by the scheduler loop right after.
    int mcallop;
    Proc.Unlockf waitunlockf;
    Object waitlock;
    /**
     * When Go.sleep's goroutine is to wake (Go keeps it in g.sleepWhen): written by the sleeping G
     * just before it parks, read by the unlock function this M runs right after. Kept here, not in
     * the G, because only the parking moment needs it, and every G field costs each goroutine.
     */
    long sleepWhen;

    /** gopark's request to the M, in one call: keeps gopark small enough to inline (see there). */
    void parkRequest(Proc.Unlockf unlockf, Object lock) {
        waitunlockf = unlockf;
        waitlock = lock;
        mcallop = Proc.MCALL_PARK;
    }

    /** Out-parameter of findRunnable: whether the G inherits the time slice. */
    boolean inheritTime;
    /** Out-parameter of stealWork: start findRunnable over (Go: stealWork's newWork). */
    boolean stealNewWork;
    /** Out-parameter of stealWork: the earliest timer it saw on other Ps, or 0. */
    long stealPollUntil;
    /** Scratch out-parameter for Timers.check. */
    final boolean[] ranTimer = new boolean[1];
    /** Go: cheaprand state (per M). */
    int fastrand;
    /** Scratch for runqdrain. */
    final int[] scratch = new int[1];

    M(long id) {
        super(null, null, "gort-m" + id, 0, false);
        this.mid = id;
        this.fastrand = (int) (id * 0x9E3779B9L) | 1;
        setDaemon(true);
    }

    static final java.lang.invoke.VarHandle NSWITCH;

    static {
        try {
            NSWITCH = java.lang.invoke.MethodHandles.lookup().findVarHandle(M.class, "nswitch", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void run() {
        Proc.mstart(this);
    }

    /** Go: cheaprand. xorshift32, per M, no synchronization. */
    int cheaprand() {
        int x = fastrand;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        fastrand = x;
        return x;
    }
}
