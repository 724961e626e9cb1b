package dev.gort.internal.runtime;

import java.util.function.Consumer;

/**
 * Unrecovered panics and fatal errors (Go: panic.go {@code fatalpanic}, {@code throw},
 * {@code fatal}; printpanics).
 *
 * <p>An exception escaping a goroutine is an unrecovered panic. In the main goroutine of a
 * {@code Go.main} call it is handed to the caller of Go.main. Elsewhere, a handler installed with
 * {@code Go.onPanic} receives it; without one the runtime prints, as Go does,
 * <pre>
 * panic: send on closed channel
 *
 * goroutine 7 [running]:
 * ...frames...
 * </pre>
 * and exits with status 2. The exit is {@link Runtime#halt}: like Go, it does not wait for other
 * goroutines or run shutdown hooks (stdout and stderr are flushed first).
 */
final class Panics {
    private Panics() {}

    /** Replaces the default crash (Go.onPanic); null restores it. */
    static volatile Consumer<Throwable> onPanic;

    /** Set once a crash report begins (Go: panicking): no deadlock is reported meanwhile. */
    static volatile boolean panicking;

    /** Serializes concurrent crashes so their reports do not interleave. */
    private static final Object printLock = new Object();

    static void unrecovered(G gp, Throwable t) {
        MainRun main = MainRun.of(gp);
        if (main != null) {
            main.panic = t;
            return;
        }
        Consumer<Throwable> h = onPanic;
        if (h != null) {
            try {
                h.accept(t);
            } catch (Throwable ht) {
                // The handler itself failed: that is a crash after all.
                crash(gp, ht);
            }
            return;
        }
        crash(gp, t);
    }

    private static void crash(G gp, Throwable t) {
        StringBuilder sb = new StringBuilder();
        sb.append("panic: ").append(message(t)).append("\n\n");
        Traceback.header(sb, gp, G._Grunning);
        Traceback.frames(sb, t.getStackTrace(), false);
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            // Java's cause chain has no Go counterpart; keep it, after Go's layout, for Java users.
            sb.append("caused by: ").append(c).append('\n');
        }
        exit(sb.toString());
    }

    /** Go prints a runtime error's message; for any other exception its toString. */
    static String message(Throwable t) {
        if (t.getClass().getName().equals("dev.gort.Panic")) {
            return t.getMessage();
        }
        return t.toString();
    }

    /** Go: fatal/throw. {@code fatal error: msg}, a dump of all goroutines, exit status 2. */
    static void fatal(String msg) {
        panicking = true;
        StringBuilder sb = new StringBuilder();
        sb.append("fatal error: ").append(msg).append("\n\n");
        try {
            String dump = Traceback.stack(true);
            sb.append(dump);
        } catch (Throwable e) {
            sb.append("(goroutine dump failed: ").append(e).append(")\n");
        }
        exit(sb.toString());
    }

    private static void exit(String report) {
        panicking = true;
        synchronized (printLock) {
            System.out.flush();
            System.err.print(report);
            System.err.flush();
            Trace.atFatalExit(); // no shutdown hook runs after halt: write the trace and JFR files now
            Runtime.getRuntime().halt(2);
        }
    }
}
