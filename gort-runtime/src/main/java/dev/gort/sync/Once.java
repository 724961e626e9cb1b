package dev.gort.sync;

/**
 * {@code sync.Once}: performs exactly one action. {@link #run} calls its body only the first time
 * it is called on this Once, even if later calls pass other bodies; every call returns only after
 * that one body has returned (or panicked). If the body panics, the Once counts as done, as in Go:
 * later calls return at once without running anything. Calling {@code run} on the same Once from
 * inside its body deadlocks, as in Go.
 *
 * <p>Go's algorithm (sync/once.go): an atomic done flag for the fast path, a {@link Mutex} for the
 * slow path. The flag is set only after the body returns, so a caller that sees it also sees
 * everything the body did; a caller that does not see it waits on the mutex until the body ends.
 */
public final class Once {
    /** Set after the body has run (or panicked); the fast path's only read. */
    private volatile boolean done;
    private final Mutex m = new Mutex();

    /** {@code once.Do(f)}. */
    public void run(Runnable body) {
        java.util.Objects.requireNonNull(body, "body");
        // The volatile read pairs with the volatile write in doSlow: whoever sees done also sees
        // the body's effects. (Setting done with a CAS before running the body would be wrong:
        // a second caller would return before the first call's body finished.)
        if (!done) {
            doSlow(body);
        }
    }

    private void doSlow(Runnable body) {
        m.lock();
        try {
            if (!done) {
                try {
                    body.run();
                } finally {
                    done = true; // Go: defer o.done.Store(true), so a panicking body counts too
                }
            }
        } finally {
            m.unlock();
        }
    }
}
