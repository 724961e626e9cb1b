package dev.gort.net;

import static dev.gort.net.NetTesting.readFully;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Half-close (Go: TCPConn.CloseWrite/CloseRead), end of stream, addresses, and the errors of dial
 * and listen with Go's messages.
 */
@Tag("net")
class HalfCloseAndErrorsTest {
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String readAll(Conn c) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] b = new byte[256];
        for (int n; (n = c.read(b)) >= 0; ) {
            sb.append(new String(b, 0, n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /**
     * closeWrite: the peer reads its data then end of stream, but can still write back; then the
     * peer closes and we read end of stream. The reader waits in read across the half-close.
     */
    @Test
    void closeWriteThenThePeerStillWritesBack() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            Conn s = p[1];
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> {
                // Server: read the whole request (until end of stream), answer, close.
                String req = readAll(s);
                assertEquals(-1, s.read(new byte[1]), "end of stream stays");
                s.write(bytes("got " + req.length() + " bytes: " + req));
                s.close();
            });
            c.write(bytes("hello, "));
            c.write(bytes("half-closed world"));
            c.closeWrite();
            assertEquals("got 24 bytes: hello, half-closed world", readAll(c));
            assertEquals(-1, c.read(new byte[1]), "end of stream stays");
            assertEquals(-1, c.read(ByteBuffer.allocate(4)), "end of stream through a ByteBuffer too");
            assertEquals(-1, c.inputStream().read(), "and through the stream adapter");
            g.await();
            c.close();
        });
    }

    /** A reader parked in read when the peer half-closes wakes with end of stream. */
    @Test
    void parkedReaderWakesWithEndOfStream() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> assertEquals(-1, p[1].read(new byte[16]), "end of stream while parked"));
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            p[0].closeWrite();
            g.await();
            // The other direction is still open.
            p[1].write(bytes("back"));
            byte[] b = new byte[4];
            assertTrue(readFully(p[0], b, 0, 4));
            assertEquals("back", new String(b, StandardCharsets.UTF_8));
            p[1].close();
            assertEquals(-1, p[0].read(b), "end of stream after the peer's close");
            p[0].close();
        });
    }

    /** closeRead: our reads see end of stream; writing still works. */
    @Test
    void closeReadEndsOurReads() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            p[0].closeRead();
            assertEquals(-1, p[0].read(new byte[8]));
            p[0].write(bytes("still writing"));
            p[0].close();
            assertEquals("still writing", readAll(p[1]));
            p[1].close();
        });
    }

    @Test
    void addresses() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            InetSocketAddress la = ln.addr();
            assertNotNull(la);
            assertTrue(la.getPort() > 0, "port 0 picks a port: " + la);
            assertEquals("127.0.0.1", la.getAddress().getHostAddress());
            Conn[] p = NetTesting.pair(ln);
            assertEquals(la, p[0].remoteAddr(), "the client's remote address is the listener's");
            assertEquals(p[0].localAddr(), p[1].remoteAddr(), "the server sees the client's address");
            assertEquals(p[1].localAddr(), p[0].remoteAddr());
            assertEquals(la.getPort(), p[1].localAddr().getPort());
            p[0].close();
            p[1].close();
            ln.close();
        });
    }

    /** Go: dial tcp 127.0.0.1:P: connect: connection refused. */
    @Test
    void dialToAClosedPortIsRefused() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = NetTesting.addr(ln);
            ln.close();
            IOException e = assertThrows(IOException.class, () -> Net.dial("tcp", addr));
            assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
            assertTrue(e.getMessage().contains(addr), "the message names the address: " + e.getMessage());
            assertEquals("dial tcp " + addr + ": connect: connection refused", e.getMessage(), "Go's text");
            assertInstanceOf(ConnectException.class, e, "Java code catches a refused connect as ConnectException");
        });
    }

    /** Go: listen tcp 127.0.0.1:P: bind: address already in use. */
    @Test
    void listenTwiceOnOnePortIsAddressInUse() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = NetTesting.addr(ln);
            IOException e = assertThrows(IOException.class, () -> Net.listen("tcp", addr));
            assertTrue(e.getMessage().contains("address already in use"), e.getMessage());
            assertEquals("listen tcp " + addr + ": bind: address already in use", e.getMessage(), "Go's text");
            assertInstanceOf(java.net.BindException.class, e);
            // The first listener is unharmed.
            Conn[] p = NetTesting.pair(ln);
            p[0].close();
            p[1].close();
            ln.close();
            // And once closed, the port is free again (SO_REUSEADDR, as Go sets).
            Net.listen("tcp", addr).close();
        });
    }

    @Test
    void unknownNetwork() {
        NetTesting.main(() -> {
            IOException e = assertThrows(IOException.class, () -> Net.dial("udp", "127.0.0.1:1"));
            assertEquals("dial udp 127.0.0.1:1: unknown network udp", e.getMessage());
            IOException l = assertThrows(IOException.class, () -> Net.listen("tcpx", "127.0.0.1:0"));
            assertEquals("listen tcpx 127.0.0.1:0: unknown network tcpx", l.getMessage());
        });
    }

    /** A host name resolves ("localhost"), and tcp6 works on [::1] where the host has IPv6. */
    @Test
    void hostNamesAndIpv6() {
        boolean ipv6;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("::1"))) {
            ipv6 = probe.isBound();
        } catch (IOException e) {
            ipv6 = false;
        }
        boolean v6 = ipv6;
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp4", "127.0.0.1:0");
            try (Conn c = Net.dial("tcp", "localhost:" + ln.addr().getPort()); Conn s = ln.accept()) {
                c.write(bytes("by name"));
                c.closeWrite();
                assertEquals("by name", readAll(s));
            }
            ln.close();
            if (v6) {
                Listener l6 = Net.listen("tcp6", "[::1]:0");
                assertEquals("::1", l6.addr().getAddress().getHostAddress().replace("0:0:0:0:0:0:0:1", "::1"));
                try (Conn c = Net.dial("tcp6", "[::1]:" + l6.addr().getPort()); Conn s = l6.accept()) {
                    s.write(bytes("over ipv6"));
                    s.closeWrite();
                    assertEquals("over ipv6", readAll(c));
                }
                l6.close();
            }
        });
    }

    /**
     * A reset from the peer (a java.net socket closed with SO_LINGER 0) fails a read parked in the
     * netpoller with Go's text: {@code read tcp a->b: read: connection reset by peer}, on both
     * backends.
     */
    @Test
    void resetByPeerWakesAParkedRead() {
        NetTesting.main(() -> {
            try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                Conn c = Net.dial("tcp", "127.0.0.1:" + ss.getLocalPort());
                java.net.Socket peer = dev.gort.Go.syscall(ss::accept);
                int ioWait0 = NetTesting.goroutinesIn("IO wait");
                NetTesting.Group g = new NetTesting.Group();
                g.go(() -> {
                    IOException e = assertThrows(IOException.class, () -> c.read(new byte[8]));
                    String want = "read tcp " + hostPort(c.localAddr()) + "->" + hostPort(c.remoteAddr())
                            + ": read: connection reset by peer";
                    assertEquals(want, e.getMessage());
                });
                NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
                peer.setSoLinger(true, 0);
                peer.close();
                g.await();
                c.close();
            }
        });
    }

    static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
