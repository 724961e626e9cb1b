package dev.gort.bench.traceoff;

import dev.gort.Chan;
import dev.gort.Go;

/**
 * The workloads of the tracing-off measurement, the anchors' ping-pong and skynet as
 * {@code GortAnchors} runs them. {@link TraceOffAB} loads this class once per runtime build, each
 * copy in its own class loader next to its own copy of Gort, and calls it by reflection; so it
 * must use nothing but the public API.
 */
public final class TraceOffWork {
    private TraceOffWork() {}

    /** Nanoseconds per unbuffered round trip over {@code n} round trips, at GOMAXPROCS {@code procs}. */
    public static double pingpong(int procs, int n) {
        Go.gomaxprocs(procs);
        double[] out = new double[1];
        Go.main(() -> {
            Chan<Integer> a = Chan.make(), b = Chan.make();
            Chan<Boolean> done = Chan.make();
            Go.go(() -> {
                for (Integer x : a) {
                    b.send(x + 1);
                }
                done.close();
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                a.send(i);
                int r = b.recv();
                if (r != i + 1) {
                    throw new AssertionError("pingpong got " + r + " want " + (i + 1));
                }
            }
            long el = System.nanoTime() - t0;
            a.close();
            done.recv();
            out[0] = (double) el / n;
        });
        return out[0];
    }

    /** Milliseconds for skynet over 1,000,000 goroutines, at GOMAXPROCS {@code procs}. */
    public static double skynet(int procs) {
        Go.gomaxprocs(procs);
        double[] out = new double[1];
        Go.main(() -> {
            long t0 = System.nanoTime();
            Chan<Long> c = Chan.make();
            Go.go(() -> skynet(c, 0, 1_000_000, 10));
            long sum = c.recv();
            long el = System.nanoTime() - t0;
            if (sum != 499_999_500_000L) {
                throw new AssertionError("skynet sum " + sum);
            }
            out[0] = el / 1e6;
        });
        return out[0];
    }

    private static void skynet(Chan<Long> c, long num, int size, int div) {
        if (size == 1) {
            c.send(num);
            return;
        }
        Chan<Long> rc = Chan.make();
        for (int i = 0; i < div; i++) {
            long sub = num + (long) i * (size / div);
            Go.go(() -> skynet(rc, sub, size / div, div));
        }
        long sum = 0;
        for (int i = 0; i < div; i++) {
            sum += rc.recv();
        }
        c.send(sum);
    }
}
