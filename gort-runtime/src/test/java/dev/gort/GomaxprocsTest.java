package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.sync.WaitGroup;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Resizing GOMAXPROCS on a running runtime (Go: TestGOMAXPROCS-style, procresize under load). */
class GomaxprocsTest {

    @Test
    void resizeUpAndDownUnderLoadLosesNothing() {
        int start = Go.gomaxprocs(0);
        AtomicLong spawned = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        int[] sizes = {1, 4, 2, 8, 1, 3, 2, 1, 5, 2};
        Go.main(() -> {
            boolean[] stop = {false};
            WaitGroup workers = new WaitGroup();
            for (int w = 0; w < 4; w++) {
                workers.go(() -> {
                    WaitGroup mine = new WaitGroup();
                    while (!stop[0]) {
                        for (int i = 0; i < 100; i++) {
                            spawned.incrementAndGet();
                            mine.go(ran::incrementAndGet);
                        }
                        Go.gosched();
                    }
                    mine.await();
                });
            }
            int prev = Go.gomaxprocs(0);
            for (int round = 0; round < 3; round++) {
                for (int n : sizes) {
                    // Let some work pile up in the run queues before each resize.
                    long target = spawned.get() + 2000;
                    while (spawned.get() < target) {
                        Go.gosched();
                    }
                    assertEquals(prev, Go.gomaxprocs(n), "returns the previous value");
                    assertEquals(n, Go.gomaxprocs(0));
                    prev = n;
                }
            }
            synchronized (stop) {
                stop[0] = true;
            }
            workers.await();
            // Counts of goroutines created on Ps that were later removed must not be lost.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (Go.numGoroutine() != 1 && System.nanoTime() < deadline) {
                Go.gosched();
            }
            assertEquals(1, Go.numGoroutine(), "only the main goroutine is left");
        });
        assertTrue(spawned.get() > 0);
        assertEquals(spawned.get(), ran.get(), "every goroutine of a removed P still ran");
        Go.gomaxprocs(start);
    }

    @Test
    void resizeFromPlainThreadWhileGoroutinesRun() throws Exception {
        int start = Go.gomaxprocs(0);
        AtomicLong ran = new AtomicLong();
        WaitGroup wg = new WaitGroup();
        for (int i = 0; i < 20_000; i++) {
            wg.go(() -> {
                ran.incrementAndGet();
                Go.gosched();
                ran.incrementAndGet();
            });
            if (i % 2000 == 0) {
                Go.gomaxprocs(1 + (i / 2000) % 4);
            }
        }
        wg.await();
        assertEquals(40_000, ran.get());
        Go.gomaxprocs(start);
    }
}
