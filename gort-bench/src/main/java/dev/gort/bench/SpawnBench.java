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
 * Spawn: the main task starts {@value #N} tasks that each only count down a shared latch, then
 * waits for all of them. One invocation is one whole round, timed once (single shot); the score
 * is nanoseconds per task, start to join, including the garbage collection it causes (a shot lasts
 * 0.3-2 s, so a young-GC pause of 0.1-0.7 s on this 2-core machine moves it a lot: hence ten
 * measured shots rather than five).
 *
 * <p>Gort: the spawner is the main goroutine ({@code Go.main}); it uses one shared body calling
 * {@code wg.done()}. Virtual threads: the spawner is a virtual thread; it uses
 * {@code Thread.startVirtualThread} and a {@link CountDownLatch}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SpawnBench.N)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 2, jvmArgsAppend = {Flags.EXPORTS, Flags.NATIVE, Flags.GOMAXPROCS, Flags.VT_PARALLELISM, Flags.VT_MAX_POOL, Flags.XMX})
public class SpawnBench {
    static final int N = 1_000_000;

    @Benchmark
    public void gort(Peers.GortCheck check) {
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(N);
            Runnable body = wg::done;
            for (int i = 0; i < N; i++) {
                Go.go(body);
            }
            wg.await();
        });
    }

    @Benchmark
    public void virtualThreads(Peers.VtCheck check) throws Exception {
        Peers.inVirtualThread(() -> {
            CountDownLatch wg = new CountDownLatch(N);
            Runnable body = wg::countDown;
            for (int i = 0; i < N; i++) {
                Thread.startVirtualThread(body);
            }
            wg.await();
        });
    }
}
