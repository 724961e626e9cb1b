package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.sync.WaitGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scheduling order at GOMAXPROCS=1, where it is deterministic (Go: TestYieldProgress and friends). */
class GoschedTest {
    private int before;

    @BeforeEach
    void oneP() {
        before = Go.gomaxprocs(1);
    }

    @AfterEach
    void restore() {
        Go.gomaxprocs(before);
    }

    /** Without Gosched the spinner would keep the only P; with it, the other goroutine runs. */
    @Test
    void goschedLetsOthersRun() {
        Go.main(() -> {
            boolean[] flag = {false};
            Go.go(() -> flag[0] = true);
            long spins = 0;
            while (!flag[0]) {
                Go.gosched();
                spins++;
            }
            assertEquals(true, flag[0]);
            assertNotEquals(-1, spins);
        });
    }

    /**
     * Two goroutines that Gosched after every step alternate: Gosched puts the G at the tail of the
     * FIFO global queue. Not strictly: when both are in the global queue, a batch moves one of them
     * to the local queue, and every 61st time slice the scheduler takes from the global queue first
     * (Go's fairness check), so one goroutine may run twice in a row — never three times.
     */
    @Test
    void goschedAlternates() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (String name : new String[] {"a", "b"}) {
                wg.go(() -> {
                    for (int i = 0; i < 50; i++) {
                        log.add(name);
                        Go.gosched();
                    }
                });
            }
            wg.await();
        });
        assertEquals(100, log.size());
        int repeats = 0;
        for (int i = 2; i < log.size(); i++) {
            boolean three = log.get(i).equals(log.get(i - 1)) && log.get(i).equals(log.get(i - 2));
            assertFalse(three, "a goroutine ran three times in a row at " + i + ": " + log);
        }
        for (int i = 1; i < log.size(); i++) {
            if (log.get(i).equals(log.get(i - 1))) {
                repeats++;
            }
        }
        assertTrue(repeats <= 4, "at most a few fairness-check repeats in 100 steps: " + log);
    }

    /**
     * The seed program's order: each new goroutine goes to runnext, kicking the previous one to the
     * local queue, so the last one created runs first and the rest in creation order.
     */
    @Test
    void runnextOrder() {
        List<Integer> expected = List.of(10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        // sysmon may legitimately preempt or hand off the creator in a cold JVM (a slice over
        // 10 ms while classes load), which changes the order: the rule must show in an
        // unperturbed round, and later rounds run warm, in microseconds.
        for (int round = 0; round < 5 && !order.equals(expected); round++) {
            order.clear();
            Go.main(() -> {
                WaitGroup wg = new WaitGroup();
                for (int i = 0; i <= 10; i++) {
                    int n = i;
                    wg.go(() -> order.add(n));
                }
                wg.await();
            });
        }
        assertEquals(expected, order);
    }

    /** A goroutine readied by another lands in the waker's runnext and runs next (time-slice handoff). */
    @Test
    void readiedGoroutineRunsNext() {
        List<String> expected = List.of("other", "waiter", "third");
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        // As in runnextOrder: the order must show in a round sysmon did not perturb.
        for (int round = 0; round < 5 && !log.equals(expected); round++) {
            log.clear();
            Go.main(() -> {
                WaitGroup gate = new WaitGroup();
                gate.add(1);
                WaitGroup all = new WaitGroup();
                all.go(() -> {
                    gate.await();
                    log.add("waiter");
                });
                all.go(() -> log.add("other"));
                // Let both start: "other" runs and ends, "waiter" parks on the gate.
                while (log.size() < 1) {
                    Go.gosched();
                }
                all.go(() -> log.add("third")); // queued in runnext
                gate.done(); // readies "waiter" into runnext, kicking "third" to the queue
                all.await();
            });
        }
        assertEquals(expected, log);
    }

    /**
     * Goroutines created but not yet run have no G yet: numGoroutine counts them, the dump says how
     * many there are, and they get their ids when they start.
     */
    @Test
    void notYetStartedGoroutinesAreCountedAndReported() {
        Go.main(() -> {
            int base = Go.numGoroutine();
            WaitGroup wg = new WaitGroup();
            // One P and no yield: none of the five runs before the dump, unless sysmon hands this
            // goroutine's P to another M meanwhile (a slow first dump, a JIT pause: > 12 ms in one
            // goroutine), which is right too. So try a few times; one clean window must show it.
            String dump = "";
            boolean seen = false;
            for (int attempt = 0; attempt < 10 && !seen; attempt++) {
                for (int i = 0; i < 5; i++) {
                    wg.go(() -> {});
                }
                int n = Go.numGoroutine();
                dump = Go.stack(true);
                seen = n == base + 5 && dump.endsWith("\n\n5 goroutines [runnable, not yet started]\n");
                wg.await();
            }
            org.junit.jupiter.api.Assertions.assertTrue(seen, dump);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (Go.numGoroutine() != base && System.nanoTime() < deadline) {
                Go.gosched();
            }
            assertEquals(base, Go.numGoroutine());
            org.junit.jupiter.api.Assertions.assertFalse(Go.stack(true).contains("not yet started"));
        });
    }
}
