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
 * <p>Protocol (the futex mutex of Drepper's "Futexes Are Tricky", which Go's lock_futex also
 * follows). {@code state} is 0 (free), 1 (held, no waiters) or 2 (held, maybe waiters). A locker
 * CASes 0 to 1; failing that it spins as Go's does (below), then joins {@code waiters} and swaps
 * in 2 — if the old value was 0 it now holds the lock — else parks. The unlocker swaps in 0 and,
 * only if the old value was 2, unparks the first waiter. A waiter that joined the list always
 * swaps 2 in before parking, so an unlock after that sees 2 and wakes someone: no lost wake-up. A
 * woken waiter swaps 2 in again (others may still wait), so the uncontended path stays one CAS to
 * lock and one swap to unlock.
 *
 * <p>The waiter list is made by the first locker that has to wait: most locks (one per channel,
 * timer and socket) are never contended, and an empty {@code ConcurrentLinkedQueue} with its node
 * costs 48 bytes. A waiter publishes the list before it swaps 2 in, so an unlocker that sees 2
 * sees the list.
 */
final class Lock {
    /** 0 free, 1 held, 2 held and maybe waiters; atomic (STATE). */
    private volatile int state;
    /** Parked lockers, in arrival order; null until the first contention, then never again (WAITERS). */
    private volatile ConcurrentLinkedQueue<Thread> waiters;

    /**
     * Go's lock_spinbit constants: up to {@code mutexActiveSpinCount} rounds of
     * {@code procyield(mutexActiveSpinSize)}, looking at the lock only between rounds, then
     * {@code mutexPassiveSpinCount} {@code osyield}, then sleep; no active spin on one CPU, where
     * the holder cannot run meanwhile. Measured against the 200 pauses with a look after each that
     * this replaced: mpmc (two Ms on one contended channel) 80-100 ns a message before, 22-32
     * after; most likely the old spin won the lock back op by op, so every op moved the channel's
     * cache lines between CPUs.
     */
    private static final int ACTIVE_SPIN = Runtime.getRuntime().availableProcessors() > 1 ? 4 : 0;
    private static final int ACTIVE_SPIN_SIZE = 30;

    void lock() {
        if (STATE.compareAndSet(this, 0, 1)) {
            return;
        }
        for (int i = 0; i < ACTIVE_SPIN; i++) {
            for (int j = 0; j < ACTIVE_SPIN_SIZE; j++) {
                Thread.onSpinWait();
            }
            if (state == 0 && STATE.compareAndSet(this, 0, 1)) {
                return;
            }
        }
        Thread.yield(); // the passive spin: a holder sharing our CPU may finish meanwhile
        if (state == 0 && STATE.compareAndSet(this, 0, 1)) {
            return;
        }
        Thread me = Proc.carrier();
        ConcurrentLinkedQueue<Thread> q = waiters;
        if (q == null) {
            q = new ConcurrentLinkedQueue<>();
            if (!WAITERS.compareAndSet(this, null, q)) {
                q = waiters;
            }
        }
        q.add(me);
        while ((int) STATE.getAndSet(this, 2) != 0) {
            LockSupport.park(this);
        }
        q.remove(me);
    }

    void unlock() {
        int old = (int) STATE.getAndSet(this, 0);
        if (old == 0) {
            throw Proc.fatal("unlock of unlocked lock");
        }
        if (old == 2) {
            Thread t = waiters.peek(); // non-null: a waiter publishes the list before it swaps 2 in
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Go: assertLockHeld, weakened: whether someone holds the lock. Ownership is not recorded, to
     * keep the uncontended path to one CAS each way (Go's lock_futex keeps no owner either).
     */
    boolean held() {
        return state != 0;
    }

    private static final VarHandle STATE;
    private static final VarHandle WAITERS;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lock.class, "state", int.class);
            WAITERS = MethodHandles.lookup().findVarHandle(Lock.class, "waiters", ConcurrentLinkedQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
