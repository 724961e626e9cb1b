package dev.gort.bench;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Select;
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
 * Two of the anchors' channel workloads under JMH, at GOMAXPROCS 1 and 2 ({@code procs}), for
 * telling scheduler and channel changes apart on a noisy machine: more forks and warm-up than the
 * side-by-side run can afford (the GOMAXPROCS=2 figures are bimodal across JVMs). Gort only.
 * {@value #N} operations per invocation; scores in nanoseconds per operation.
 * <ul>
 *   <li>{@code pingpong}: the main goroutine sends on one unbuffered channel and receives the
 *       answer on another; one operation is a round trip.</li>
 *   <li>{@code twoCaseSelect}: two goroutines each send {@value #N}/2 values on their own
 *       unbuffered channel, and the main goroutine runs two-case selects receiving from both; one
 *       operation is a select.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ChanBench.N)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {Flags.EXPORTS, Flags.NATIVE, Flags.XMX})
@State(Scope.Benchmark)
public class ChanBench {
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

    @Benchmark
    public long twoCaseSelect() {
        long[] acc = new long[1];
        Go.main(() -> {
            Chan<Long> a = Chan.make(), b = Chan.make();
            Go.go(() -> {
                for (int i = 0; i < N / 2; i++) {
                    a.send((long) i);
                }
            });
            Go.go(() -> {
                for (int i = 0; i < N / 2; i++) {
                    b.send((long) i);
                }
            });
            Select.Case fromA = Select.recv(a, x -> acc[0] += x);
            Select.Case fromB = Select.recv(b, x -> acc[0] += x);
            for (int i = 0; i < N; i++) {
                Select.select(fromA, fromB);
            }
        });
        return acc[0];
    }
}
