package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.Go;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.net.TimeoutException;
import dev.gort.sync.WaitGroup;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Go's TestNetpollWaiters: the netpoll waiter count (sched.netpollWaiters, which findRunnable,
 * sysmon and checkdead read) counts exactly the parked waiters while they wait, and returns to 0
 * however they are woken: readiness, end of stream, a deadline (passing, or set in the past), a
 * close, for goroutines and for plain threads. Tagged "net": runs on both netpollers.
 */
@Tag("net")
class NetpollWaitersTest {
    interface Body {
        void run() throws Exception;
    }

    static final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    static void go(WaitGroup wg, Body b) {
        wg.add(1);
        Go.go(() -> {
            try {
                b.run();
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                wg.done();
            }
        });
    }

    static int ioWait() {
        String d = Go.stack(true);
        int n = 0;
        for (int i = d.indexOf("[IO wait"); i >= 0; i = d.indexOf("[IO wait", i + 1)) {
            n++;
        }
        return n;
    }

    /** Waits until n goroutines show "IO wait", then checks the waiter count is exactly n + plain. */
    static void awaitParked(int n, int plainThreads) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (ioWait() < n) {
            if (System.nanoTime() - end > 0) {
                fail("expected " + n + " goroutines in IO wait:\n" + Go.stack(true));
            }
            Go.sleep(Duration.ofMillis(1));
        }
        assertEquals(n + plainThreads, sched.netpollWaiters.get(), "waiters while " + n + " goroutines and "
                + plainThreads + " plain threads are parked");
    }

    static void assertNoWaiters(String after) {
        assertEquals(0, sched.netpollWaiters.get(), "netpoll waiters after " + after);
    }

    static Conn[][] pairs(Listener ln, int n) throws IOException {
        Conn[][] p = new Conn[n][];
        for (int i = 0; i < n; i++) {
            Conn c = Net.dial("tcp", "127.0.0.1:" + ln.addr().getPort());
            p[i] = new Conn[] {c, ln.accept()};
        }
        return p;
    }

    @Test
    void waiterCountReturnsToZero() {
        int before = Go.gomaxprocs(2);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Go.main(() -> {
                try {
                    scenario();
                } catch (Exception e) {
                    errors.add(e);
                }
            }));
        } finally {
            Go.gomaxprocs(before);
        }
        Throwable first = errors.peek();
        if (first != null) {
            throw new AssertionError(first);
        }
    }

    private static void scenario() throws Exception {
        int baseline = Go.numGoroutine();
        Listener ln = Net.listen("tcp", "127.0.0.1:0");
        final int n = 100;
        Conn[][] p = pairs(ln, n);
        assertNoWaiters("connecting");

        // Readiness: n readers, then data for each.
        WaitGroup wg = new WaitGroup();
        for (Conn[] pr : p) {
            go(wg, () -> assertEquals(1, pr[1].read(new byte[1])));
        }
        awaitParked(n, 0);
        for (Conn[] pr : p) {
            pr[0].write(new byte[] {1});
        }
        wg.await();
        assertNoWaiters("readiness");

        // Deadlines passing while parked.
        for (Conn[] pr : p) {
            pr[1].setReadDeadline(Instant.now().plusMillis(100));
            go(wg, () -> assertThrows(TimeoutException.class, () -> pr[1].read(new byte[1])));
        }
        wg.await();
        assertNoWaiters("deadlines");

        // A deadline set in the past while parked.
        for (Conn[] pr : p) {
            pr[1].setReadDeadline(null);
            go(wg, () -> assertThrows(TimeoutException.class, () -> pr[1].read(new byte[1])));
        }
        awaitParked(n, 0);
        for (Conn[] pr : p) {
            pr[1].setReadDeadline(Instant.now().minusSeconds(1));
        }
        wg.await();
        assertNoWaiters("past deadlines");

        // Writers parked on full buffers, woken by the peer draining.
        for (Conn[] pr : p) {
            pr[1].setReadDeadline(null);
        }
        for (int i = 0; i < 10; i++) {
            Conn w = p[i][0];
            go(wg, () -> w.write(new byte[16 << 20]));
        }
        awaitParked(10, 0);
        for (int i = 0; i < 10; i++) {
            Conn r = p[i][1];
            go(wg, () -> {
                byte[] b = new byte[1 << 20];
                for (int got = 0; got < 16 << 20; ) {
                    got += r.read(b);
                }
            });
        }
        wg.await();
        assertNoWaiters("writers");

        // Plain threads: one woken by data, one by a deadline; then goroutines and a thread by close.
        Thread byData = new Thread(() -> {
            try {
                p[0][1].read(new byte[1]);
            } catch (IOException e) {
                errors.add(e);
            }
        });
        Thread byDeadline = new Thread(() -> {
            try {
                p[1][1].setReadDeadline(Instant.now().plusMillis(100));
                assertThrows(TimeoutException.class, () -> p[1][1].read(new byte[1]));
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        byData.start();
        byDeadline.start();
        awaitThread(byData);
        p[0][0].write(new byte[] {2});
        Go.syscall(() -> {
            byData.join();
            byDeadline.join();
        });
        assertNoWaiters("plain threads");

        Thread byClose = new Thread(() -> {
            try {
                assertThrows(SocketException.class, () -> p[2][1].read(new byte[1]));
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        byClose.start();
        for (int i = 3; i < n; i++) {
            Conn c = p[i][1];
            go(wg, () -> assertThrows(SocketException.class, () -> c.read(new byte[1])));
        }
        awaitThread(byClose);
        awaitParked(n - 3, 1);
        for (int i = 2; i < n; i++) {
            p[i][1].close();
        }
        wg.await();
        Go.syscall(() -> byClose.join());
        assertNoWaiters("close");

        // End of stream: the peers of the rest close.
        p[1][1].setReadDeadline(null); // the plain thread's deadline passed
        go(wg, () -> assertEquals(-1, p[0][1].read(new byte[1])));
        go(wg, () -> assertEquals(-1, p[1][1].read(new byte[1])));
        awaitParked(2, 0);
        for (Conn[] pr : p) {
            pr[0].close();
        }
        wg.await();
        p[0][1].close();
        p[1][1].close();
        ln.close();
        assertNoWaiters("end of stream");

        long end = System.nanoTime() + 10_000_000_000L;
        while (Go.numGoroutine() != baseline && System.nanoTime() < end) {
            Go.sleep(Duration.ofMillis(1));
        }
        assertEquals(baseline, Go.numGoroutine(), Go.stack(true));
        assertNoWaiters("the end");
    }

    static void awaitThread(Thread t) {
        long end = System.nanoTime() + 10_000_000_000L;
        for (;;) {
            if (t.getState() == Thread.State.WAITING) {
                for (StackTraceElement e : t.getStackTrace()) {
                    if (e.getMethodName().equals("netpollblock")) {
                        return;
                    }
                }
            }
            if (System.nanoTime() - end > 0) {
                fail(t + " did not park in the netpoller");
            }
            Go.sleep(Duration.ofMillis(1));
        }
    }
}
