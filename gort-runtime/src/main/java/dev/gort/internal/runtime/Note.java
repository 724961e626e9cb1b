package dev.gort.internal.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * A one-shot sleep/wake-up event that blocks the M (Go: runtime/lock_futex.go {@code note}).
 *
 * <p>Protocol, as in Go: {@link #clear} before reuse; exactly one thread sleeps on a note (its owner:
 * an M sleeps on its own {@code park}, the stop-the-world caller on {@code sched.stopnote}); any
 * thread may {@link #wakeup} it, at most once per clear. A wake-up that comes before the sleep is
 * not lost: the key stays set and the sleep returns at once.
 *
 * <p>Deviation from Go: the sleeper first spins for a bounded {@value #SPIN_NS} ns before parking
 * the thread, and the waker unparks only a sleeper that really parked. A JVM park/unpark pair costs
 * several microseconds (a mutex, a condition variable and a futex call), against Go's bare futex,
 * and an idle M is very often handed work again within microseconds (a Gosched or a channel hand-off
 * on another P). Sleeper: publish {@code waiter}, then read {@code key}; waker: write {@code key},
 * then read {@code waiter}. Both are volatile, so one sees the other: no lost wake-up.
 */
final class Note {
    /** How long a sleeper spins before parking; none on one CPU, where spinning cannot help. */
    static final long SPIN_NS = Runtime.getRuntime().availableProcessors() > 1 ? Long.getLong("gort.notespin", 20_000) : 0;

    /** 0 = not signalled, 1 = signalled. Written by the waker, read by the sleeper. */
    private volatile int key;
    /** The thread parked (or about to park) on this note, else null; written by the sleeper. */
    private volatile Thread waiter;

    /** Whether a thread is parked (or about to park) on this note; racy, for schedtrace. */
    boolean isBlocked() {
        return waiter != null;
    }

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
        if (spin(SPIN_NS)) {
            return;
        }
        waiter = Thread.currentThread(); // M code, never on a goroutine: currentThread is safe here
        while (key == 0) {
            LockSupport.park(this);
        }
        waiter = null;
    }

    /**
     * Go: notetsleep. Sleeps at most {@code ns} nanoseconds; returns whether the note was signalled.
     */
    boolean tsleep(long ns) {
        long deadline = System.nanoTime() + ns;
        if (spin(Math.min(ns, SPIN_NS))) {
            return true;
        }
        waiter = Thread.currentThread();
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

    /** Spins up to ns nanoseconds for the key; bounded, checks the clock every 64 iterations. */
    private boolean spin(long ns) {
        if (ns <= 0) {
            return key != 0;
        }
        long deadline = System.nanoTime() + ns;
        for (int i = 1; ; i++) {
            if (key != 0) {
                return true;
            }
            Thread.onSpinWait();
            if ((i & 63) == 0 && System.nanoTime() - deadline > 0) {
                return key != 0;
            }
        }
    }
}
