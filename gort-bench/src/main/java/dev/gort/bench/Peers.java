package dev.gort.bench;

import dev.gort.Go;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Runs a body as the "main" task of each runtime, and checks each fork's scheduler size once. */
public final class Peers {
    private Peers() {}

    /** A body that may throw (the latch's await does). */
    interface Body {
        void run() throws Exception;
    }

    /**
     * The virtual-thread analogue of {@code Go.main}: runs body in a new virtual thread and waits
     * for it on the calling (JMH) thread; rethrows what body threw.
     */
    static void inVirtualThread(Body body) throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.join();
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }

    /** Injected into Gort benchmarks: fails the trial if GOMAXPROCS is not what the flags say. */
    @State(Scope.Benchmark)
    public static class GortCheck {
        @Setup
        public void check() {
            int procs = Go.gomaxprocs(0);
            if (procs != Flags.Procs.N) {
                throw new IllegalStateException("GOMAXPROCS is " + procs + ", want " + Flags.Procs.N
                        + " (is -Dgort.gomaxprocs set on the fork?)");
            }
        }
    }

    /** Injected into virtual-thread benchmarks: fails the trial if the carrier pool is not pinned. */
    @State(Scope.Benchmark)
    public static class VtCheck {
        @Setup
        public void check() {
            for (String p : new String[] {"jdk.virtualThreadScheduler.parallelism", "jdk.virtualThreadScheduler.maxPoolSize"}) {
                String v = System.getProperty(p);
                if (v == null || Integer.parseInt(v) != Flags.Procs.N) {
                    throw new IllegalStateException(p + " is " + v + ", want " + Flags.Procs.N);
                }
            }
        }
    }
}
