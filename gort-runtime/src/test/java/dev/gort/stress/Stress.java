package dev.gort.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.Go;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Scaffolding shared by the stress tests: the size multiplier, a crew of actors (goroutines and
 * plain threads) run to completion under a generous bound, error collection, and the "no goroutine
 * left behind" check.
 *
 * <p>The checks never depend on timing: a bound only turns a hang into a failure that carries a
 * goroutine dump.
 */
final class Stress {
    /** Size multiplier: {@code -Dgort.stress=10} for a soak run (default 1). */
    static final int SCALE = Math.max(1, Integer.getInteger("gort.stress", 1));

    /** How long a crew may take before the test fails with a dump (grows with the multiplier). */
    static final long CREW_TIMEOUT_S = 90L * SCALE;

    /** How long the goroutine count may take to return to its baseline once every actor is done. */
    private static final long SETTLE_TIMEOUT_S = 30;

    private Stress() {}

    static int scaled(int n) {
        return n * SCALE;
    }

    /**
     * The seed of a scenario's topology and of every actor's choices: {@code -Dgort.stress.seed=N}
     * to replay one (the interleavings still differ from run to run; the seed fixes the shape).
     */
    static long seed() {
        Long s = Long.getLong("gort.stress.seed");
        return s != null ? s : System.nanoTime();
    }

    /** Runs body with GOMAXPROCS n, restoring the previous value afterwards. */
    static void withGomaxprocs(int n, Runnable body) {
        int before = Go.gomaxprocs(n);
        try {
            body.run();
        } finally {
            Go.gomaxprocs(before);
        }
    }

    /**
     * A plain thread that changes GOMAXPROCS through 1, 2, 3, 4 over and over (each change stops
     * the world and moves the goroutines and timers of removed Ps) until stopped.
     */
    static final class Resizer {
        private final Thread thread;
        private volatile boolean stop;
        private volatile int changes;

        private Resizer(long pauseNanos) {
            thread = new Thread(() -> {
                int k = 0;
                while (!stop) {
                    Go.gomaxprocs(1 + k++ % 4);
                    changes = k;
                    if (pauseNanos > 0) {
                        LockSupport.parkNanos(pauseNanos); // pacing only: let the world run between stops
                    }
                }
            }, "stress-resizer");
            thread.setDaemon(true);
        }

        /** Changes GOMAXPROCS about every 100 us. */
        static Resizer start() {
            return start(100_000);
        }

        /** Changes GOMAXPROCS, pausing pauseNanos between changes (0: back to back). */
        static Resizer start(long pauseNanos) {
            Resizer r = new Resizer(pauseNanos);
            r.thread.start();
            return r;
        }

        /** Stops and joins the resizer; returns how many changes it made. */
        int stop() {
            stop = true;
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                throw new AssertionError("Go.gomaxprocs did not return within 60 s\n" + Go.stack(true));
            }
            return changes;
        }
    }

    /** Lets others run: Gosched on a goroutine, a spin hint on a plain thread (never a sleep). */
    static void yieldNow(boolean goroutine) {
        if (goroutine) {
            Go.gosched();
        } else {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /**
     * Waits (bounded) until the number of goroutines is back at baseline, then checks that the dump
     * shows no goroutine blocked in a channel operation.
     */
    static void assertNoGoroutineLeftBehind(int baseline, String scenario) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_TIMEOUT_S);
        int n;
        // Bounded polling: the last actors count down their latch just before their goroutine ends.
        while ((n = Go.numGoroutine()) > baseline && System.nanoTime() < deadline) {
            LockSupport.parkNanos(200_000);
        }
        String dump = Go.stack(true);
        assertEquals(baseline, n, scenario + ": goroutines left behind\n" + dump());
        for (String reason : new String[] {"[chan send", "[chan receive", "[select"}) {
            if (dump.contains(reason)) {
                fail(scenario + ": a goroutine is still parked in " + reason + "]\n" + dump);
            }
        }
    }

    /**
     * Routes what can escape outside the actors into errors: an unrecovered panic in a goroutine
     * ({@code Go.onPanic}) and an exception that kills a thread, such as a runtime worker (M).
     * Returns the undo.
     */
    static Runnable catchEscapes(Errors errors) {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Go.onPanic(t -> errors.add("unrecovered panic in a goroutine", t));
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            errors.add("uncaught in thread " + t.getName(), e);
            if (before != null) {
                before.uncaughtException(t, e);
            } else {
                e.printStackTrace();
            }
        });
        return () -> {
            Go.onPanic(null);
            Thread.setDefaultUncaughtExceptionHandler(before);
        };
    }

    /**
     * A goroutine dump for a failure message: how many goroutines wait for what, then the first 200
     * lines of {@code Go.stack(true)}.
     */
    static String dump() {
        String all = Go.stack(true);
        java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
        all.lines().filter(l -> l.startsWith("goroutine ") && l.contains("[")).forEach(l -> {
            String r = l.substring(l.indexOf('[') + 1, l.lastIndexOf(']') > l.indexOf('[') ? l.lastIndexOf(']') : l.length());
            reasons.merge(r, 1, Integer::sum);
        });
        List<String> lines = all.lines().limit(200).toList();
        return "goroutines by state: " + reasons + "\n" + String.join("\n", lines)
                + (all.lines().count() > 200 ? "\n..." : "");
    }

    /** Everything that went wrong in the actors; checked by the test thread. */
    static final class Errors {
        private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

        void add(String who, Throwable t) {
            errors.add(new AssertionError(who + ": " + t, t));
        }

        void fail(String who, String msg) {
            errors.add(new AssertionError(who + ": " + msg));
        }

        boolean isEmpty() {
            return errors.isEmpty();
        }

        /** The number of errors and the first few messages. */
        String summary() {
            List<Throwable> all = new ArrayList<>(errors);
            StringBuilder sb = new StringBuilder(all.size() + " error(s) in the actors");
            for (int i = 0; i < Math.min(5, all.size()); i++) {
                sb.append("\n  ").append(all.get(i).getMessage());
            }
            return sb.toString();
        }

        /** Throws an AssertionError carrying the first errors (and the count) if there are any. */
        void check(String scenario) {
            if (errors.isEmpty()) {
                return;
            }
            List<Throwable> all = new ArrayList<>(errors);
            AssertionError e = new AssertionError(scenario + ": " + summary());
            for (int i = 0; i < Math.min(5, all.size()); i++) {
                e.addSuppressed(all.get(i));
            }
            throw e;
        }
    }

    /** An actor's body; it learns whether it runs as a goroutine (Gosched) or a plain thread. */
    @FunctionalInterface
    interface Body {
        void run(boolean goroutine) throws Exception;
    }

    /**
     * A set of actors started together and awaited by the (plain) test thread with a bound. An
     * exception escaping an actor is recorded in {@link #errors}, never lost.
     */
    static final class Crew {
        final Errors errors;
        private final List<String> names = new ArrayList<>();
        private final List<Boolean> goroutine = new ArrayList<>();
        private final List<Body> bodies = new ArrayList<>();
        private final Set<String> running = ConcurrentHashMap.newKeySet();

        Crew(Errors errors) {
            this.errors = errors;
        }

        Crew goroutine(String name, Body body) {
            return add(name, true, body);
        }

        Crew thread(String name, Body body) {
            return add(name, false, body);
        }

        Crew add(String name, boolean asGoroutine, Body body) {
            names.add(name);
            goroutine.add(asGoroutine);
            bodies.add(body);
            return this;
        }

        int size() {
            return names.size();
        }

        /**
         * Starts every actor (goroutines through Go.go from this plain thread, threads as daemons),
         * in an interleaved order, and waits for all of them; on timeout fails with a dump and the
         * names of the actors still running.
         */
        void runAndAwait(String scenario) {
            runAndAwait(scenario, CREW_TIMEOUT_S);
        }

        /** {@link #runAndAwait(String)} with another bound, in seconds. */
        void runAndAwait(String scenario, long timeoutSeconds) {
            int n = names.size();
            CountDownLatch done = new CountDownLatch(n);
            running.addAll(names);
            for (int i = 0; i < n; i++) {
                String name = names.get(i);
                Body body = bodies.get(i);
                boolean g = goroutine.get(i);
                Runnable r = () -> {
                    try {
                        body.run(g);
                    } catch (Throwable t) {
                        errors.add(name, t);
                    } finally {
                        running.remove(name);
                        done.countDown();
                    }
                };
                if (g) {
                    Go.go(r);
                } else {
                    Thread t = new Thread(r, "stress-" + name);
                    t.setDaemon(true);
                    t.start();
                }
            }
            // Wait for all; but once an actor has failed, the others may wait for it for ever: give
            // them a few seconds, then report the failure instead of the full bound.
            boolean finished = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            long failedAt = 0;
            try {
                while (!finished && System.nanoTime() < deadline) {
                    finished = done.await(250, TimeUnit.MILLISECONDS);
                    if (!finished && !errors.isEmpty()) {
                        if (failedAt == 0) {
                            failedAt = System.nanoTime();
                        } else if (System.nanoTime() - failedAt > TimeUnit.SECONDS.toNanos(5)) {
                            throw new AssertionError(scenario + ": " + errors.summary() + "\n" + running.size()
                                    + " actor(s) still running 5 s after the first error\n" + dump());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(scenario + ": interrupted", e);
            }
            if (!finished) {
                Set<String> left = new TreeSet<>(running);
                String head = left.size() > 40 ? new ArrayList<>(left).subList(0, 40) + " ..." : left.toString();
                throw new AssertionError(scenario + ": " + left.size() + " actor(s) still running after "
                        + timeoutSeconds + " s: " + head + "\nerrors so far: " + errors.summary()
                        + "\n" + dump());
            }
        }
    }
}
