package dev.gort.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gort.Go;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** sync.Once (Go: sync/once_test.go TestOnce, TestOncePanic). */
class OnceTest {

    /**
     * Many goroutines and threads call run at once: the body runs exactly once, and every call
     * returns only after it has finished (each caller sees its effect).
     */
    @Test
    void runsOnceUnderConcurrency() {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        int[] effect = {0}; // plain field: visible to callers through Once's happens-before
        AtomicInteger sawIncomplete = new AtomicInteger();
        AtomicInteger returned = new AtomicInteger();
        Runnable body = () -> {
            runs.incrementAndGet();
            Go.gosched(); // let other callers arrive and wait
            Workers.busy(2_000_000);
            effect[0] = 42;
        };
        Workers w = new Workers();
        Runnable caller = () -> {
            once.run(body);
            if (effect[0] != 42) {
                sawIncomplete.incrementAndGet();
            }
            returned.incrementAndGet();
        };
        for (int i = 0; i < 200; i++) {
            w.go(caller);
        }
        for (int i = 0; i < 4; i++) {
            w.thread(caller);
        }
        w.await();
        assertEquals(1, runs.get());
        assertEquals(0, sawIncomplete.get(), "a call returned before the body finished");
        assertEquals(204, returned.get());
        once.run(() -> runs.incrementAndGet());
        assertEquals(1, runs.get());
    }

    /** Go: TestOncePanic. A panicking body propagates its panic, and the Once is done anyway. */
    @Test
    void panickingBodyCountsAsDone() {
        Once once = new Once();
        RuntimeException boom = new IllegalStateException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> once.run(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        AtomicBoolean ran = new AtomicBoolean();
        once.run(() -> ran.set(true)); // returns at once; the mutex was released
        assertFalse(ran.get(), "Once.run ran again after a panic");
    }

    /** The same on a goroutine, with other goroutines waiting for the panicking body. */
    @Test
    void panickingBodyOnGoroutineReleasesWaiters() {
        Once once = new Once();
        AtomicInteger panics = new AtomicInteger();
        AtomicInteger secondBodies = new AtomicInteger();
        Workers w = new Workers();
        for (int i = 0; i < 50; i++) {
            w.go(() -> {
                try {
                    once.run(() -> {
                        Go.gosched(); // others queue on the Once's mutex meanwhile
                        throw new IllegalStateException("boom");
                    });
                } catch (IllegalStateException e) {
                    panics.incrementAndGet();
                }
                once.run(secondBodies::incrementAndGet);
            });
        }
        w.await();
        assertEquals(1, panics.get());
        assertEquals(0, secondBodies.get());
    }

    @Test
    void differentOncesAreIndependent() {
        Once a = new Once();
        Once b = new Once();
        AtomicInteger n = new AtomicInteger();
        a.run(n::incrementAndGet);
        b.run(n::incrementAndGet);
        a.run(n::incrementAndGet);
        assertEquals(2, n.get());
    }
}
