package dev.gort.net;

import static dev.gort.net.NetTesting.msSince;
import static dev.gort.net.NetTesting.readFully;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Chan;
import dev.gort.Go;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The netpoller inside the scheduler (Go: findRunnable's polls, sysmon's 10 ms poll,
 * netpollBreak when a timer is added while an M blocks in netpoll, injectglist, locked Gs).
 */
@Tag("net")
class NetSchedulerTest {
    /**
     * GOMAXPROCS=1 and its only P busy with a goroutine that never blocks (it passes preemption
     * points): a goroutine whose socket becomes ready still runs soon, because sysmon polls the
     * network and preempts the busy one.
     */
    @Test
    void readinessIsNoticedWhileTheOnlyPIsBusy() {
        NetTesting.main(1, NetTesting.BOUND, () -> {
            Conn[] p = NetTesting.pair();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            AtomicLong readAt = new AtomicLong(-1); // ms from the write to the read; -1 until read
            AtomicLong t0 = new AtomicLong();
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> {
                assertEquals(1, p[1].read(new byte[1]));
                readAt.set(msSince(t0.get()));
            });
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            Chan<Boolean> spinning = Chan.make();
            g.go(() -> {
                spinning.send(true);
                long end = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < end && readAt.get() < 0) {
                    Go.checkpoint(); // a preemption point, no blocking
                }
            });
            spinning.recv();
            // The peer is a plain thread, so nothing here needs the busy P to send.
            Thread writer = new Thread(() -> {
                try {
                    t0.set(System.nanoTime());
                    p[0].write(new byte[] {1});
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            g.await();
            Go.syscall(() -> writer.join());
            assertTrue(readAt.get() >= 0 && readAt.get() < 1500,
                    "the reader ran " + readAt.get() + " ms after its data came, beside a busy goroutine");
            p[0].close();
            p[1].close();
        });
    }

    /**
     * A sleep started while an M is blocked in netpoll with no deadline (everyone else parked in
     * read) must wake it (Go: wakeNetPoller / netpollBreak) and end on time.
     */
    @Test
    void sleepWhileEveryoneElseWaitsOnTheNetwork() {
        NetTesting.main(2, NetTesting.BOUND, () -> {
            Conn[] p = NetTesting.pair();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> assertEquals(-1, p[1].read(new byte[1])));
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                Go.sleep(Duration.ofMillis(50));
                long ms = msSince(t0);
                assertTrue(ms >= 45 && ms < 2000, "a 50 ms sleep took " + ms + " ms");
            }
            p[0].close();
            g.await();
            p[1].close();
        });
    }

    /**
     * Library mode: every goroutine parked in read, no Go.main, the runtime idle; a plain thread
     * sets a deadline on one of them. The new timer must wake the M blocked in netpoll.
     */
    @Test
    void deadlineSetByAPlainThreadWhileTheRuntimeIdles() {
        assertTimeoutPreemptively(NetTesting.BOUND, () -> {
            Conn[] a = NetTesting.pair();
            Conn[] b = NetTesting.pair();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> assertEquals(-1, a[1].read(new byte[1])));
            AtomicLong timedOutAt = new AtomicLong();
            long[] t0 = new long[1];
            g.go(() -> {
                assertThrows(TimeoutException.class, () -> b[1].read(new byte[1]));
                timedOutAt.set(msSince(t0[0]));
            });
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 2);
            t0[0] = System.nanoTime();
            b[1].setReadDeadline(Instant.now().plusMillis(100));
            // Only the deadline can end b's read; the test waits for it on this plain thread.
            long end = System.nanoTime() + 10_000_000_000L;
            while (timedOutAt.get() == 0 && System.nanoTime() < end) {
                Go.sleep(Duration.ofMillis(5));
            }
            assertTrue(timedOutAt.get() >= 90 && timedOutAt.get() < 3000,
                    "the 100 ms deadline fired after " + timedOutAt.get() + " ms (0: not within 10 s)");
            a[0].close();
            g.await();
            a[1].close();
            b[0].close();
            b[1].close();
        });
    }

    /** A goroutine locked to its thread blocks in read and resumes on that same thread. */
    @Test
    void lockedGoroutineResumesOnItsThreadAfterRead() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            String[] threads = new String[2];
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> {
                Go.lockOSThread();
                try {
                    threads[0] = Thread.currentThread().getName();
                    byte[] b = new byte[3];
                    assertTrue(readFully(p[1], b, 0, 3));
                    threads[1] = Thread.currentThread().getName();
                } finally {
                    Go.unlockOSThread();
                }
            });
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            // Keep the other P busy meanwhile, so another M would be glad to take the reader.
            NetTesting.Group busy = new NetTesting.Group();
            for (int i = 0; i < 4; i++) {
                busy.go(() -> {
                    for (int j = 0; j < 200; j++) {
                        Go.gosched();
                    }
                });
            }
            p[0].write(new byte[] {1, 2, 3});
            busy.await();
            g.await();
            assertEquals(threads[0], threads[1], "the locked goroutine came back on another thread");
            p[0].close();
            p[1].close();
        });
    }

    /** GOMAXPROCS changes while 100 goroutines are parked in read; then they all wake. */
    @Test
    void gomaxprocsChangesWhileParked() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            final int n = 100;
            Conn[][] pairs = new Conn[n][];
            for (int i = 0; i < n; i++) {
                pairs[i] = NetTesting.pair(ln);
            }
            ln.close();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            for (Conn[] pr : pairs) {
                g.go(() -> {
                    byte[] b = new byte[4];
                    assertTrue(readFully(pr[1], b, 0, 4));
                    pr[1].write(b);
                });
            }
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + n);
            Go.gomaxprocs(1);
            Go.gomaxprocs(4);
            for (Conn[] pr : pairs) {
                pr[0].write(new byte[] {1, 2});
            }
            Go.gomaxprocs(1);
            for (Conn[] pr : pairs) {
                pr[0].write(new byte[] {3, 4});
            }
            Go.gomaxprocs(2);
            for (Conn[] pr : pairs) {
                byte[] b = new byte[4];
                assertTrue(readFully(pr[0], b, 0, 4));
                assertEquals(4, b[3]);
            }
            g.await();
            for (Conn[] pr : pairs) {
                pr[0].close();
                pr[1].close();
            }
        });
    }

    /**
     * Two goroutines reading one connection take turns (Go's fdMutex): each byte goes to one of
     * them; a close wakes the one parked in the netpoller and the one queued behind it.
     */
    @Test
    void twoReadersOnOneConnection() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            AtomicLong got = new AtomicLong();
            NetTesting.Group g = new NetTesting.Group();
            for (int i = 0; i < 2; i++) {
                g.go(() -> {
                    byte[] b = new byte[1];
                    assertEquals(1, p[1].read(b));
                    got.addAndGet(b[0]);
                });
            }
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 2);
            p[0].write(new byte[] {10});
            p[0].write(new byte[] {20});
            g.await();
            assertEquals(30, got.get(), "each reader got one byte");

            for (int i = 0; i < 2; i++) {
                g.go(() -> {
                    SocketException e = assertThrows(SocketException.class, () -> p[1].read(new byte[1]));
                    assertTrue(e.getMessage().endsWith(NetTesting.CLOSED), e.getMessage());
                });
            }
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 2);
            p[1].close();
            g.await();
            p[0].close();
        });
    }

    @Test
    void zeroLengthReadAndWriteReturnAtOnce() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            assertEquals(0, p[0].read(new byte[0]));
            assertEquals(0, p[0].read(new byte[8], 3, 0));
            assertEquals(0, p[0].read(java.nio.ByteBuffer.allocate(0)));
            assertEquals(0, p[0].write(new byte[0]));
            p[0].close();
            p[1].close();
        });
    }
}
