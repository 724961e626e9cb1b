package dev.gort.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The runtime mutex (Go: runtime/lock_spinbit.go {@code mutex}, {@code lock}, {@code unlock}).
 *
 * <p>Like Go's runtime mutex it blocks the whole M, never just the G: it is held for short
 * stretches of scheduler code, and never across user code except in one deliberate case, Go's
 * {@code goparkunlock}: a goroutine takes the lock, enqueues itself on a wait list and parks; the M
 * then releases the lock from its scheduler loop after the continuation has yielded
 * ({@link Proc#gopark}). That hand-over is why this cannot be a {@code synchronized} block: the
 * unlock happens outside the frame that locked. Both halves run on the same M.
 *
 * <p>Why not a j.u.c lock: those read {@code Thread.currentThread()} inside code that may be
 * inlined into a goroutine's frame, where the JIT may reuse a value read before the goroutine moved
 * to another M (see {@link Proc#carrier}). Here every thread identity comes from
 * {@link Proc#carrier}.
 *
 * <p>Protocol. {@code state} is 0 (free) or 1 (held), changed by CAS. A locker that fails spins a
 * bounded number of times (Go spins too: the hold times are short, a park/unpark costs
 * microseconds), then adds itself to {@code waiters}, re-checks, and parks. The unlocker stores 0,
 * then unparks the first waiter. Each side writes, then reads the other's variable (Dekker), so a
 * waiter either sees the lock free or is unparked: no lost wake-up. A woken waiter competes again.
 */
final class Lock {
    /** 0 free, 1 held; atomic (STATE). */
    private volatile int state;
    /** Parked lockers, in arrival order; touched only on contention. */
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();

    /** Spin iterations before parking (none on one CPU, where spinning cannot help). */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 200 : 0;

    void lock() {
        if (STATE.compareAndSet(this, 0, 1)) {
            return;
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (state == 0 && STATE.compareAndSet(this, 0, 1)) {
                return;
            }
        }
        Thread me = Proc.carrier();
        waiters.add(me);
        for (;;) {
            if (state == 0 && STATE.compareAndSet(this, 0, 1)) {
                waiters.remove(me);
                return;
            }
            LockSupport.park(this);
        }
    }

    void unlock() {
        if (state == 0) {
            throw Proc.fatal("unlock of unlocked lock");
        }
        state = 0; // volatile store, then read waiters (pairs with add-then-check in lock)
        Thread t = waiters.peek();
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Go: assertLockHeld, weakened: whether someone holds the lock. Ownership is not recorded, to
     * keep the uncontended path to one CAS each way (Go's lock_futex keeps no owner either).
     */
    boolean held() {
        return state == 1;
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
