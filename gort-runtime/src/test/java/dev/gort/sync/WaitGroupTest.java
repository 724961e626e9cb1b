package dev.gort.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gort.Go;
import dev.gort.Panic;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** sync.WaitGroup on the rewritten semaphore (Go: sync/waitgroup_test.go). */
class WaitGroupTest {

    /**
     * Go: TestWaitGroup. n goroutines (and a plain thread) wait on wg1 while the test counts wg1
     * down; none may return before the count reaches zero. Twice, to reuse the WaitGroups.
     */
    @Test
    void waitersReleasedOnlyAtZero() {
        WaitGroup wg1 = new WaitGroup();
        WaitGroup wg2 = new WaitGroup();
        int n = 16;
        for (int round = 0; round < 2; round++) {
            AtomicInteger early = new AtomicInteger();
            AtomicInteger counted = new AtomicInteger();
            wg1.add(n);
            wg2.add(n + 1);
            Workers w = new Workers();
            Runnable waiter = () -> {
                wg1.await();
                if (counted.get() != n) {
                    early.incrementAndGet();
                }
                wg2.done();
            };
            for (int i = 0; i < n; i++) {
                w.go(waiter);
            }
            w.thread(waiter);
            for (int i = 0; i < n; i++) {
                counted.incrementAndGet();
                wg1.done();
            }
            wg2.await();
            w.await();
            assertEquals(0, early.get(), "Wait returned before the counter reached zero");
        }
    }

    /** Go: TestWaitGroupMisuse. */
    @Test
    void negativeCounterPanics() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        wg.done();
        Panic p = assertThrows(Panic.class, wg::done);
        assertEquals("sync: negative WaitGroup counter", p.getMessage());
    }

    /** Go: TestWaitGroupGo (1.25's wg.Go). */
    @Test
    void goRunsAndWaits() {
        WaitGroup wg = new WaitGroup();
        AtomicInteger ran = new AtomicInteger();
        Go.main(() -> {
            for (int i = 0; i < 1000; i++) {
                wg.go(ran::incrementAndGet);
            }
            wg.await();
        });
        assertEquals(1000, ran.get());
    }

    @Test
    void awaitAtZeroReturnsAtOnce() {
        new WaitGroup().await();
    }

    @Test
    void waitReasonInDump() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        Workers w = new Workers();
        w.go(wg::await);
        Workers.eventually("goroutine parked in sync.WaitGroup.Wait",
                () -> Workers.waitingIn("sync.WaitGroup.Wait") == 1);
        wg.done();
        w.await();
    }
}
