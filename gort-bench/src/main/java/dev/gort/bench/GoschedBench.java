package dev.gort.bench;

import dev.gort.Go;
import dev.gort.sync.WaitGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Yield round trip: a task gives up its processor and is scheduled again, {@value #N} times per
 * invocation; the score is nanoseconds per yield, at two scheduler threads.
 *
 * <ul>
 *   <li>{@code gort}, {@code virtualThreads}: one task (the main goroutine / a virtual thread)
 *       yields {@value #N} times; nothing else is runnable.
 *   <li>{@code gortPair}, {@code virtualThreadsPair}: the main task starts two tasks that each
 *       yield {@value #N}/2 times, concurrently, and waits for both (WaitGroup / CountDownLatch).
 * </ul>
 *
 * <p>Gort yields with {@code Go.gosched()} (the goroutine goes to the global run queue, as in Go);
 * virtual threads with {@code Thread.yield()}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(GoschedBench.N)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Flags.EXPORTS, Flags.NATIVE, Flags.GOMAXPROCS, Flags.VT_PARALLELISM, Flags.VT_MAX_POOL, Flags.XMX})
public class GoschedBench {
    static final int N = 1_000_000;

    static void goschedLoop(int n) {
        for (int i = 0; i < n; i++) {
            Go.gosched();
        }
    }

    static void yieldLoop(int n) {
        for (int i = 0; i < n; i++) {
            Thread.yield();
        }
    }

    @Benchmark
    public void gort(Peers.GortCheck check) {
        Go.main(() -> goschedLoop(N));
    }

    @Benchmark
    public void virtualThreads(Peers.VtCheck check) throws Exception {
        Peers.inVirtualThread(() -> yieldLoop(N));
    }

    @Benchmark
    public void gortPair(Peers.GortCheck check) {
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            Runnable half = () -> {
                goschedLoop(N / 2);
                wg.done();
            };
            Go.go(half);
            Go.go(half);
            wg.await();
        });
    }

    @Benchmark
    public void virtualThreadsPair(Peers.VtCheck check) throws Exception {
        Peers.inVirtualThread(() -> {
            CountDownLatch wg = new CountDownLatch(2);
            Runnable half = () -> {
                yieldLoop(N / 2);
                wg.countDown();
            };
            Thread.startVirtualThread(half);
            Thread.startVirtualThread(half);
            wg.await();
        });
    }
}
