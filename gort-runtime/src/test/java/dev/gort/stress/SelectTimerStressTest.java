package dev.gort.stress;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Received;
import dev.gort.Select;
import dev.gort.sync.WaitGroup;
import dev.gort.time.Time;
import dev.gort.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Timers under load: many goroutines (and a few plain threads) select between a channel that is
 * sometimes sent on and a timer's channel ({@code Time.after} or {@code Timer.newTimer}), with
 * timeouts from 0 to 2 ms, so that values and timeouts race.
 *
 * <p>Checks, none of them timing-dependent: each select returns once and runs exactly one callback;
 * a channel nobody sends on never wins; an unbuffered sender's send case fired if and only if the
 * select took its value; a buffered value the select did not take is still in the buffer; a
 * {@code Timer} whose value was not received is stopped with {@code stop() == true} (Go 1.23: a
 * timer that fired but was never received counts as stopped), one whose value was received with
 * {@code false}; and after stop nothing is received from its channel, not even once its deadline
 * has passed.
 */
class SelectTimerStressTest extends StressBase {

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @ValueSource(ints = {1, 2, 4})
    void selectsWithTimeoutsAgainstSometimesDeliveringChannels(int procs) {
        long seed = Stress.seed();
        String name = "select/timeout GOMAXPROCS=" + procs + " seed=" + seed;
        Stress.withGomaxprocs(procs, () -> {
            int baseline = Go.numGoroutine();
            SplittableRandom rnd = new SplittableRandom(seed);
            Counters k = new Counters();
            Stress.Crew crew = new Stress.Crew(errors);
            int goroutines = Stress.scaled(800);
            for (int i = 0; i < goroutines; i++) {
                SplittableRandom r = rnd.split();
                int id = i;
                crew.goroutine("selector-" + i, g -> {
                    for (int round = 0; round < 5; round++) {
                        selectRound("selector-" + id + "/" + round, id * 1000 + round, r, k);
                    }
                });
            }
            for (int i = 0; i < 2; i++) {
                SplittableRandom r = rnd.split();
                int id = goroutines + i;
                crew.thread("thread-selector-" + i, g -> {
                    for (int round = 0; round < Stress.scaled(150); round++) {
                        selectRound("thread-selector-" + id + "/" + round, id * 1000 + round, r, k);
                    }
                });
            }
            crew.runAndAwait(name);
            errors.check(name + " " + k);
            if (k.values.get() == 0 || k.timeouts.get() == 0) {
                throw new AssertionError(name + ": values and timeouts did not both happen: " + k);
            }
            Stress.assertNoGoroutineLeftBehind(baseline, name);
        });
    }

    private static final class Counters {
        final AtomicLong values = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong stopped = new AtomicLong();

        @Override
        public String toString() {
            return "(values " + values + ", timeouts " + timeouts + ", timers stopped " + stopped + ")";
        }
    }

    /**
     * One select between a value channel and a timer; the sender (if any) is its own goroutine, and
     * the round ends only when it has finished.
     */
    private void selectRound(String who, int v, SplittableRandom r, Counters k) {
        boolean buffered = r.nextBoolean();
        Chan<Integer> c = Chan.make(buffered ? 1 : 0);
        Chan<Object> abandon = Chan.make();
        boolean deliver = r.nextInt(3) != 0;
        boolean useTimer = r.nextBoolean();
        long micros = r.nextInt(8) == 0 ? 0 : r.nextInt(2000);
        int spins = r.nextInt(4);
        Duration d = Duration.ofNanos(micros * 1000);

        int[] senderCase = {-1}; // written by the sender, read after wg.await
        WaitGroup wg = new WaitGroup();
        if (deliver) {
            wg.add(1);
            Go.go(() -> {
                try {
                    for (int i = 0; i < spins; i++) {
                        Go.gosched();
                    }
                    if (buffered) {
                        c.send(v); // the only send on a 1-slot channel: never blocks
                        senderCase[0] = 0;
                    } else {
                        senderCase[0] = Select.select(Select.send(c, v, () -> {}), Select.recv(abandon, x -> {}));
                    }
                } catch (Throwable t) {
                    errors.add(who + " sender", t);
                } finally {
                    wg.done();
                }
            });
        }
        Timer t = useTimer ? Timer.newTimer(d) : null;
        Chan<Instant> tc = useTimer ? t.c() : Time.after(d);
        int[] calls = {0};
        Integer[] gotValue = {null};
        Instant[] gotTime = {null};
        int idx = Select.select(Select.recv(c, x -> {
            calls[0]++;
            gotValue[0] = x;
        }), Select.recv(tc, x -> {
            calls[0]++;
            gotTime[0] = x;
        }));
        abandon.close();
        if (calls[0] != 1) {
            errors.fail(who, calls[0] + " callbacks ran for one select");
        }
        if (idx == 0) {
            k.values.incrementAndGet();
            if (!deliver) {
                errors.fail(who, "a channel nobody sends on delivered " + gotValue[0]);
            } else if (gotValue[0] == null || gotValue[0] != v) {
                errors.fail(who, "received " + gotValue[0] + ", sent " + v);
            }
        } else if (idx == 1) {
            k.timeouts.incrementAndGet();
            if (gotTime[0] == null) {
                errors.fail(who, "the timer delivered null");
            }
        } else {
            errors.fail(who, "select returned " + idx);
        }
        boolean stopped = false;
        if (useTimer) {
            stopped = t.stop();
            if (stopped != (idx == 0)) {
                errors.fail(who, "Timer.stop() returned " + stopped + " but the timer's value was "
                        + (idx == 0 ? "never received" : "received") + " (timeout " + micros + " us)");
            }
            Received<Instant> stale = t.c().tryRecv();
            if (stale != null) {
                errors.fail(who, "received " + stale + " from a stopped timer");
            }
            if (stopped) {
                k.stopped.incrementAndGet();
            }
        }
        wg.await();
        if (deliver && buffered) {
            // The value the select did not take is still in the buffer; nothing else is.
            int expect = idx == 0 ? 0 : 1;
            if (c.len() != expect) {
                errors.fail(who, "buffer holds " + c.len() + " values, expected " + expect);
            } else if (expect == 1) {
                Received<Integer> left = c.tryRecv();
                if (left == null || !left.ok() || left.value() != v) {
                    errors.fail(who, "left in the buffer: " + left);
                }
            }
        } else if (deliver) {
            if ((senderCase[0] == 0) != (idx == 0)) {
                errors.fail(who, "unbuffered: the sender's case " + senderCase[0] + " but the select's " + idx);
            }
        } else if (c.len() != 0) {
            errors.fail(who, "a channel nobody sends on holds a value");
        }
        if (stopped && r.nextInt(4) == 0) {
            // Past the stopped timer's deadline, its channel still delivers nothing.
            int[] stale = {0};
            Select.select(Select.recv(t.c(), x -> stale[0]++), Select.recv(Time.after(d.plusMillis(2)), x -> {}));
            if (stale[0] != 0) {
                errors.fail(who, "a stopped timer fired after its deadline");
            }
        }
    }

    /**
     * A one-shot timer whose value nobody receives is always stopped with {@code stop() == true}
     * (Go 1.23+: pending, or fired but not received, or being sent right now), and {@code reset} on
     * it returns true as well. Timeouts of 0 to 100 us make the stop race the firing.
     */
    @Test
    void stopOfAnUnreceivedTimerReturnsTrue() {
        long seed = Stress.seed();
        String name = "stop/fire race seed=" + seed;
        Stress.withGomaxprocs(2, () -> {
            int baseline = Go.numGoroutine();
            SplittableRandom rnd = new SplittableRandom(seed);
            AtomicLong falseStops = new AtomicLong();
            AtomicLong falseResets = new AtomicLong();
            AtomicLong total = new AtomicLong();
            Stress.Crew crew = new Stress.Crew(errors);
            int iterations = Stress.scaled(1000);
            for (int i = 0; i < 100 + 2; i++) {
                SplittableRandom r = rnd.split();
                boolean thread = i >= 100;
                crew.add("stopper-" + i, !thread, g -> {
                    for (int n = 0; n < (thread ? 10 * iterations : iterations); n++) {
                        Timer t = Timer.newTimer(Duration.ofNanos(r.nextInt(100_000)));
                        for (int s = r.nextInt(4); s > 0; s--) {
                            Stress.yieldNow(g);
                        }
                        if (r.nextInt(4) == 0) {
                            if (!t.reset(Duration.ofNanos(r.nextInt(100_000)))) {
                                falseResets.incrementAndGet();
                            }
                        }
                        if (!t.stop()) {
                            falseStops.incrementAndGet();
                        }
                        if (t.c().tryRecv() != null) {
                            errors.fail("stopper", "a value after stop");
                        }
                        total.incrementAndGet();
                    }
                });
            }
            crew.runAndAwait(name);
            errors.check(name);
            if (falseStops.get() != 0 || falseResets.get() != 0) {
                throw new AssertionError(name + ": of " + total + " timers never received, stop() returned false "
                        + falseStops + " times and reset() " + falseResets
                        + " times (Go 1.23: a timer that fired but whose value was not received is still pending)");
            }
            Stress.assertNoGoroutineLeftBehind(baseline, name);
        });
    }
}
