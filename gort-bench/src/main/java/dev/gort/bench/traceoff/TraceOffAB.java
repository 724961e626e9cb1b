package dev.gort.bench.traceoff;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the execution tracer costs while it is off, measured inside one JVM.
 *
 * <p>Two builds of the runtime from the same sources: A as shipped (every hook reads
 * {@code Trace.on} and branches) and B with every {@code if (Trace.on)} replaced by
 * {@code if (false)}, so javac drops the hooks. Each build is loaded in its own class loader
 * (parent: the platform loader), with its own copy of {@link TraceOffWork}, so both runtimes live
 * side by side in one process and the workload alternates between them, round after round, in
 * ABBA order. Comparing within one process removes what made run-against-run comparisons useless
 * on these machines: the machine's load drifting between processes, and each JVM landing in one of
 * two speed modes for its whole life. Both copies get the same warm-up before measuring.
 *
 * <p>Usage: {@code TraceOffAB <runtime A dir> <runtime B dir> <work classes dir> pingpong|skynet
 * <procs> <rounds> [<warm-up rounds> [a-first|b-first]]}. Prints one line per round and a summary: the median and
 * mean of the per-pair ratios A/B (how much slower the shipped build is; 1.02 = 2 % slower) with a
 * 95 % confidence interval of the mean, and A's and B's medians.
 */
public final class TraceOffAB {
    private TraceOffAB() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: TraceOffAB <runtime A dir> <runtime B dir> <work classes dir> pingpong|skynet <procs> <rounds> [<warm-up rounds> [a-first|b-first]]");
            System.exit(2);
        }
        String bench = args[3];
        int procs = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        int warm = args.length > 6 ? Integer.parseInt(args[6]) : 5;
        boolean bFirst = args.length > 7 && args[7].equals("b-first"); // which copy loads and starts first
        Runner a, b;
        if (bFirst) {
            b = new Runner(Path.of(args[1]), Path.of(args[2]), bench, procs);
            a = new Runner(Path.of(args[0]), Path.of(args[2]), bench, procs);
        } else {
            a = new Runner(Path.of(args[0]), Path.of(args[2]), bench, procs);
            b = new Runner(Path.of(args[1]), Path.of(args[2]), bench, procs);
        }
        for (int i = 0; i < warm; i++) {
            if (bFirst) {
                b.run();
                a.run();
            } else {
                a.run();
                b.run();
            }
        }
        double[] ra = new double[rounds], rb = new double[rounds], ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                ra[i] = a.run();
                rb[i] = b.run();
            } else {
                rb[i] = b.run();
                ra[i] = a.run();
            }
            ratio[i] = ra[i] / rb[i];
            System.out.printf(Locale.ROOT, "round %d A %.1f B %.1f A/B %.4f%n", i, ra[i], rb[i], ratio[i]);
        }
        double mean = Arrays.stream(ratio).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(ratio).map(x -> (x - mean) * (x - mean)).sum() / (rounds - 1));
        double half = tQuantile975(rounds - 1) * sd / Math.sqrt(rounds);
        System.out.printf(Locale.ROOT,
                "SUMMARY bench=%s procs=%d rounds=%d first=%s medianA=%.2f medianB=%.2f ratio_median=%.4f ratio_mean=%.4f ci95=%.4f-%.4f%n",
                bench, procs, rounds, bFirst ? "B" : "A", median(ra), median(rb), median(ratio), mean, mean - half, mean + half);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Student's t 97.5 % quantile (two-sided 95 %), for df >= 1; the normal's 1.96 beyond 120. */
    static double tQuantile975(int df) {
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
            2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
            2.052, 2.048, 2.045, 2.042};
        if (df <= t.length) {
            return t[df - 1];
        }
        return df <= 40 ? 2.021 : df <= 60 ? 2.000 : df <= 120 ? 1.980 : 1.960;
    }

    /** One runtime build with its own copy of the workload. */
    private static final class Runner {
        private final Method method;
        private final Object[] args;

        Runner(Path runtime, Path work, String bench, int procs) throws Exception {
            List<URL> urls = new ArrayList<>();
            urls.add(runtime.toUri().toURL());
            urls.add(work.toUri().toURL());
            ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            // By name: the launching class path has no copy of the workload (nor of Gort).
            Class<?> c = Class.forName("dev.gort.bench.traceoff.TraceOffWork", true, loader);
            if (c.getClassLoader() != loader) {
                throw new IllegalStateException("the workload must load in its own class loader");
            }
            switch (bench) {
                case "pingpong" -> {
                    method = c.getMethod("pingpong", int.class, int.class);
                    args = new Object[] {procs, 1_000_000};
                }
                case "skynet" -> {
                    method = c.getMethod("skynet", int.class);
                    args = new Object[] {procs};
                }
                default -> throw new IllegalArgumentException("bench: want pingpong or skynet, got " + bench);
            }
        }

        double run() throws Exception {
            // Both copies share one heap: start each run from a collected one, so that neither
            // pays for the other's garbage (skynet leaves a million goroutines' worth).
            System.gc();
            return (double) method.invoke(null, args);
        }
    }
}
