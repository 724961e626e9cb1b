package dev.gort.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The socket half of the seam ({@link NetFD}): half-close, Go's error messages, addresses and
 * families; both backends, the same assertions.
 */
class NetFDTest {
    private static final int R = Netpoll.READ;

    /** Go: TCPConn.CloseWrite: the peer reads EOF and can still answer. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void halfClose(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD[] p = h.pair("c", "s");
            NetFD c = p[0];
            NetFD s = p[1];
            h.writeAll(c, "c", "request".getBytes(StandardCharsets.UTF_8));
            c.closeWrite();
            assertEquals(7, h.readToEof(s, "s"));
            assertEquals(NetFD.EOF, s.read(new byte[8], 0, 8), "EOF stays EOF");
            assertEquals(0, s.read(new byte[8], 0, 0), "a zero-length read is 0, not EOF");
            h.writeAll(s, "s", "response".getBytes(StandardCharsets.UTF_8));
            s.closeWrite();
            assertEquals("response", new String(h.readFully(c, "c", 8), StandardCharsets.UTF_8));
            assertEquals(0, h.readToEof(c, "c"));
            assertThrows(SocketException.class, () -> c.write(new byte[1], 0, 1), "write after CloseWrite");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void connectionRefused(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD ln = h.listen("127.0.0.1:0");
            int port = NetHarness.addr(ln).getPort();
            ln.close(); // nobody listens there now
            ConnectException e = assertThrows(ConnectException.class,
                    () -> h.dial(new InetSocketAddress("127.0.0.1", port), "c"));
            assertEquals("dial tcp 127.0.0.1:" + port + ": connect: connection refused", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void addressInUse(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD ln = h.listen("127.0.0.1:0");
            int port = NetHarness.addr(ln).getPort();
            BindException e = assertThrows(BindException.class, () -> h.listen("127.0.0.1:" + port));
            assertEquals("listen tcp 127.0.0.1:" + port + ": bind: address already in use", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void closedSocketErrors(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD ln = h.listen("127.0.0.1:0");
            int port = NetHarness.addr(ln).getPort();
            assertTrue(ln.close());
            assertTrue(ln.isClosed());
            assertFalse(ln.incref());
            SocketException e = assertThrows(SocketException.class, ln::accept);
            assertEquals("accept tcp 127.0.0.1:" + port + ": use of closed network connection", e.getMessage());
            e = assertThrows(SocketException.class, () -> h.np.open(ln, "ln"), "its number may be another socket's now");
            assertEquals("open tcp 127.0.0.1:" + port + ": use of closed network connection", e.getMessage());
        }
    }

    /** Go's wildcard listener (":0") is dual-stack: IPv4 clients reach it; it prints as ":port". */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void wildcardListener(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD ln = h.listen(":0");
            h.np.open(ln, "ln");
            InetSocketAddress la = NetHarness.addr(ln);
            assertTrue(la.getAddress().isAnyLocalAddress(), la.toString());
            assertEquals(":" + la.getPort(), NetAddr.format(la));
            NetFD c = h.dial(new InetSocketAddress("127.0.0.1", la.getPort()), "c");
            NetFD s = h.accept(ln, "ln");
            assertEquals(NetHarness.addr(c), s.remoteAddr());
            assertEquals("127.0.0.1", s.remoteAddr().getAddress().getHostAddress(), "IPv4-mapped shows as IPv4");
            NetFD c6;
            try {
                c6 = h.dial(new InetSocketAddress(java.net.InetAddress.ofLiteral("::1"), la.getPort()), "c6");
            } catch (SocketException e) {
                // A host without IPv6 loopback: the dial must fail cleanly, Go-style, naming the
                // address (the IPv4 half above has run in full).
                assertTrue(e.getMessage().startsWith("dial tcp [::1]:" + la.getPort() + ": "), e.getMessage());
                return;
            }
            NetFD s6 = h.accept(ln, "ln");
            assertEquals(NetHarness.addr(c6), s6.remoteAddr());
            assertEquals("[::1]:" + la.getPort(), NetAddr.format(s6.localAddr()), "dual stack: IPv6 clients too");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void ipv6Loopback(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD ln;
            try {
                ln = h.listen("[::1]:0");
            } catch (SocketException e) {
                // A host without IPv6 loopback: listen must fail cleanly, Go-style, naming the
                // address, rather than fall back to another family.
                assertTrue(e.getMessage().startsWith("listen tcp [::1]:0: "), e.getMessage());
                return;
            }
            h.np.open(ln, "ln");
            InetSocketAddress la = NetHarness.addr(ln);
            assertTrue(la.getAddress() instanceof Inet6Address);
            assertEquals("[::1]:" + la.getPort(), NetAddr.format(la));
            NetFD c = h.dial(la, "c");
            NetFD s = h.accept(ln, "ln");
            h.np.open(s, "s");
            h.writeAll(c, "c", new byte[] {42});
            assertEquals(42, h.readFully(s, "s", 1)[0]);
            assertTrue(NetAddr.format(s.remoteAddr()).startsWith("[::1]:"));
            h.take("s");
            h.np.arm(s, R);
        }
    }
}
