package dev.gort.stress;

import dev.gort.Go;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the tier's rounds under the watchdog and checks for leaks between them.
 *
 * <p>A round runs on its own plain thread, so that it may call {@code Go.main} (program mode, with
 * deadlock detection) and the test thread can still give up on it: the test thread waits for it
 * and fails with the watchdog's dump on a stall.
 *
 * <p>The leak check after each round: the goroutine count back to its baseline (bounded wait), the
 * runtime's threads ({@code gort-m*}) under a bound (Go never frees an M, so the count may rise to
 * the peak of concurrent blocking calls, but no further), no plain thread of ours alive, and the
 * heap after a full GC not growing from the second round to the last (generous tolerance: the
 * JIT, class data and the JVM's own caches still settle in early rounds).
 */
final class Harness {
    /** A round's body; may throw anything, which fails the round. */
    @FunctionalInterface
    interface Round {
        void run() throws Throwable;
    }

    private final long settleSeconds;
    private final long stallSeconds;
    /** Absolute bound of one round even while it makes progress (a livelock is a failure too). */
    private static final long ROUND_LIMIT_SECONDS = 900;

    private final String who;
    private final int goroutineBaseline;
    private final int threadBound;
    private final List<Long> heapAfterRound = new ArrayList<>();
    private final List<Integer> threadsAfterRound = new ArrayList<>();

    /**
     * @param threadBound the most {@code gort-m*} threads a round may leave behind (Ms are never
     *     freed: the peak of concurrent blocking calls plus Ps plus slack)
     */
    Harness(String who, int threadBound) {
        this(who, threadBound, Tier.STALL_SECONDS, 60);
    }

    /** With other bounds: the watchdog's, and the wait for goroutines and threads to end (seconds). */
    Harness(String who, int threadBound, long stallSeconds, long settleSeconds) {
        this.stallSeconds = stallSeconds;
        this.settleSeconds = settleSeconds;
        this.who = who;
        this.goroutineBaseline = Go.numGoroutine();
        this.threadBound = threadBound;
    }

    /** Runs one round under the watchdog, then the leak check. */
    void round(String name, Round body) {
        Throwable[] failed = new Throwable[1];
        Thread runner = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failed[0] = t;
            }
        }, "stress-round");
        runner.setDaemon(true);
        long t0 = System.nanoTime();
        try (Watchdog w = Watchdog.start(who + " " + name, stallSeconds)) {
            runner.start();
            while (runner.isAlive()) {
                join(runner, 100);
                if (w.stalled() != null) {
                    throw new AssertionError(w.stalled());
                }
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(ROUND_LIMIT_SECONDS)) {
                    throw new AssertionError(who + " " + name + ": not done after " + ROUND_LIMIT_SECONDS
                            + " s though it progresses (seed " + Tier.SEED + ")\n" + Go.stack(true));
                }
            }
        }
        if (failed[0] != null) {
            throw new AssertionError(who + " " + name + " failed (seed " + Tier.SEED + "): " + failed[0], failed[0]);
        }
        checkLeaks(name);
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void checkLeaks(String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settleSeconds);
        int n;
        // Bounded polling: a goroutine that signalled its end is still finishing its last frames.
        while ((n = Go.numGoroutine()) > goroutineBaseline && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        if (n != goroutineBaseline) {
            leak(name, "goroutines: " + n + " after the round, baseline " + goroutineBaseline + "\n" + Go.stack(true));
        }
        List<String> ours = new ArrayList<>();
        int ms = 0;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settleSeconds);
        do {
            ours.clear();
            ms = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                String tn = t.getName();
                if (tn.startsWith("gort-m")) {
                    ms++;
                } else if (tn.startsWith("stress-") && !tn.equals("stress-watchdog") && t != Thread.currentThread()
                        && t.isAlive()) {
                    ours.add(tn);
                }
            }
            if (ours.isEmpty()) {
                break;
            }
            LockSupport.parkNanos(1_000_000); // a thread that ran its last statement is still exiting
        } while (System.nanoTime() < deadline);
        if (!ours.isEmpty()) {
            leak(name, "plain threads still alive: " + ours + "\n" + Watchdog.jvmThreads());
        }
        threadsAfterRound.add(ms);
        if (ms > threadBound) {
            leak(name, ms + " gort-m threads after the round, bound " + threadBound + "\n" + Watchdog.jvmThreads());
        }
        heapAfterRound.add(usedHeapAfterGc());
    }

    /**
     * The heap check, across rounds: the heap after GC after the last round against the second's.
     * Call after the last round; needs at least three rounds to say anything.
     */
    void checkHeap() {
        int k = heapAfterRound.size();
        if (k < 3) {
            return;
        }
        long second = heapAfterRound.get(1);
        long last = heapAfterRound.get(k - 1);
        long allowed = Math.max(second * 2, second + (64L << 20));
        if (last > allowed) {
            leak("heap", "used heap after GC grew from " + (second >> 10) + " KiB (round 2) to " + (last >> 10)
                    + " KiB (round " + k + "), allowed " + (allowed >> 10) + " KiB; all rounds (KiB): "
                    + heapAfterRound.stream().map(b -> b >> 10).toList());
        }
    }

    /** Heap after GC per round (KiB) and gort-m threads per round, for the log (long runs elided). */
    String trend() {
        return "heap KiB " + ends(heapAfterRound.stream().map(b -> b >> 10).toList()) + ", gort-m threads "
                + ends(threadsAfterRound);
    }

    private static String ends(List<?> l) {
        return l.size() <= 12 ? l.toString() : l.subList(0, 6) + " ... " + l.subList(l.size() - 6, l.size());
    }

    private void leak(String name, String what) {
        Tier.LEAKS.incrementAndGet();
        throw new AssertionError("LEAK in " + who + " " + name + " (seed " + Tier.SEED + "): " + what);
    }

    static long usedHeapAfterGc() {
        // Two collections: the first may leave objects with finalizers/cleaners for the second.
        System.gc();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
