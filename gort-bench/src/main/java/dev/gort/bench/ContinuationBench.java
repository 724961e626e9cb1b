package dev.gort.bench;

import dev.gort.Chan;
import dev.gort.Go;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * The floor under every goroutine switch: what the JVM's continuations cost with no scheduler at
 * all, next to Gort's unbuffered ping-pong. Score: nanoseconds per round trip.
 *
 * <ul>
 *   <li>{@code bareContinuations}: one thread runs two {@code jdk.internal.vm.Continuation}s in
 *       turn, each yielding at once from a one-line loop: two mounts and two yields per round trip,
 *       as a ping-pong needs, and nothing else.
 *   <li>{@code gortPingpong}: Gort's ping-pong over two unbuffered channels (the anchors'
 *       workload), at GOMAXPROCS=1 so that both goroutines share one M as the bare case does.
 * </ul>
 *
 * <p>The difference is what the channel operations and the scheduler add per round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ContinuationBench.N)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Flags.EXPORTS, Flags.NATIVE, "-Dgort.gomaxprocs=1", Flags.XMX})
public class ContinuationBench {
    static final int N = 1_000_000;

    // Continuation through method handles, as the runtime's Cont does: the package is exported
    // at run time (Flags.EXPORTS), not to javac, which refuses it next to --release.
    private static final MethodHandle NEW, RUN, YIELD;

    static {
        try {
            Class<?> c = Class.forName("jdk.internal.vm.Continuation");
            Class<?> sc = Class.forName("jdk.internal.vm.ContinuationScope");
            MethodHandles.Lookup l = MethodHandles.lookup();
            Object scope = l.findConstructor(sc, MethodType.methodType(void.class, String.class)).invoke("bench");
            NEW = l.findConstructor(c, MethodType.methodType(void.class, sc, Runnable.class))
                    .bindTo(scope).asType(MethodType.methodType(Object.class, Runnable.class));
            RUN = l.findVirtual(c, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            YIELD = l.findStatic(c, "yield", MethodType.methodType(boolean.class, sc)).bindTo(scope);
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    static void yieldForever() {
        try {
            for (;;) {
                boolean unused = (boolean) YIELD.invokeExact();
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Benchmark
    public void bareContinuations() throws Throwable {
        Object a = (Object) NEW.invokeExact((Runnable) ContinuationBench::yieldForever);
        Object b = (Object) NEW.invokeExact((Runnable) ContinuationBench::yieldForever);
        for (int i = 0; i < N; i++) {
            RUN.invokeExact(a);
            RUN.invokeExact(b);
        }
    }

    @Benchmark
    public void gortPingpong() {
        if (Go.gomaxprocs(0) != 1) {
            throw new IllegalStateException("GOMAXPROCS is " + Go.gomaxprocs(0) + ", want 1");
        }
        Go.main(() -> {
            Chan<Integer> ping = Chan.make(), pong = Chan.make();
            Go.go(() -> {
                for (Integer v; (v = ping.recv()) != null; ) {
                    pong.send(v);
                }
            });
            Integer one = 1;
            for (int i = 0; i < N; i++) {
                ping.send(one);
                if (pong.recv() != one) {
                    throw new AssertionError("ping-pong lost its value");
                }
            }
            ping.close();
        });
    }
}
