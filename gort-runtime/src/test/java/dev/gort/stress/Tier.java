package dev.gort.stress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The stress tier's settings and tallies (issue 7). The tier is the JUnit classes tagged
 * {@code stress} (and {@code soak}), left out of the default run and run by the Maven profiles
 * {@code -Pstress} / {@code -Psoak}, or {@code ./gort test --stress [--multiplier N]} and
 * {@code ./gort test --soak MINUTES}.
 *
 * <p>Properties: {@code gort.stress.multiplier} (a positive decimal, default 1: scales rounds and
 * fault repetitions, so the time grows about linearly), {@code gort.stress.seed} (replays the
 * random shapes and choices; the interleavings still differ), {@code gort.stress.stallSeconds}
 * (the watchdog's bound on a round without progress, default 60: the machine is shared),
 * {@code gort.soak.minutes}, and {@code gort.stress.report} (a file each class appends its
 * summary line to, which the launcher adds up).
 *
 * <p>The tallies are per JVM (surefire forks one per class) and only grow.
 */
final class Tier {
    static final double MULTIPLIER = parseMultiplier(System.getProperty("gort.stress.multiplier", "1"));
    static final long SEED = seed();
    static final long STALL_SECONDS = Long.getLong("gort.stress.stallSeconds", 60);
    static final double SOAK_MINUTES = Double.parseDouble(System.getProperty("gort.soak.minutes", "0").trim());

    /** Operations run: sends, receives, selects, closes, lock/unlock pairs, sleeps, timer calls... */
    static final LongAdder OPS = new LongAdder();
    /**
     * Useful work done: values received, fault cases' milestones. The watchdog watches this, not
     * OPS, which a livelock (selects with default spinning) keeps moving.
     */
    static final LongAdder PROGRESS = new LongAdder();
    /** Values whose conservation was checked (each one received exactly once, or a count matched). */
    static final LongAdder VALUES = new LongAdder();
    /** Faults injected: exceptions thrown, monitors held across parks, unwrapped blocks, resets... */
    static final LongAdder FAULTS = new LongAdder();
    /** Stalls the watchdog saw (each one also fails its test). */
    static final AtomicLong STALLS = new AtomicLong();
    /** Leaks the leak check saw (each one also fails its test). */
    static final AtomicLong LEAKS = new AtomicLong();

    private Tier() {}

    private static double parseMultiplier(String s) {
        double m = Double.parseDouble(s.trim());
        if (!(m > 0)) {
            throw new IllegalArgumentException("gort.stress.multiplier must be positive: " + s);
        }
        return m;
    }

    private static long seed() {
        Long s = Long.getLong("gort.stress.seed");
        return s != null ? s : System.nanoTime();
    }

    /** n times the multiplier, at least 1. */
    static int scaled(int n) {
        return (int) Math.max(1, Math.round(n * MULTIPLIER));
    }

    /** A distinct, reproducible seed for one part of one class (mixes the run's seed with a label). */
    static long seedFor(String label, long index) {
        long h = SEED ^ (label.hashCode() * 0x9E3779B97F4A7C15L) ^ (index * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    /**
     * Prints this class's summary line and appends it to the report file when one is set. Called
     * from an {@code @AfterAll}, so a failed class reports too.
     */
    static void summary(String who, long startNanos) {
        String line = String.format(Locale.ROOT,
                "gort stress: class=%s seed=%d multiplier=%s ops=%d values=%d faults=%d stalls=%d leaks=%d time=%.1fs",
                who, SEED, fmt(MULTIPLIER), OPS.sum(), VALUES.sum(), FAULTS.sum(), STALLS.get(), LEAKS.get(),
                (System.nanoTime() - startNanos) / 1e9);
        System.out.println(line);
        String report = System.getProperty("gort.stress.report", "").trim();
        if (!report.isEmpty()) {
            try {
                Path p = Path.of(report);
                if (p.getParent() != null) {
                    Files.createDirectories(p.getParent());
                }
                Files.writeString(p, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new AssertionError("cannot append to " + report, e);
            }
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
