package dev.gort.stress;

import dev.gort.Go;
import dev.gort.time.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Timers stopped and reset from plain threads while GOMAXPROCS changes (each change moves the
 * timers of removed Ps to the remaining ones), with goroutines sleeping all along.
 *
 * <p>Checks: {@code reset} and {@code stop} of a timer that cannot have fired yet (one hour) return
 * true; every sleeper wakes up (a timer lost from a heap would leave one asleep for ever); no
 * runtime thread dies. Plain threads are used for the stops and resets because a goroutine's call
 * cannot overlap a stop-the-world, while a plain thread's can.
 *
 * <p>Its own class, so its own test JVM: a failure here can kill a runtime worker thread.
 */
class TimerResizeStressTest extends StressBase {

    @Test
    void stopAndResetFromThreadsWhileGomaxprocsChanges() {
        String name = "timers/procresize";
        Stress.withGomaxprocs(4, () -> {
            int baseline = Go.numGoroutine();
            AtomicLong falseResets = new AtomicLong();
            AtomicLong falseStops = new AtomicLong();
            AtomicLong timers = new AtomicLong();
            Stress.Crew sleepers = new Stress.Crew(errors);
            int rounds = Stress.scaled(300);
            for (int i = 0; i < 200; i++) {
                int id = i;
                sleepers.goroutine("sleeper-" + i, g -> {
                    for (int j = 0; j < rounds; j++) {
                        Go.sleep(Duration.ofMillis(1 + (id + j) % 3));
                    }
                });
            }
            Stress.Resizer resizer = Stress.Resizer.start(0); // back to back: as many moves as possible
            Thread[] resetters = new Thread[2];
            AtomicBoolean stop = new AtomicBoolean();
            for (int i = 0; i < resetters.length; i++) {
                resetters[i] = new Thread(() -> {
                    long n = 0;
                    while (!stop.get()) {
                        // A timer that cannot fire during the test: reset and stop must say "pending".
                        Timer t = Timer.newTimer(Duration.ofHours(1));
                        if (!t.reset(Duration.ofHours(1))) {
                            falseResets.incrementAndGet();
                        }
                        if (!t.stop()) {
                            falseStops.incrementAndGet();
                        }
                        // And one that will fire soon after, unless the stop works: its heap entry is
                        // what a mis-tracked timer corrupts.
                        Timer u = Timer.newTimer(Duration.ofMillis(20));
                        u.reset(Duration.ofMillis(10));
                        u.stop();
                        n++;
                    }
                    timers.addAndGet(n);
                }, "stress-resetter-" + i);
                resetters[i].setDaemon(true);
                resetters[i].start();
            }
            try {
                sleepers.runAndAwait(name, 30L * Stress.SCALE);
            } finally {
                stop.set(true);
                for (Thread t : resetters) {
                    try {
                        t.join(TimeUnit.SECONDS.toMillis(30));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                resizer.stop();
            }
            errors.check(name);
            if (falseResets.get() != 0 || falseStops.get() != 0) {
                throw new AssertionError(name + ": of " + timers + " one-hour timers, reset() returned false "
                        + falseResets + " times and stop() " + falseStops + " times (they were pending)");
            }
            Stress.assertNoGoroutineLeftBehind(baseline, name);
        });
    }
}
