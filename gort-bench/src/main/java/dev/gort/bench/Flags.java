package dev.gort.bench;

/**
 * JVM flags every benchmark fork gets (constants, so {@code @Fork(jvmArgsAppend = ...)} can use
 * them). Both runtimes are pinned to two scheduler threads in every fork, so a Gort benchmark and
 * its virtual-thread peer run under the same flags; each benchmark method still gets its own JVM.
 */
final class Flags {
    private Flags() {}

    /** Gort's goroutines are {@code jdk.internal.vm.Continuation}; harmless for virtual threads. */
    static final String EXPORTS = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";
    /** Gort's epoll netpoller calls libc through java.lang.foreign; harmless for virtual threads. */
    static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    /** Gort: GOMAXPROCS = 2 (read once at start-up). */
    static final String GOMAXPROCS = "-Dgort.gomaxprocs=" + Procs.N;
    /** Virtual threads: two carrier threads, and no compensation beyond two. */
    static final String VT_PARALLELISM = "-Djdk.virtualThreadScheduler.parallelism=" + Procs.N;
    static final String VT_MAX_POOL = "-Djdk.virtualThreadScheduler.maxPoolSize=" + Procs.N;
    static final String XMX = "-Xmx4g";

    /** The number of scheduler threads (Gort Ps, virtual-thread carriers). */
    static final class Procs {
        private Procs() {}

        static final int N = 2;
    }
}
