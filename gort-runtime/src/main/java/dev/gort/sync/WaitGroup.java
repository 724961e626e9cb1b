package dev.gort.sync;

import dev.gort.Go;
import dev.gort.Panic;
import dev.gort.internal.runtime.Linkname;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sync.WaitGroup}: waits for a collection of goroutines to finish. Parks goroutines, never
 * their threads; a plain Java thread that calls {@link #await} blocks itself.
 *
 * <p>As in Go, the state is one 64-bit word, the counter in the high 32 bits and the number of
 * waiters in the low 32, plus a semaphore the waiters sleep on. The last {@link #done} releases the
 * semaphore once per waiter.
 */
public final class WaitGroup {
    /** counter << 32 | waiters. */
    private final AtomicLong state = new AtomicLong();
    private final Object sema = Linkname.newSema();

    /**
     * Adds delta (may be negative) to the counter. When it reaches zero, all waiters are released.
     *
     * @throws Panic {@code sync: negative WaitGroup counter}
     */
    public void add(int delta) {
        long s = state.addAndGet((long) delta << 32);
        int v = (int) (s >> 32);
        int w = (int) s;
        if (v < 0) {
            throw new Panic("sync: negative WaitGroup counter");
        }
        if (w != 0 && delta > 0 && v == delta) {
            throw new Panic("sync: WaitGroup misuse: Add called concurrently with Wait");
        }
        if (v > 0 || w == 0) {
            return;
        }
        // Counter is 0 and there are waiters: nobody may change the state now (Go's invariant).
        if (state.get() != s) {
            throw new Panic("sync: WaitGroup misuse: Add called concurrently with Wait");
        }
        state.set(0);
        for (; w > 0; w--) {
            Linkname.semrelease(sema);
        }
    }

    /** Decrements the counter by one. */
    public void done() {
        add(-1);
    }

    /** {@code wg.Wait()}: blocks until the counter is zero. */
    public void await() {
        for (;;) {
            long s = state.get();
            int v = (int) (s >> 32);
            if (v == 0) {
                return;
            }
            if (state.compareAndSet(s, s + 1)) {
                Linkname.semacquireWaitGroup(sema);
                if (state.get() != 0) {
                    throw new Panic("sync: WaitGroup is reused before previous Wait has returned");
                }
                return;
            }
        }
    }

    /** Go 1.25's {@code wg.Go(f)}: {@code add(1)}, then runs body in a new goroutine that calls done. */
    public void go(Runnable body) {
        Objects.requireNonNull(body, "body");
        add(1);
        Go.go(() -> {
            try {
                body.run();
            } finally {
                done();
            }
        });
    }
}
