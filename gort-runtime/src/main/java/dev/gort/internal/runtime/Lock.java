package dev.gort.internal.runtime;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The runtime mutex (Go: runtime/lock_*.go {@code mutex}, {@code lock}, {@code unlock}).
 *
 * <p>Like Go's runtime mutex it blocks the whole M, never just the G: it is held only for short
 * stretches of scheduler code, and never across user code except in one deliberate case, Go's
 * {@code goparkunlock}: a goroutine takes the lock, enqueues itself on a wait list and parks; the M
 * then releases the lock from its scheduler loop after the continuation has yielded
 * ({@link Proc#gopark}). That hand-over is why this cannot be a {@code synchronized} block: the
 * unlock happens outside the frame that locked. Both halves run on the same M thread, so ownership by
 * thread is ownership by M.
 *
 * <p>The state is one int (0 free, 1 held) changed by CAS; contended waiters queue and park in
 * {@link AbstractQueuedSynchronizer}, so there is no unbounded spinning.
 */
final class Lock extends AbstractQueuedSynchronizer {
    // Go's lock ranking is not ported; documented in README "Differences from Go".

    @Override
    protected boolean tryAcquire(int ignored) {
        if (compareAndSetState(0, 1)) {
            setExclusiveOwnerThread(Thread.currentThread());
            return true;
        }
        return false;
    }

    @Override
    protected boolean tryRelease(int ignored) {
        if (getState() == 0 || getExclusiveOwnerThread() != Thread.currentThread()) {
            throw Proc.fatal("unlock of unlocked lock");
        }
        setExclusiveOwnerThread(null);
        setState(0);
        return true;
    }

    @Override
    protected boolean isHeldExclusively() {
        return getExclusiveOwnerThread() == Thread.currentThread();
    }

    void lock() {
        if (!compareAndSetState(0, 1)) {
            acquire(1);
        } else {
            setExclusiveOwnerThread(Thread.currentThread());
        }
    }

    void unlock() {
        release(1);
    }

    /** Go: assertLockHeld. */
    boolean held() {
        return isHeldExclusively();
    }
}
