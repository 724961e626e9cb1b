package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

    /** Two goroutines that Gosched after every step alternate strictly: Gosched is a FIFO global queue. */
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
        for (int i = 1; i < log.size(); i++) {
            assertNotEquals(log.get(i - 1), log.get(i), "strict alternation at " + i + ": " + log);
        }
    }

    /**
     * The seed program's order: each new goroutine goes to runnext, kicking the previous one to the
     * local queue, so the last one created runs first and the rest in creation order.
     */
    @Test
    void runnextOrder() {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i <= 10; i++) {
                int n = i;
                wg.go(() -> order.add(n));
            }
            wg.await();
        });
        assertEquals(List.of(10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order);
    }

    /** A goroutine readied by another lands in the waker's runnext and runs next (time-slice handoff). */
    @Test
    void readiedGoroutineRunsNext() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
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
        assertEquals(List.of("other", "waiter", "third"), log);
    }
}
