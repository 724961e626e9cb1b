package dev.gort.net;

import static dev.gort.net.NetTesting.msSince;
import static dev.gort.net.NetTesting.readFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Go;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Deadlines (Go: net.Conn's SetDeadline/SetReadDeadline/SetWriteDeadline; runtime's
 * poll_runtime_pollSetDeadline and netpolldeadlineimpl). Times are generous: a deadline must not
 * fire early, and must fire within seconds, not exactly on time, on a loaded two-core machine.
 */
@Tag("net")
class DeadlineTest {
    /** Bytes no loopback socket pair can buffer: a write of this size must block. */
    static final int HUGE = 64 << 20;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void assertTimeout(Throwable t) {
        assertInstanceOf(TimeoutException.class, t);
        assertInstanceOf(SocketTimeoutException.class, t, "TimeoutException is a SocketTimeoutException");
        assertEquals("i/o timeout", t.getMessage());
    }

    static void expectRead(Conn c, String want) throws Exception {
        byte[] b = new byte[want.length()];
        assertTrue(readFully(c, b, 0, b.length), "end of stream instead of " + want);
        assertEquals(want, new String(b, StandardCharsets.UTF_8));
    }

    @Test
    void readDeadlinePassesWhileBlockedThenConnStillUsable() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            long t0 = System.nanoTime();
            c.setReadDeadline(Instant.now().plusMillis(200));
            TimeoutException e = assertThrows(TimeoutException.class, () -> c.read(new byte[16]));
            long ms = msSince(t0);
            assertTimeout(e);
            assertTrue(ms >= 150, "timed out after " + ms + " ms, before the 200 ms deadline");
            assertTrue(ms < 10_000, "timed out only after " + ms + " ms");

            // The deadline stays passed: the next read fails at once too.
            long t1 = System.nanoTime();
            assertTimeout(assertThrows(TimeoutException.class, () -> c.read(new byte[16])));
            assertTrue(msSince(t1) < 1000);
            // A read deadline does not touch writes.
            assertEquals(4, c.write(bytes("ping")));
            expectRead(p[1], "ping");

            // Cleared: the connection reads again.
            c.setReadDeadline(null);
            p[1].write(bytes("after"));
            expectRead(c, "after");
            c.close();
            p[1].close();
        });
    }

    @Test
    void writeDeadlineWithAPeerThatNeverReads() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            c.setWriteDeadline(Instant.now().plusMillis(300));
            long t0 = System.nanoTime();
            TimeoutException e = assertThrows(TimeoutException.class, () -> c.write(new byte[HUGE]));
            long ms = msSince(t0);
            assertTimeout(e);
            assertTrue(ms >= 200, "timed out after " + ms + " ms, before the 300 ms deadline");
            assertTrue(ms < 10_000, "timed out only after " + ms + " ms");
            // A write deadline does not touch reads.
            p[1].write(bytes("still reading"));
            expectRead(c, "still reading");

            // Cleared, and the peer drains: writes go through again.
            c.setWriteDeadline(null);
            NetTesting.Group g = new NetTesting.Group();
            AtomicLong drained = new AtomicLong();
            g.go(() -> {
                byte[] b = new byte[64 << 10];
                for (int n; (n = p[1].read(b)) >= 0; ) {
                    drained.addAndGet(n);
                }
            });
            assertEquals(1 << 20, c.write(new byte[1 << 20]));
            c.closeWrite();
            g.await();
            assertTrue(drained.get() >= 1 << 20, "drained " + drained.get());
            c.close();
            p[1].close();
        });
    }

    @Test
    void pastDeadlineFailsAtOnceWhenTheCallWouldBlock() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            c.setReadDeadline(Instant.now().minusSeconds(1));
            long t0 = System.nanoTime();
            assertTimeout(assertThrows(TimeoutException.class, () -> c.read(new byte[16])));
            assertTrue(msSince(t0) < 1000, "a passed deadline fails at once: " + msSince(t0) + " ms");

            c.setWriteDeadline(Instant.now().minusSeconds(1));
            long t1 = System.nanoTime();
            assertTimeout(assertThrows(TimeoutException.class, () -> c.write(new byte[HUGE])));
            assertTrue(msSince(t1) < 1000, "a passed deadline fails at once: " + msSince(t1) + " ms");
            c.close();
            p[1].close();
        });
    }

    /**
     * Go: "A deadline is an absolute time after which I/O operations fail": internal/poll's
     * FD.Read calls prepareRead (runtime_pollReset, which checks netpollcheckerr) before the system
     * call, so a read fails once its deadline has passed even with data waiting. Go's
     * net/timeout_test.go TestReadTimeout expects exactly that: a -5 s deadline fails reads on a
     * connection whose peer has written "READ TIMEOUT TEST".
     */
    @Test
    void pastReadDeadlineFailsEvenWithDataWaiting() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            p[1].write(bytes("data waiting"));
            c.setReadDeadline(Instant.now().minusSeconds(1));
            assertTimeout(assertThrows(TimeoutException.class, () -> c.read(new byte[16]),
                    "read with data waiting and a passed deadline"));
            c.setReadDeadline(null);
            expectRead(c, "data waiting");
            c.close();
            p[1].close();
        });
    }

    /** The same for writes (Go: FD.Write's prepareWrite; net/timeout_test.go TestWriteTimeout). */
    @Test
    void pastWriteDeadlineFailsEvenWithBufferSpace() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            c.setWriteDeadline(Instant.now().minusSeconds(1));
            assertTimeout(assertThrows(TimeoutException.class, () -> c.write(bytes("x")),
                    "write of one byte to an empty socket buffer with a passed deadline"));
            c.setWriteDeadline(null);
            c.write(bytes("y"));
            expectRead(p[1], "y");
            c.close();
            p[1].close();
        });
    }

    @Test
    void deadlineExtendedWhileBlockedKeepsTheReadWaiting() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            long t0 = System.nanoTime();
            c.setReadDeadline(Instant.now().plusMillis(300));
            NetTesting.Group g = new NetTesting.Group();
            AtomicLong readAt = new AtomicLong();
            g.go(() -> {
                expectRead(c, "late data");
                readAt.set(msSince(t0));
            });
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            c.setReadDeadline(Instant.now().plusSeconds(30));
            // The workload: the data comes well after the first deadline would have passed.
            Go.sleep(Duration.ofNanos(t0 + 700_000_000L - System.nanoTime()));
            p[1].write(bytes("late data"));
            g.await();
            assertTrue(readAt.get() >= 600, "the read returned after " + readAt.get() + " ms, before the data");
            c.close();
            p[1].close();
        });
    }

    @Test
    void deadlineShortenedWhileBlockedFailsSooner() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            c.setReadDeadline(Instant.now().plusSeconds(30));
            NetTesting.Group g = new NetTesting.Group();
            AtomicLong failedAt = new AtomicLong();
            long[] t1 = new long[1];
            g.go(() -> {
                assertTimeout(assertThrows(TimeoutException.class, () -> c.read(new byte[16])));
                failedAt.set(msSince(t1[0]));
            });
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            t1[0] = System.nanoTime();
            c.setReadDeadline(Instant.now().plusMillis(100));
            g.await();
            assertTrue(failedAt.get() >= 50, "failed " + failedAt.get() + " ms after the new 100 ms deadline");
            assertTrue(failedAt.get() < 10_000, "failed only " + failedAt.get() + " ms after a 100 ms deadline");
            c.close();
            p[1].close();
        });
    }

    /** Go: a deadline set in the past while a read is blocked unblocks it now. */
    @Test
    void pastDeadlineSetWhileBlockedWakesTheReader() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> assertTimeout(assertThrows(TimeoutException.class, () -> c.read(new byte[16]))));
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            c.setReadDeadline(Instant.now().minusMillis(1));
            g.await();
            c.close();
            p[1].close();
        });
    }

    @Test
    void deadlineClearedWhileBlockedNeverFires() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            long t0 = System.nanoTime();
            c.setReadDeadline(Instant.now().plusMillis(200));
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> expectRead(c, "no timeout"));
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            c.setReadDeadline(null);
            Go.sleep(Duration.ofNanos(t0 + 500_000_000L - System.nanoTime())); // past the old deadline
            p[1].write(bytes("no timeout"));
            g.await();
            c.close();
            p[1].close();
        });
    }

    @Test
    void setDeadlineSetsBothAndNullClearsBoth() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            c.setDeadline(Instant.now().plusMillis(200));
            assertTimeout(assertThrows(TimeoutException.class, () -> c.read(new byte[16])));
            assertTimeout(assertThrows(TimeoutException.class, () -> c.write(new byte[HUGE])));

            c.setDeadline(null);
            // Both directions work again: the peer drains what the timed-out write left and echoes.
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> {
                byte[] b = new byte[64 << 10];
                while (p[1].read(b) >= 0) {
                    // what the timed-out write left, then "end", then end of stream
                }
                p[1].write(bytes("reply"));
            });
            c.write(bytes("end"));
            c.closeWrite();
            expectRead(c, "reply");
            g.await();
            c.close();
            p[1].close();
        });
    }

    /** A deadline timer re-armed many times; each read times out, and the conn still works. */
    @Test
    void repeatedShortDeadlines() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            for (int i = 0; i < 20; i++) {
                c.setReadDeadline(Instant.now().plusMillis(10));
                assertTimeout(assertThrows(TimeoutException.class, () -> c.read(new byte[16])));
            }
            c.setReadDeadline(Instant.now().plusSeconds(30));
            p[1].write(bytes("ok"));
            expectRead(c, "ok");
            c.close();
            p[1].close();
        });
    }

    /** 200 goroutines, each blocked in read with its own 200 ms deadline: all time out, none early. */
    @Test
    void manyDeadlinesAtOnce() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            final int n = 200;
            Conn[][] pairs = new Conn[n][];
            for (int i = 0; i < n; i++) {
                pairs[i] = NetTesting.pair(ln);
            }
            ln.close();
            NetTesting.Group g = new NetTesting.Group();
            long t0 = System.nanoTime();
            AtomicLong maxMs = new AtomicLong();
            for (int i = 0; i < n; i++) {
                Conn c = pairs[i][0];
                g.go(() -> {
                    c.setReadDeadline(Instant.now().plusMillis(200));
                    assertTimeout(assertThrows(TimeoutException.class, () -> c.read(new byte[16])));
                    long ms = msSince(t0);
                    maxMs.accumulateAndGet(ms, Math::max);
                    assertTrue(ms >= 150, "timed out after " + ms + " ms");
                });
            }
            g.await();
            assertTrue(maxMs.get() < 10_000, "the last timed out after " + maxMs.get() + " ms");
            for (Conn[] pr : pairs) {
                pr[0].close();
                pr[1].close();
            }
        });
    }

    @Test
    void readDeadlineWithTheStreamAdapter() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            c.setReadDeadline(Instant.now().plusMillis(100));
            // Ordinary Java code catches SocketTimeoutException, as from a java.net.Socket.
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> c.inputStream().read());
            assertTimeout(e);
            c.setReadDeadline(null);
            p[1].write(new byte[] {42});
            assertEquals(42, c.inputStream().read());
            c.close();
            p[1].close();
        });
    }

    @Test
    void deadlinesAfterTheDataStillReturnTheData() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            byte[] m = bytes("quick");
            p[1].write(m);
            p[0].setReadDeadline(Instant.now().plusSeconds(30));
            byte[] b = new byte[m.length];
            assertTrue(readFully(p[0], b, 0, b.length));
            assertArrayEquals(m, b);
            p[0].close();
            p[1].close();
        });
    }

    /** Instant.MAX is "never" (no overflow into the past); Instant.MIN has long passed. */
    @Test
    void extremeDeadlines() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            c.setReadDeadline(Instant.MIN);
            assertTimeout(assertThrows(TimeoutException.class, () -> c.read(new byte[1])));
            c.setReadDeadline(Instant.MAX);
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> expectRead(c, "eventually"));
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            Go.sleep(Duration.ofMillis(50)); // long enough for an overflowed deadline to have fired
            p[1].write(bytes("eventually"));
            g.await();
            c.close();
            p[1].close();
        });
    }
}
