package dev.gort.bench;

import dev.gort.Chan;
import dev.gort.Go;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The anchors' unbuffered ping-pong under JMH, at GOMAXPROCS 1 and 2 ({@code procs}): the main
 * goroutine sends on one channel and receives the answer on another, {@value #N} round trips per
 * invocation. Score: nanoseconds per round trip. Gort only; there for telling scheduler changes
 * apart, in particular what an idle second P costs the pair (5 forks: the figure is bimodal
 * across JVMs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(PingpongBench.N)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {Flags.EXPORTS, Flags.NATIVE, Flags.XMX})
@State(Scope.Benchmark)
public class PingpongBench {
    static final int N = 1_000_000;

    @Param({"1", "2"})
    public int procs;

    @Setup
    public void setup() {
        Go.gomaxprocs(procs);
    }

    @Benchmark
    public int pingpong() {
        int[] last = new int[1];
        Go.main(() -> {
            Chan<Integer> a = Chan.make(), b = Chan.make();
            Go.go(() -> {
                for (Integer x : a) {
                    b.send(x + 1);
                }
            });
            for (int i = 0; i < N; i++) {
                a.send(i);
                last[0] = b.recv();
            }
            a.close();
        });
        return last[0];
    }
}
