package dev.gort.net;

import static dev.gort.net.NetTesting.CLOSED;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Close (Go: netFD.Close, poll_runtime_pollUnblock): a goroutine blocked in read, write or accept
 * wakes with {@code java.net.SocketException} "use of closed network connection", and so does any
 * later call. The message may carry Go's OpError prefix ("read tcp a->b: ..."), so it is checked
 * with endsWith.
 */
@Tag("net")
class CloseTest {
    static void assertClosed(Throwable t) {
        assertInstanceOf(SocketException.class, t);
        assertTrue(t.getMessage() != null && t.getMessage().endsWith(CLOSED),
                "message should say \"" + CLOSED + "\": " + t.getMessage());
    }

    static void assertClosed(Executable call, String what) {
        assertClosed(assertThrows(SocketException.class, call, what));
    }

    @Test
    void closeWakesABlockedRead() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> assertClosed(() -> p[0].read(new byte[16]), "read blocked during close"));
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            p[0].close();
            g.await();
            p[1].close();
        });
    }

    @Test
    void closeWakesABlockedReadThatHasADeadline() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            p[0].setReadDeadline(Instant.now().plusSeconds(30));
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> assertClosed(() -> p[0].read(ByteBuffer.allocate(16)), "read(ByteBuffer) blocked during close"));
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            p[0].close();
            g.await();
            p[1].close();
        });
    }

    @Test
    void closeWakesABlockedAccept() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> assertClosed(ln::accept, "accept blocked during close"));
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            ln.close();
            g.await();
        });
    }

    @Test
    void closeWakesABlockedWriteAndABlockedReadTogether() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> assertClosed(() -> p[0].write(new byte[DeadlineTest.HUGE]), "write blocked during close"));
            g.go(() -> assertClosed(() -> p[0].read(new byte[16]), "read blocked during close"));
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 2);
            p[0].close();
            g.await();
            p[1].close();
        });
    }

    /** 100 goroutines blocked in read, each conn closed by another goroutine at once. */
    @Test
    void closeWakesManyBlockedReads() {
        NetTesting.main(() -> {
            final int n = 100;
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Conn[][] pairs = new Conn[n][];
            for (int i = 0; i < n; i++) {
                pairs[i] = NetTesting.pair(ln);
            }
            ln.close();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group readers = new NetTesting.Group();
            for (Conn[] pr : pairs) {
                readers.go(() -> assertClosed(() -> pr[1].read(new byte[16]), "read blocked during close"));
            }
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + n);
            NetTesting.Group closers = new NetTesting.Group();
            for (Conn[] pr : pairs) {
                closers.go(() -> pr[1].close());
            }
            closers.await();
            readers.await();
            for (Conn[] pr : pairs) {
                pr[0].close();
            }
        });
    }

    @Test
    void everyCallAfterCloseFails() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Conn[] p = NetTesting.pair(ln);
            Conn c = p[0];
            java.io.InputStream in = c.inputStream();
            java.io.OutputStream out = c.outputStream();
            c.close();
            assertClosed(() -> c.read(new byte[4]), "read");
            assertClosed(() -> c.read(new byte[4], 1, 2), "read(b, off, len)");
            assertClosed(() -> c.read(ByteBuffer.allocate(4)), "read(ByteBuffer)");
            assertClosed(() -> c.write(new byte[4]), "write");
            assertClosed(() -> c.write(new byte[4], 1, 2), "write(b, off, len)");
            assertClosed(() -> c.setDeadline(Instant.now()), "setDeadline");
            assertClosed(() -> c.setReadDeadline(null), "setReadDeadline");
            assertClosed(() -> c.setWriteDeadline(null), "setWriteDeadline");
            assertClosed(c::closeWrite, "closeWrite");
            assertClosed(c::closeRead, "closeRead");
            assertClosed(in::read, "inputStream().read()");
            assertClosed(() -> out.write(1), "outputStream().write(int)");
            assertClosed(() -> out.write(new byte[3]), "outputStream().write(byte[])");
            ln.close();
            assertClosed(ln::accept, "accept");
            // The peer sees end of stream.
            assertEquals(-1, p[1].read(new byte[4]));
            p[1].close();
        });
    }

    /** API.md, settled details: "closing twice is harmless". */
    @Test
    void closingTwiceIsHarmless() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Conn[] p = NetTesting.pair(ln);
            p[0].close();
            assertDoesNotThrow(p[0]::close, "second Conn.close");
            ln.close();
            assertDoesNotThrow(ln::close, "second Listener.close");
            p[1].close();
        });
    }

    /** API.md, settled details: "Listener and Conn implement java.io.Closeable". */
    @Test
    void connAndListenerAreCloseable() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Conn[] p = NetTesting.pair(ln);
            assertInstanceOf(Closeable.class, p[0], "Conn");
            assertInstanceOf(Closeable.class, ln, "Listener");
            p[0].close();
            p[1].close();
            ln.close();
        });
    }

    /** Closing the stream adapters closes the connection; closing them again does nothing. */
    @Test
    void closingAStreamAdapterClosesTheConnection() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            java.io.InputStream in = p[0].inputStream();
            in.close();
            assertDoesNotThrow(in::close);
            assertDoesNotThrow(() -> p[0].outputStream().close());
            assertClosed(() -> p[0].read(new byte[1]), "read after inputStream().close()");
            assertEquals(-1, p[1].read(new byte[1]));
            p[1].close();
        });
    }

    /** Closing a listener leaves the connections it accepted alone. */
    @Test
    void closingTheListenerLeavesAcceptedConnectionsOpen() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Conn[] p = NetTesting.pair(ln);
            ln.close();
            p[0].write(new byte[] {1, 2, 3});
            byte[] b = new byte[3];
            assertTrue(NetTesting.readFully(p[1], b, 0, 3));
            assertEquals(3, b[2]);
            p[0].close();
            p[1].close();
        });
    }

    /**
     * Close racing with readiness, deadlines and both directions' waiters, 1000 times: every call
     * ends with data, end of stream, a timeout, or a SocketException/IOException of a closed or
     * reset connection; never a runtime fatal error (double wait, corrupted polldesc) or a hang.
     */
    @Test
    void closeRacesWithIoAndDeadlines() {
        NetTesting.main(2, java.time.Duration.ofSeconds(90), () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            java.util.Random rnd = new java.util.Random(5);
            java.util.concurrent.atomic.AtomicInteger outcomes = new java.util.concurrent.atomic.AtomicInteger();
            for (int round = 0; round < 1000; round++) {
                Conn[] p = NetTesting.pair(ln);
                int closeAfter = rnd.nextInt(20);
                long deadlineUs = 50 + rnd.nextInt(2000);
                NetTesting.Group g = new NetTesting.Group();
                g.go(() -> { // reader on the server side
                    byte[] b = new byte[512];
                    try {
                        for (;;) {
                            try {
                                if (p[1].read(b) < 0) {
                                    break;
                                }
                            } catch (TimeoutException e) {
                                p[1].setReadDeadline(null);
                            }
                        }
                    } catch (java.io.IOException e) {
                        assertAcceptable(e);
                    }
                    outcomes.incrementAndGet();
                });
                g.go(() -> { // writer on the client side
                    byte[] b = new byte[1024];
                    try {
                        for (int i = 0; i < 1000; i++) {
                            p[0].write(b);
                        }
                    } catch (java.io.IOException e) {
                        assertAcceptable(e);
                    }
                    outcomes.incrementAndGet();
                });
                g.go(() -> { // deadlines and the close of the server side
                    try {
                        p[1].setReadDeadline(Instant.now().plusNanos(deadlineUs * 1000));
                        for (int i = 0; i < closeAfter; i++) {
                            dev.gort.Go.gosched();
                        }
                        p[1].close();
                    } catch (java.io.IOException e) {
                        assertAcceptable(e);
                    }
                });
                g.await();
                p[0].close();
            }
            ln.close();
            assertEquals(2000, outcomes.get());
        });
    }

    static void assertAcceptable(java.io.IOException e) {
        String m = String.valueOf(e.getMessage());
        assertTrue(m.endsWith(CLOSED) || m.endsWith("connection reset by peer") || m.endsWith("broken pipe"),
                "unexpected failure: " + e);
    }
}
