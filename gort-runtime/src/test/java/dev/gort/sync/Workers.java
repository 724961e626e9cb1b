package dev.gort.sync;

import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.Go;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Test support: runs bodies on goroutines and plain threads, collects their failures (an assertion
 * escaping a goroutine would otherwise be an unrecovered panic that kills the test JVM), and waits
 * for them with a generous bound, failing with a goroutine dump instead of hanging.
 */
final class Workers {
    static final long TIMEOUT_SECONDS = 60;

    private final Semaphore finished = new Semaphore(0);
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private int started;

    /** Starts body on a new goroutine. */
    void go(Runnable body) {
        started++;
        Go.go(() -> run(body));
    }

    /** Starts body on a new plain (daemon) thread. */
    void thread(Runnable body) {
        started++;
        Thread t = new Thread(() -> run(body), "plain-" + started);
        t.setDaemon(true);
        t.start();
    }

    private void run(Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            failures.add(t);
        } finally {
            finished.release(); // never blocks: fine on a goroutine
        }
    }

    /** Waits for every body started so far; rethrows the first failure. */
    void await() {
        boolean ok;
        try {
            ok = finished.tryAcquire(started, TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        started = 0;
        Throwable t = failures.poll();
        if (t != null) {
            AssertionError e = new AssertionError("a worker failed: " + t, t);
            failures.forEach(e::addSuppressed);
            throw e;
        }
        if (!ok) {
            fail("workers did not finish in " + TIMEOUT_SECONDS + " s; goroutines:\n" + Go.stack(true));
        }
    }

    /**
     * Waits (from a plain thread) until cond holds, polling; fails with a goroutine dump after the
     * bound. For states that have no event to wait on, such as "that goroutine is parked".
     */
    static void eventually(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for: " + what + "; goroutines:\n" + Go.stack(true));
            }
            LockSupport.parkNanos(20_000);
        }
    }

    /** Number of goroutines in the dump waiting with this reason (e.g. "sync.Mutex.Lock"). */
    static int waitingIn(String reason) {
        String dump = Go.stack(true);
        int n = 0;
        for (int i = dump.indexOf("[" + reason); i >= 0; i = dump.indexOf("[" + reason, i + 1)) {
            // "[sync.Mutex.Lock]" or "[sync.Mutex.Lock, 2 minutes]"; not "[sync.Mutex.LockX]"
            char c = dump.charAt(i + 1 + reason.length());
            if (c == ']' || c == ',') {
                n++;
            }
        }
        return n;
    }

    /** Spins (no sleeping) for about ns nanoseconds: work done while holding a lock. */
    static void busy(long ns) {
        long end = System.nanoTime() + ns;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
