package dev.gort.stress;

import dev.gort.Go;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The stall detector: a plain daemon thread that watches the progress count ({@link Tier#PROGRESS})
 * while work is pending and, when it has not moved for {@link Tier#STALL_SECONDS}, prints the
 * goroutine dump ({@code Go.stack(true)}) and a JVM thread dump, counts a stall, and lets the waiter
 * fail. It is a plain thread on purpose: it must run when the scheduler does not.
 *
 * <p>Guarded by nothing but volatiles: {@code pending} is written by the one thread that runs the
 * work, {@code report} once by the watchdog thread.
 */
final class Watchdog implements AutoCloseable {
    private final String what;
    private final long stallNanos;
    private final Thread thread;
    private volatile boolean closed;
    /** The stall report, once there is one (written once, by the watchdog thread). */
    private volatile String report;

    private Watchdog(String what, long stallSeconds) {
        this.what = what;
        this.stallNanos = TimeUnit.SECONDS.toNanos(stallSeconds);
        this.thread = new Thread(this::watch, "stress-watchdog");
        thread.setDaemon(true);
    }

    /** Starts watching: from now until close(), work is pending. */
    static Watchdog start(String what) {
        return start(what, Tier.STALL_SECONDS);
    }

    static Watchdog start(String what, long stallSeconds) {
        Watchdog w = new Watchdog(what, stallSeconds);
        w.thread.start();
        return w;
    }

    /** The stall report, or null while there was none. */
    String stalled() {
        return report;
    }

    private void watch() {
        long last = Tier.PROGRESS.sum();
        long since = System.nanoTime();
        while (!closed && report == null) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // a sampling period, not a sync
            long now = Tier.PROGRESS.sum();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (!closed && System.nanoTime() - since > stallNanos) {
                String r = "STALL in " + what + ": no progress for " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since)
                        + " s while work is pending (progress=" + now + ", seed=" + Tier.SEED + ")\n--- goroutine dump ---\n"
                        + Go.stack(true) + "\n--- JVM thread dump ---\n" + jvmThreads();
                System.err.println(r);
                System.err.flush();
                Tier.STALLS.incrementAndGet();
                report = r;
            }
        }
    }

    /**
     * Every JVM thread's state and frames (what jstack shows, without lock owners: the tests are
     * compiled into the runtime's module, which does not read java.management).
     */
    static String jvmThreads() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append(t.isDaemon() ? " daemon" : "")
                    .append('\n');
            for (StackTraceElement f : e.getValue()) {
                sb.append("\tat ").append(f).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
