package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.sync.WaitGroup;
import dev.gort.time.Time;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Go.gomaxprocs called by a goroutine whose P sysmon has handed off (it spun without preemption
 * points and kept its thread). Its class of its own: if timers are lost, the sleepers stay blocked
 * for the rest of the JVM.
 */
class HandedOffResizeTest {
    static volatile long sink;

    /**
     * GOMAXPROCS=1: a spinner takes the only P and is handed off; the main goroutine (on the
     * replacement P) raises GOMAXPROCS to 4 and puts 40 goroutines to sleep for 300 ms, spread
     * over the Ps. Then the spinner itself shrinks GOMAXPROCS to 1, which moves the timers of the
     * removed Ps to a remaining one. Every sleeper must wake.
     */
    @Test
    void resizeByAHandedOffGoroutineKeepsEveryTimer() {
        // Regression: procresize on the M of a goroutine whose P sysmon retook used that retaken
        // P (outside allp) as the caller's P and moved the removed Ps' timers into its dead heap,
        // where nobody ran them.
        resizeWithSleepers(true);
    }

    /** The control: the same, but the main goroutine (on a live P) resizes. */
    @Test
    void resizeByAGoroutineOnALivePKeepsEveryTimer() {
        resizeWithSleepers(false);
    }

    private void resizeWithSleepers(boolean bySpinner) {
        int before = Go.gomaxprocs(1);
        AtomicInteger woke = new AtomicInteger();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Go.main(() -> {
                boolean[] flags = new boolean[3]; // [0] main ran, [1] resize now, [2] resized
                Object lock = new Object();
                Go.go(() -> {
                    // Spin with no calls into Gort until the main goroutine has run (a hand-off).
                    waitFlag(lock, flags, 0);
                    waitFlag(lock, flags, 1);
                    if (bySpinner) {
                        Go.gomaxprocs(1); // called while this goroutine still holds the P it lost
                        setFlag(lock, flags, 2);
                    }
                });
                Go.gosched(); // the spinner takes the only P; we are back only after a hand-off
                setFlag(lock, flags, 0);
                assertEquals(1, Go.gomaxprocs(4));
                AtomicInteger asleep = new AtomicInteger();
                WaitGroup wg = new WaitGroup();
                for (int i = 0; i < 40; i++) {
                    wg.go(() -> {
                        long until = System.nanoTime() + 2_000_000; // some work, so the Ps share them
                        while (System.nanoTime() < until) {
                            sink++;
                            Go.checkpoint();
                        }
                        asleep.incrementAndGet();
                        Go.sleep(Duration.ofMillis(300));
                        woke.incrementAndGet();
                    });
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (asleep.get() < 40 && System.nanoTime() < deadline) {
                    Go.sleep(Duration.ofMillis(1));
                }
                assertEquals(40, asleep.get());
                setFlag(lock, flags, 1);
                if (!bySpinner) {
                    Go.gomaxprocs(1);
                    setFlag(lock, flags, 2);
                }
                Chan<Boolean> done = Chan.make(1);
                Go.go(() -> {
                    wg.await();
                    done.send(true);
                });
                int which = Select.select(
                        Select.recv(done, v -> { }),
                        Select.recv(Time.after(Duration.ofSeconds(5)), v -> { }));
                synchronized (lock) {
                    assertTrue(flags[2], "the spinner resized");
                }
                assertEquals(0, which, "every sleeper woke within 5 s; woke: " + woke.get() + " of 40");
            }));
        } finally {
            Go.gomaxprocs(before);
        }
        assertEquals(40, woke.get());
    }

    private static void waitFlag(Object lock, boolean[] flags, int i) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            synchronized (lock) {
                if (flags[i]) {
                    return;
                }
            }
        }
        throw new AssertionError("flag " + i + " not set in 30 s");
    }

    private static void setFlag(Object lock, boolean[] flags, int i) {
        synchronized (lock) {
            flags[i] = true;
        }
    }
}
