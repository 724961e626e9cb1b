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
 * The anchors' {@code select} workload under JMH, for telling small changes apart on a noisy
 * machine (more forks and warm-up than the side-by-side run can afford): two goroutines each send
 * {@value #N}/2 values on their own unbuffered channel, and the main goroutine runs {@value #N}
 * two-case selects receiving from both. Score: nanoseconds per select, at GOMAXPROCS 1 and 2.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SelectBench.N)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Flags.EXPORTS, Flags.NATIVE, Flags.XMX})
@State(Scope.Benchmark)
public class SelectBench {
    static final int N = 1_000_000;

    @Param({"1", "2"})
    public int procs;

    @Setup
    public void setup() {
        Go.gomaxprocs(procs);
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
