package dev.gort.internal.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * One call of {@code Go.main}: the main goroutine's outcome and the plain thread waiting for it.
 * Written by the main goroutine (panic, goexited) and its M (finish), read by the waiter after
 * {@link #done} (volatile) publishes them.
 */
final class MainRun {
    final Thread waiter;
    /** The main goroutine's panic, rethrown by Go.main as the same instance. */
    Throwable panic;
    /** The main goroutine called Goexit: Go.main keeps waiting (Go waits for the other goroutines). */
    boolean goexited;
    volatile boolean done;
    /**
     * The main goroutine while it runs: set by newproc before the G is published, cleared by its
     * goexit0 before the G is recycled (the free list then orders that store before any reuse, so
     * no later goroutine on that G is taken for the main one). Kept here and not in the G: one field
     * less in every goroutine, for one goroutine per Go.main call.
     */
    G g;

    /** The Go.main call in progress, if any (program mode). */
    static final java.util.concurrent.atomic.AtomicReference<MainRun> current =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Starts a Go.main call; throws if another one is running. */
    static MainRun begin() {
        MainRun mr = new MainRun(Thread.currentThread());
        if (!current.compareAndSet(null, mr)) {
            throw new IllegalStateException("Go.main is already running");
        }
        return mr;
    }

    /** The Go.main call whose main goroutine is gp, or null. */
    static MainRun of(G gp) {
        MainRun mr = current.get();
        return mr != null && mr.g == gp ? mr : null;
    }

    static void end() {
        current.set(null);
    }

    MainRun(Thread waiter) {
        this.waiter = waiter;
    }

    /** Called by goexit0 once the main goroutine's G is recycled. */
    void finish() {
        if (goexited) {
            return;
        }
        done = true;
        LockSupport.unpark(waiter);
    }

    void await() {
        boolean interrupted = false;
        while (!done) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
