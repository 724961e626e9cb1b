package dev.gort.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.ChildJvm;
import dev.gort.Go;
import dev.gort.testprog.SyncMisuseProg;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** sync.Mutex (Go: sync/mutex_test.go TestMutex, TestMutexMisuse, TestMutexFairness). */
class MutexTest {

    /** Plain, unsynchronized counter: only the mutex makes its increments safe. */
    private int counter;

    @Test
    void mutualExclusionUnderContentionGoroutinesAndThreads() {
        Mutex mu = new Mutex();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        counter = 0;
        int goroutines = 16;
        int threads = 3;
        int iters = 20_000;
        Workers w = new Workers();
        Runnable body = () -> {
            for (int i = 0; i < iters; i++) {
                // Go's HammerMutex: a third of the acquisitions through TryLock.
                if (i % 3 == 0) {
                    while (!mu.tryLock()) {
                        Go.gosched(); // no-op on a plain thread
                        Thread.onSpinWait();
                    }
                } else {
                    mu.lock();
                }
                if (inside.incrementAndGet() != 1) {
                    violations.incrementAndGet();
                }
                counter++;
                if (i % 64 == 0) {
                    Go.gosched(); // yield while holding it: others must queue, not get in
                }
                inside.decrementAndGet();
                mu.unlock();
            }
        };
        for (int i = 0; i < goroutines; i++) {
            w.go(body);
        }
        for (int i = 0; i < threads; i++) {
            w.thread(body);
        }
        w.await();
        assertEquals(0, violations.get(), "two holders at once");
        mu.lock(); // publishes the last holder's write of counter to this thread
        assertEquals((goroutines + threads) * iters, counter);
        mu.unlock();
        assertEquals(0, mu.state(), "no waiters, no flags left");
    }

    @Test
    void tryLock() {
        Mutex mu = new Mutex();
        assertTrue(mu.tryLock());
        assertFalse(mu.tryLock());
        Workers w = new Workers();
        AtomicBoolean fromGoroutine = new AtomicBoolean(true);
        w.go(() -> fromGoroutine.set(mu.tryLock()));
        w.await();
        assertFalse(fromGoroutine.get(), "held by this thread");
        mu.unlock();
        w.go(() -> {
            fromGoroutine.set(mu.tryLock());
            mu.unlock(); // not owned: another goroutine or thread may unlock, as in Go
        });
        w.await();
        assertTrue(fromGoroutine.get());
        assertEquals(0, mu.state());
    }

    /**
     * At GOMAXPROCS=1, goroutines waiting for a mutex held by a plain thread must park, not block
     * their M: another goroutine still runs, and the dump shows them as [sync.Mutex.Lock].
     */
    @Test
    void waitersParkTheirGoroutineNotTheThread() {
        int prev = Go.gomaxprocs(1);
        try {
            Mutex mu = new Mutex();
            mu.lock();
            Workers w = new Workers();
            AtomicInteger got = new AtomicInteger();
            int n = 50;
            for (int i = 0; i < n; i++) {
                w.go(() -> {
                    mu.lock();
                    got.incrementAndGet();
                    mu.unlock();
                });
            }
            Workers.eventually("all lockers parked", () -> Workers.waitingIn("sync.Mutex.Lock") == n);
            AtomicBoolean probeRan = new AtomicBoolean();
            w.go(() -> probeRan.set(true)); // runs on the one P although 50 goroutines wait
            Workers.eventually("probe goroutine ran", probeRan::get);
            assertEquals(0, got.get());
            assertEquals(n, mu.state() >>> Mutex.mutexWaiterShift, "waiter count in the state word");
            mu.unlock();
            w.await();
            assertEquals(n, got.get());
            assertEquals(0, mu.state());
        } finally {
            Go.gomaxprocs(prev);
        }
    }

    /**
     * Starvation mode (Go: TestMutexFairness). A hog goroutine holds the mutex almost all the time
     * (100 us per iteration, re-locking at once), so in normal mode a woken waiter nearly always
     * loses the race to the running hog. Once the waiter has waited over 1 ms it sets the starving
     * bit, and from then on:
     * <ul>
     *   <li>the starving bit is visible to the hog while it holds the mutex (observed);</li>
     *   <li>the hog's Unlock hands the mutex to the waiter, so the hog's next Lock returns only
     *       after the waiter has held it (checked on every hand-off). One race is inherent in Go's
     *       algorithm: if the waiter set the bit but has not reached the semaphore's queue yet,
     *       the released unit stays in the semaphore and the hog's next Lock, queueing as a
     *       starving-mode newcomer, may take it first. That window is tiny, so most hand-offs
     *       must reach the waiter;</li>
     *   <li>so the hog completes only a few iterations after the waiter's 1 ms mark (1 to 3 on an
     *       idle machine; the bound allows for OS scheduling delays of a loaded 2-core machine
     *       before the woken waiter first runs; without starvation mode it takes thousands).</li>
     * </ul>
     * The waiter does rounds, each started while the hog holds the mutex, until it has waited over
     * 1 ms in 3 of them (in normal mode it may catch the hog's brief unlocked gap while spinning,
     * especially before the JIT warms up).
     */
    @Test
    void waiterStarvingForOneMillisecondGetsTheMutexNext() {
        int prev = Go.gomaxprocs(2);
        try {
            Mutex mu = new Mutex();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean hogRunning = new AtomicBoolean();
            // When the waiter started waiting (0: not waiting); read by the hog under mu.
            AtomicLong waitStart = new AtomicLong();
            // Incremented by the waiter under mu.
            AtomicInteger waiterAcquisitions = new AtomicInteger();
            AtomicInteger starvingSeen = new AtomicInteger();
            AtomicInteger handoffsToWaiter = new AtomicInteger();
            AtomicInteger handoffsRetaken = new AtomicInteger();
            AtomicInteger hogIters = new AtomicInteger();
            // Written by the hog under mu, read and reset by the waiter under mu.
            int[] itersAfterThreshold = {0};
            int[] maxItersAfterThreshold = {0};
            int[] rounds = {0};
            int[] slowRounds = {0};
            AtomicLong longestWaitNs = new AtomicLong();
            Workers hog = new Workers();
            hog.go(() -> {
                hogRunning.set(true);
                int acquisitionsAtHandoff = -1;
                while (!stop.get()) {
                    mu.lock();
                    if (acquisitionsAtHandoff >= 0) {
                        // Our last Unlock found the mutex starving: did it go to the waiter?
                        (waiterAcquisitions.get() != acquisitionsAtHandoff ? handoffsToWaiter : handoffsRetaken)
                                .incrementAndGet();
                        acquisitionsAtHandoff = -1;
                    }
                    hogIters.incrementAndGet();
                    long ws = waitStart.get();
                    if (ws != 0 && System.nanoTime() - ws > Mutex.starvationThresholdNs) {
                        itersAfterThreshold[0]++;
                    }
                    Workers.busy(100_000);
                    if ((mu.state() & Mutex.mutexStarving) != 0) {
                        // Only the waiter sets it (the hog never waits 1 ms) and only a hand-off
                        // clears it, so it holds until our Unlock.
                        starvingSeen.incrementAndGet();
                        acquisitionsAtHandoff = waiterAcquisitions.get();
                    }
                    mu.unlock();
                }
            });
            Workers.eventually("hog running", hogRunning::get);
            Workers waiter = new Workers();
            waiter.go(() -> {
                int seenHogIters = 0;
                long deadline = System.nanoTime() + Workers.TIMEOUT_SECONDS * 1_000_000_000L;
                while (slowRounds[0] < 3 && rounds[0] < 100) {
                    // Start each round while the hog holds the mutex: wait for its next iteration
                    // (after a hand-off it must first be scheduled again).
                    while (hogIters.get() == seenHogIters) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new AssertionError("the hog stopped iterating");
                        }
                        Go.gosched();
                    }
                    seenHogIters = hogIters.get();
                    rounds[0]++;
                    long t0 = System.nanoTime();
                    waitStart.set(t0);
                    mu.lock();
                    long waited = System.nanoTime() - t0;
                    waitStart.set(0);
                    waiterAcquisitions.incrementAndGet();
                    if (waited > Mutex.starvationThresholdNs) {
                        slowRounds[0]++;
                    }
                    longestWaitNs.accumulateAndGet(waited, Math::max);
                    maxItersAfterThreshold[0] = Math.max(maxItersAfterThreshold[0], itersAfterThreshold[0]);
                    itersAfterThreshold[0] = 0;
                    mu.unlock();
                }
            });
            try {
                waiter.await();
            } finally {
                stop.set(true);
            }
            hog.await();
            String stats = String.format("%d rounds, %d waited over 1 ms, longest wait %d us; hog iterations %d;"
                            + " starving seen %d times, hand-offs to the waiter %d, re-taken by the hog %d;"
                            + " max hog iterations after the 1 ms mark %d",
                    rounds[0], slowRounds[0], longestWaitNs.get() / 1000, hogIters.get(), starvingSeen.get(),
                    handoffsToWaiter.get(), handoffsRetaken.get(), maxItersAfterThreshold[0]);
            System.out.println("fairness: " + stats);
            assertTrue(slowRounds[0] > 0, "the waiter never waited 1 ms: " + stats);
            assertTrue(starvingSeen.get() > 0, "starvation mode never observed: " + stats);
            assertTrue(handoffsToWaiter.get() > 0 && handoffsToWaiter.get() >= 2 * handoffsRetaken.get(),
                    "starvation-mode Unlock did not hand the mutex to the waiter: " + stats);
            assertTrue(maxItersAfterThreshold[0] <= 2000, "the waiter starved: " + stats);
        } finally {
            Go.gomaxprocs(prev);
        }
    }

    /** Go: TestMutexMisuse, for Mutex (RWMutex cases are in RWMutexTest). */
    @Test
    void unlockOfUnlockedMutexIsFatal() throws Exception {
        for (String c : new String[] {"Mutex.Unlock", "Mutex.Unlock2", "Mutex.Unlock.thread"}) {
            ChildJvm.Result r = ChildJvm.run(SyncMisuseProg.class, Map.of(), List.of(), c);
            assertEquals(2, r.exit(), c + ": " + r);
            assertTrue(r.stderr().startsWith("fatal error: sync: unlock of unlocked mutex\n\n"), c + ": " + r);
            assertFalse(r.stdout().contains("UNREACHABLE"), c + ": " + r);
            if (!c.endsWith(".thread")) {
                assertTrue(r.stderr().matches("(?s).*goroutine \\d+ \\[running\\]:\n.*SyncMisuseProg.*"), c + ": " + r);
            }
        }
    }

    @Test
    void toStringShowsState() {
        Mutex mu = new Mutex();
        assertEquals("Mutex[unlocked, waiters=0]", mu.toString());
        mu.lock();
        assertEquals("Mutex[locked, waiters=0]", mu.toString());
        mu.unlock();
        if (mu.state() != 0) {
            fail(mu.toString());
        }
    }
}
