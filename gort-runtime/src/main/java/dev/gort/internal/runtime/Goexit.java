package dev.gort.internal.runtime;

/**
 * Thrown by {@code Go.goexit()} to unwind the goroutine's stack so its {@code finally} blocks run
 * (Go: runtime.Goexit runs deferred calls). An {@link Error}, so {@code catch (Exception e)} in user
 * code cannot swallow it. No stack trace: it is control flow, and the trace would cost a stack walk.
 */
public final class Goexit extends Error {
    private static final long serialVersionUID = 1L;

    Goexit() {
        super("runtime.Goexit", null, false, false);
    }
}
