package dev.gort.bench;

import dev.gort.Go;
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
 * The cost of wrapping a call that does not block in {@code Go.syscall}: the main goroutine makes
 * {@value #N} wrapped no-op calls per invocation; the score is nanoseconds per call, at GOMAXPROCS=2.
 *
 * <ul>
 *   <li>{@code gortSyscallNoop}: {@code Go.syscall(() -> {})}, the fast path: entersyscall marks the
 *       P as in a syscall, exitsyscall takes it back with one CAS. Sysmon (20 us to 10 ms a round)
 *       almost never sees a call this short, so it almost never retakes the P.
 *   <li>{@code gortSyscallBlockNoop}: {@code Go.syscallBlock(() -> {})}, for reference: the P is
 *       handed off at once on every call, and the goroutine gets a P back on return. With nothing
 *       else runnable and the other P idle, handoffp puts the P on the idle list and exitsyscall
 *       takes an idle P straight back (two {@code sched.lock} round trips, no thread switch); with
 *       other work queued, the hand-off would start or wake another M. {@value #N_BLOCK} calls per
 *       invocation.
 * </ul>
 *
 * <p>There is no virtual-thread peer: the JDK has no public way to wrap an arbitrary blocking call
 * so that the carrier is compensated (it does that internally, for some file I/O only).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Flags.EXPORTS, Flags.NATIVE, Flags.GOMAXPROCS, Flags.VT_PARALLELISM, Flags.VT_MAX_POOL, Flags.XMX})
public class SyscallBench {
    static final int N = 1_000_000;
    static final int N_BLOCK = 100_000;

    static void syscallLoop(int n) {
        for (int i = 0; i < n; i++) {
            Go.syscall(() -> {});
        }
    }

    static void syscallBlockLoop(int n) {
        for (int i = 0; i < n; i++) {
            Go.syscallBlock(() -> {});
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void gortSyscallNoop(Peers.GortCheck check) {
        Go.main(() -> syscallLoop(N));
    }

    @Benchmark
    @OperationsPerInvocation(N_BLOCK)
    public void gortSyscallBlockNoop(Peers.GortCheck check) {
        Go.main(() -> syscallBlockLoop(N_BLOCK));
    }
}
