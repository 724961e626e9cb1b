package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.sync.WaitGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Black-box scheduler tests through the public API (Go: runtime/proc_test.go and friends). */
class SchedulerTest {

    @Test
    void hundredThousandGoroutinesRunExactlyOnce() {
        final int n = 100_000;
        AtomicIntegerArray ran = new AtomicIntegerArray(n);
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < n; i++) {
                int id = i;
                wg.go(() -> ran.incrementAndGet(id));
            }
            wg.await();
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, ran.get(i), "goroutine " + i);
        }
    }

    @Test
    void goroutinesSpawningGoroutines() {
        // A tree of spawns from many goroutines at once: exercises runnext kicks, overflow to the
        // global queue and stealing from every P.
        AtomicInteger leaves = new AtomicInteger();
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            spawnTree(wg, 6, leaves);
            wg.await();
        });
        assertEquals(1 << 12, leaves.get()); // 4^6 leaves
    }

    private static void spawnTree(WaitGroup wg, int depth, AtomicInteger leaves) {
        if (depth == 0) {
            leaves.incrementAndGet();
            return;
        }
        for (int i = 0; i < 4; i++) {
            wg.go(() -> spawnTree(wg, depth - 1, leaves));
        }
    }

    @Test
    void goexitRunsFinallyBlocksAndCannotBeCaughtAsException() {
        AtomicBoolean finallyRan = new AtomicBoolean();
        AtomicBoolean afterGoexit = new AtomicBoolean();
        AtomicBoolean caught = new AtomicBoolean();
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            Go.go(() -> {
                try {
                    try {
                        Go.goexit();
                        afterGoexit.set(true);
                    } catch (Exception e) {
                        caught.set(true);
                    } finally {
                        finallyRan.set(true);
                    }
                    afterGoexit.set(true);
                } finally {
                    wg.done();
                }
            });
            wg.await();
        });
        assertTrue(finallyRan.get(), "finally ran");
        assertFalse(afterGoexit.get(), "code after goexit did not run");
        assertFalse(caught.get(), "catch (Exception) did not stop goexit");
    }

    @Test
    void goexitOnPlainThreadIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Go::goexit);
        assertEquals("not on a goroutine", e.getMessage());
    }

    @Test
    void numGoroutineReturnsToBaseline() {
        Go.main(() -> {
            int base = Go.numGoroutine();
            assertTrue(base >= 1, "the main goroutine counts");
            WaitGroup release = new WaitGroup();
            release.add(1);
            WaitGroup done = new WaitGroup();
            for (int i = 0; i < 1000; i++) {
                done.go(release::await);
            }
            assertEquals(base + 1000, Go.numGoroutine());
            release.done();
            done.await();
            // The last goroutines call done() just before they exit; wait (bounded) for them to end.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Go.numGoroutine() != base && System.nanoTime() < deadline) {
                Go.gosched();
            }
            assertEquals(base, Go.numGoroutine());
        });
    }

    @Test
    void mainRethrowsThePanicInstance() {
        RuntimeException boom = new IllegalArgumentException("boom");
        RuntimeException got = assertThrows(RuntimeException.class, () -> Go.main(() -> {
            throw boom;
        }));
        assertSame(boom, got);
        // And Go.main can be called again afterwards.
        AtomicBoolean ran = new AtomicBoolean();
        Go.main(() -> ran.set(true));
        assertTrue(ran.get());
    }

    @Test
    void mainFromGoroutineOrTwiceIsRefused() throws Exception {
        AtomicReference<Throwable> inner = new AtomicReference<>();
        Go.main(() -> {
            try {
                Go.main(() -> {});
            } catch (IllegalStateException e) {
                inner.set(e);
            }
        });
        assertTrue(inner.get() instanceof IllegalStateException);

        CountDownLatch inMain = new CountDownLatch(1);
        WaitGroup release = new WaitGroup();
        release.add(1);
        Thread t = new Thread(() -> Go.main(() -> {
            inMain.countDown();
            release.await(); // parks the main goroutine; a plain thread releases it below
        }));
        t.start();
        assertTrue(inMain.await(60, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> Go.main(() -> {}));
        release.done();
        t.join(60_000);
        assertFalse(t.isAlive());
    }

    @Test
    void goFromPlainThreadStartsTheRuntime() throws Exception {
        CountDownLatch ran = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            Go.go(ran::countDown);
        }
        assertTrue(ran.await(60, TimeUnit.SECONDS));
    }

    @Test
    void onPanicReceivesTheExceptionAndTheProgramGoesOn() throws Exception {
        AtomicReference<Throwable> got = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        RuntimeException boom = new IllegalStateException("boom");
        Go.onPanic(t -> {
            got.set(t);
            handled.countDown();
        });
        try {
            Go.go(() -> {
                throw boom;
            });
            assertTrue(handled.await(60, TimeUnit.SECONDS));
            assertSame(boom, got.get());
            AtomicBoolean later = new AtomicBoolean();
            Go.main(() -> later.set(true));
            assertTrue(later.get(), "the runtime still runs goroutines");
        } finally {
            Go.onPanic(null);
        }
    }

    @Test
    void stackShowsWaitReasonsAndFrames() {
        Go.main(() -> {
            WaitGroup release = new WaitGroup();
            release.add(1);
            WaitGroup started = new WaitGroup();
            started.add(1);
            Go.go(() -> {
                started.done();
                release.await();
            });
            started.await();
            // The goroutine may need a moment to park after done(); bounded wait for its state.
            String dump = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                dump = Go.stack(true);
                if (dump.contains("[sync.WaitGroup.Wait]:")) {
                    break;
                }
                Go.gosched();
            }
            String self = Go.stack(false);
            release.done();
            assertTrue(self.matches("(?s)goroutine \\d+ \\[running\\]:\n.*"), self);
            assertTrue(self.contains("dev.gort.SchedulerTest.lambda$stackShowsWaitReasonsAndFrames"), self);
            assertTrue(self.contains("\tSchedulerTest.java:"), self);
            assertFalse(self.contains("Continuation"), "continuation machinery is hidden: " + self);
            assertTrue(dump.startsWith(self.substring(0, self.indexOf('\n'))), "the caller comes first: " + dump);
            assertTrue(dump.matches("(?s).*\n\ngoroutine \\d+ \\[sync.WaitGroup.Wait\\]:\n.*"), dump);
            assertTrue(dump.contains("dev.gort.sync.WaitGroup.await(...)\n\tWaitGroup.java:"), dump);
        });
    }

    @Test
    void numCPUAndGomaxprocsQuery() {
        assertTrue(Go.numCPU() >= 1);
        int p = Go.gomaxprocs(0);
        assertTrue(p >= 1);
        assertEquals(p, Go.gomaxprocs(-5), "n < 1 only queries");
    }

    @Test
    void goOfNullIsAPanic() {
        Panic p = assertThrows(Panic.class, () -> Go.go(null));
        assertEquals("go of nil func value", p.getMessage());
    }

    @Test
    void goschedAndCheckpointOnPlainThreadDoNothing() {
        Go.gosched();
        Go.checkpoint();
    }
}
