package dev.gort.internal.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * A one-shot sleep/wake-up event that blocks the M (Go: runtime/lock_futex.go {@code note}).
 *
 * <p>Protocol, as in Go: {@link #clear} before reuse; exactly one thread sleeps on a note (its owner:
 * an M sleeps on its own {@code park}, the stop-the-world caller on {@code sched.stopnote}); any
 * thread may {@link #wakeup} it, at most once per clear. A wake-up that comes before the sleep is
 * not lost: the key stays set and the sleep returns at once.
 */
final class Note {
    /** 0 = not signalled, 1 = signalled. Written by the waker (release), read by the sleeper. */
    private volatile int key;
    /** The sleeping thread; written by the sleeper before it re-checks key, read by the waker. */
    private volatile Thread waiter;

    void clear() {
        key = 0;
    }

    void wakeup() {
        key = 1;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Blocks the calling thread until {@link #wakeup}. */
    void sleep() {
        waiter = Thread.currentThread();
        while (key == 0) {
            LockSupport.park(this);
        }
        waiter = null;
    }

    /**
     * Go: notetsleep. Sleeps at most {@code ns} nanoseconds; returns whether the note was signalled.
     */
    boolean tsleep(long ns) {
        waiter = Thread.currentThread();
        long deadline = System.nanoTime() + ns;
        while (key == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        waiter = null;
        return key != 0;
    }
}
