package dev.gort.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Panic;
import dev.gort.Received;
import dev.gort.Select;
import dev.gort.sync.WaitGroup;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Timers, tickers and Go.sleep with Go 1.23 semantics (Go: time/sleep_test.go, tick_test.go). */
class TimerTest {

    /** The check: 10,000 goroutines sleeping 100 ms on one P take about 100 ms, not 1,000 s. */
    @Test
    void tenThousandSleepersOnOneP() {
        int before = Go.gomaxprocs(1);
        try {
            long[] wall = new long[1];
            Go.main(() -> {
                long t0 = System.nanoTime();
                WaitGroup wg = new WaitGroup();
                for (int i = 0; i < 10_000; i++) {
                    wg.go(() -> Go.sleep(Duration.ofMillis(100)));
                }
                wg.await();
                wall[0] = (System.nanoTime() - t0) / 1_000_000;
            });
            assertTrue(wall[0] >= 100, "slept at least 100 ms: " + wall[0]);
            assertTrue(wall[0] < 1000, "10,000 sleepers in parallel, not in sequence: " + wall[0] + " ms");
        } finally {
            Go.gomaxprocs(before);
        }
    }

    @Test
    void sleepersWakeInDeadlineOrder() {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i : new int[] {3, 1, 2}) {
                wg.go(() -> {
                    Go.sleep(Duration.ofMillis(60L * i));
                    order.add(i);
                });
            }
            wg.await();
        });
        assertEquals(List.of(1, 2, 3), order);
    }

    @Test
    void sleepZeroOrNegativeReturnsWithoutYielding() {
        int before = Go.gomaxprocs(1);
        try {
            AtomicBoolean otherRan = new AtomicBoolean();
            Go.main(() -> {
                Go.go(() -> otherRan.set(true));
                Go.sleep(Duration.ZERO);
                Go.sleep(Duration.ofMillis(-5));
                assertFalse(otherRan.get(), "sleep(0) must not yield the P");
            });
        } finally {
            Go.gomaxprocs(before);
        }
    }

    @Test
    void sleepOnPlainThreadSleepsTheThread() {
        long t0 = System.nanoTime();
        Go.sleep(Duration.ofMillis(30));
        assertTrue(System.nanoTime() - t0 >= 30_000_000L);
    }

    @Test
    void timerFiresOnceAndChannelLooksUnbuffered() {
        Go.main(() -> {
            Timer t = Timer.newTimer(Duration.ofMillis(20));
            assertEquals(0, t.c().cap());
            Instant got = t.c().recv();
            assertNotNull(got);
            assertEquals(0, t.c().len());
            assertFalse(t.stop(), "already fired and received");
        });
    }

    @Test
    void stopBeforeFiringPreventsTheValue() {
        Go.main(() -> {
            Timer t = Timer.newTimer(Duration.ofMillis(50));
            assertTrue(t.stop());
            assertFalse(t.stop(), "stopping twice");
            Go.sleep(Duration.ofMillis(100));
            assertNull(t.c().tryRecv(), "no value after stop");
        });
    }

    /** Go 1.23: a timer that fired but was never received: stop takes the value back and says true. */
    @Test
    void stopAfterFiringButBeforeReceiveReturnsTrueAndNoStaleValue() {
        Go.main(() -> {
            Timer t = Timer.newTimer(Duration.ofMillis(5));
            Go.sleep(Duration.ofMillis(60));
            assertTrue(t.stop());
            assertNull(t.c().tryRecv(), "no stale value after stop");
        });
    }

    @Test
    void resetRearmsWithoutStaleValue() {
        Go.main(() -> {
            Timer t = Timer.newTimer(Duration.ofMillis(5));
            Go.sleep(Duration.ofMillis(60)); // fired, not received
            long t0 = System.nanoTime();
            assertTrue(t.reset(Duration.ofMillis(80)));
            assertNull(t.c().tryRecv(), "the earlier firing's value is gone");
            t.c().recv();
            assertTrue(System.nanoTime() - t0 >= 80_000_000L, "fired after the new duration");
        });
    }

    @Test
    void afterFuncRunsInAGoroutineAndCanBeStopped() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        Go.main(() -> {
            Chan<Boolean> done = Chan.make(1);
            Timer t = Timer.afterFunc(Duration.ofMillis(10), () -> {
                ran.incrementAndGet();
                done.send(true);
            });
            assertNull(t.c());
            assertTrue(done.recv());
            Timer never = Timer.afterFunc(Duration.ofMillis(30), ran::incrementAndGet);
            assertTrue(never.stop());
            Go.sleep(Duration.ofMillis(80));
        });
        assertEquals(1, ran.get());
    }

    @Test
    void tickerTicksUntilStopped() {
        Go.main(() -> {
            Ticker tk = Ticker.newTicker(Duration.ofMillis(10));
            for (int i = 0; i < 5; i++) {
                assertNotNull(tk.c().recv());
            }
            tk.stop();
            Go.sleep(Duration.ofMillis(50));
            assertNull(tk.c().tryRecv(), "no tick after stop");
        });
    }

    @Test
    void tickerPanicsOnNonPositiveInterval() {
        assertEquals("non-positive interval for NewTicker",
                assertThrows(Panic.class, () -> Ticker.newTicker(Duration.ZERO)).getMessage());
        Ticker tk = Ticker.newTicker(Duration.ofHours(1));
        assertEquals("non-positive interval for Ticker.Reset",
                assertThrows(Panic.class, () -> tk.reset(Duration.ofMillis(-1))).getMessage());
        tk.stop();
    }

    @Test
    void afterAndTick() {
        Go.main(() -> {
            assertNotNull(Time.after(Duration.ofMillis(5)).recv());
            assertNull(Time.tick(Duration.ZERO));
            Chan<Instant> tick = Time.tick(Duration.ofMillis(5));
            assertNotNull(tick.recv());
            assertNotNull(tick.recv());
        });
    }

    @Test
    void hugeDurationsAreClampedNotOverflowed() {
        Timer t = Timer.newTimer(ChronoUnit.FOREVER.getDuration());
        assertNull(t.c().tryRecv());
        assertTrue(t.stop());
        Timer u = Timer.newTimer(Duration.ofSeconds(Long.MAX_VALUE / 2));
        assertTrue(u.reset(ChronoUnit.FOREVER.getDuration()));
        assertTrue(u.stop());
    }

    /** The select-with-timeout idiom. */
    @Test
    void selectTimesOut() {
        Go.main(() -> {
            Chan<String> never = Chan.make();
            String[] which = {""};
            Select.select(Select.recv(never, v -> which[0] = "value"),
                    Select.recv(Time.after(Duration.ofMillis(20)), v -> which[0] = "timeout"));
            assertEquals("timeout", which[0]);
        });
    }

    /** A plain thread waits on a timer: with every P idle, the poller M must fire it. */
    @Test
    void timerFiresWhileEveryPIsIdle() {
        int before = Go.gomaxprocs(4);
        try {
            Timer t = Timer.newTimer(Duration.ofMillis(30));
            Received<Instant> r = t.c().recvOk();
            assertTrue(r.ok());
        } finally {
            Go.gomaxprocs(before);
        }
    }

    /** Timers of Ps removed by a GOMAXPROCS shrink move to a remaining P and still fire. */
    @Test
    void timersSurviveShrinkingGomaxprocs() {
        int before = Go.gomaxprocs(4);
        try {
            AtomicInteger fired = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            Go.main(() -> {
                for (int i = 0; i < 200; i++) {
                    wg.add(1);
                    Go.go(() -> Timer.afterFunc(Duration.ofMillis(50), () -> {
                        fired.incrementAndGet();
                        wg.done();
                    }));
                }
                Go.sleep(Duration.ofMillis(5));
                Go.gomaxprocs(1);
                wg.await();
            });
            assertEquals(200, fired.get());
        } finally {
            Go.gomaxprocs(before);
        }
    }

    /**
     * A goroutine yielding with Gosched in a loop must not keep its P's timers from firing: Gosched
     * goes back through the scheduler, which runs due timers before it picks the next goroutine.
     */
    @Test
    void goschedLoopLetsTimersFire() {
        int before = Go.gomaxprocs(1);
        try {
            AtomicBoolean flag = new AtomicBoolean();
            Go.main(() -> {
                Go.go(() -> {
                    Go.sleep(Duration.ofMillis(10));
                    flag.set(true);
                });
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!flag.get() && System.nanoTime() < deadline) {
                    Go.gosched();
                }
                assertTrue(flag.get(), "the sleeper's timer fired while main looped on Gosched");
            });
        } finally {
            Go.gomaxprocs(before);
        }
    }
}
