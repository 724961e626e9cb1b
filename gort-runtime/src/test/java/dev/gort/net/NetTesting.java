package dev.gort.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.Go;
import dev.gort.internal.runtime.Netpoll;
import dev.gort.sync.WaitGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Shared helpers of the dev.gort.net tests.
 *
 * <h2>Both netpollers</h2>
 * The runtime picks its netpoller once per JVM (system property {@code gort.netpoll}). Every test
 * class here is tagged {@code net}; surefire runs them twice (see gort-runtime/pom.xml): in the
 * default execution on the process's default backend (epoll on Linux x86_64/aarch64, since the
 * argLine grants native access), and in the {@code net-nio} execution with
 * {@code -Dgort.netpoll=nio}. Child-JVM tests pass the parent's backend on to the child.
 * {@link NetBackendTest} checks that each run really uses the backend it claims.
 */
final class NetTesting {
    private NetTesting() {}

    /** Go's ErrNetClosing text, the message of every failure on a closed connection or listener. */
    static final String CLOSED = "use of closed network connection";

    /** The default bound of one test (they take well under a second to a few seconds). */
    static final Duration BOUND = Duration.ofSeconds(60);

    /** A test body that may throw anything. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** The backend this JVM's runtime uses ("epoll" or "nio"); initializes the netpoller. */
    static String backend() {
        return Netpoll.get().name();
    }

    /** The backend this run was asked for: the property, else the platform default. */
    static String expectedBackend() {
        String p = System.getProperty("gort.netpoll", "").trim().toLowerCase(Locale.ROOT);
        if (!p.isEmpty()) {
            return p;
        }
        String arch = System.getProperty("os.arch", "");
        boolean linux = System.getProperty("os.name", "").startsWith("Linux");
        return linux && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64")) ? "epoll" : "nio";
    }

    /**
     * Runs body as the main goroutine at GOMAXPROCS procs, within bound (a hang fails the test
     * instead of stalling the build), and rethrows what it threw.
     */
    static void main(int procs, Duration bound, Body body) {
        int before = Go.gomaxprocs(procs);
        try {
            assertTimeoutPreemptively(bound, () -> {
                Throwable[] thrown = new Throwable[1];
                Go.main(() -> {
                    try {
                        body.run();
                    } catch (Throwable t) {
                        thrown[0] = t;
                    }
                });
                if (thrown[0] != null) {
                    throw thrown[0];
                }
            });
        } finally {
            Go.gomaxprocs(before);
        }
    }

    static void main(Body body) {
        main(2, BOUND, body);
    }

    /**
     * Goroutines (and plain threads) whose failures are collected instead of crashing the process:
     * {@link #await} waits for all of them and fails with the first error (the rest suppressed).
     */
    static final class Group {
        private final WaitGroup wg = new WaitGroup();
        private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

        void go(Body b) {
            wg.add(1);
            Go.go(() -> runBody(b));
        }

        Thread thread(String name, Body b) {
            wg.add(1);
            Thread t = new Thread(() -> runBody(b), name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        private void runBody(Body b) {
            try {
                b.run();
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                wg.done();
            }
        }

        /** Waits for every member, then throws the first failure, if any. */
        void await() {
            wg.await();
            check();
        }

        /** Throws the first failure so far, if any. */
        void check() {
            Throwable first = errors.peek();
            if (first == null) {
                return;
            }
            AssertionError e = new AssertionError(errors.size() + " goroutine(s)/thread(s) failed; first: " + first,
                    first);
            for (Throwable t : errors) {
                if (t != first) {
                    e.addSuppressed(t);
                }
            }
            throw e;
        }
    }

    /** Reads exactly len bytes into b[off..]; false if the stream ended first. */
    static boolean readFully(Conn c, byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = c.read(b, off, len);
            if (n < 0) {
                return false;
            }
            off += n;
            len -= n;
        }
        return true;
    }

    /** A listener on a free loopback port and one connection to it: {client, server}. */
    static Conn[] pair(Listener ln) throws IOException {
        Conn c = Net.dial("tcp", addr(ln));
        Conn s = ln.accept();
        return new Conn[] {c, s};
    }

    /** A connected {client, server} pair on a fresh listener (closed before returning). */
    static Conn[] pair() throws IOException {
        try (Listener ln = Net.listen("tcp", "127.0.0.1:0")) {
            return pair(ln);
        }
    }

    /** "127.0.0.1:port" of a listener. */
    static String addr(Listener ln) {
        return "127.0.0.1:" + ln.addr().getPort();
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // a test that closed it already
        }
    }

    /** Occurrences of a wait reason ("IO wait") in a dump of every goroutine. */
    static int goroutinesIn(String reason) {
        String dump = Go.stack(true);
        String key = "[" + reason;
        int n = 0;
        for (int i = dump.indexOf(key); i >= 0; i = dump.indexOf(key, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Waits (polling the goroutine dump, within 10 s) until at least n goroutines are blocked with
     * the wait reason: how a test knows a goroutine is parked in read/write/accept before it acts.
     */
    static void awaitGoroutinesIn(String reason, int n) {
        long end = System.nanoTime() + 10_000_000_000L;
        int seen;
        while ((seen = goroutinesIn(reason)) < n) {
            if (System.nanoTime() - end > 0) {
                fail("expected " + n + " goroutine(s) in [" + reason + "], saw " + seen + "\n" + Go.stack(true));
            }
            Go.sleep(Duration.ofMillis(1)); // polling a condition, not waiting for one to happen
        }
    }

    /** Waits (within 10 s) until a plain thread is parked inside the netpoller's wait. */
    static void awaitThreadInPoll(Thread t) {
        long end = System.nanoTime() + 10_000_000_000L;
        for (;;) {
            Thread.State st = t.getState();
            if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) {
                for (StackTraceElement e : t.getStackTrace()) {
                    if (e.getClassName().endsWith("PollDesc") && e.getMethodName().equals("netpollblock")) {
                        return;
                    }
                }
            }
            if (System.nanoTime() - end > 0) {
                fail(t + " did not block in the netpoller: " + st + " " + java.util.Arrays.toString(t.getStackTrace()));
            }
            Go.sleep(Duration.ofMillis(1));
        }
    }

    /**
     * Waits (within 10 s) until the number of live goroutines is back to baseline (a goroutine that
     * signalled a WaitGroup may still be on its way out).
     */
    static void awaitNumGoroutine(int baseline) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (Go.numGoroutine() != baseline) {
            if (System.nanoTime() - end > 0) {
                assertEquals(baseline, Go.numGoroutine(), "goroutines left over:\n" + Go.stack(true));
            }
            Go.sleep(Duration.ofMillis(1));
        }
    }

    /** ms since t0 (System.nanoTime). */
    static long msSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
