package dev.gort.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Go's address syntax and messages (net.SplitHostPort, TCPAddr.String), and the backend choice. */
class NetAddrTest {
    @Test
    void splitHostPort() throws SocketException {
        assertArrayEquals(new String[] {"127.0.0.1", "0"}, NetAddr.splitHostPort("dial", "tcp", "127.0.0.1:0"));
        assertArrayEquals(new String[] {"::1", "8080"}, NetAddr.splitHostPort("dial", "tcp", "[::1]:8080"));
        assertArrayEquals(new String[] {"", "8080"}, NetAddr.splitHostPort("dial", "tcp", ":8080"));
        assertArrayEquals(new String[] {"localhost", "80"}, NetAddr.splitHostPort("dial", "tcp", "localhost:80"));
        assertArrayEquals(new String[] {"fe80::1%lo", "1"}, NetAddr.splitHostPort("dial", "tcp", "[fe80::1%lo]:1"));
    }

    @Test
    void malformedAddressesSayWhatGoSays() {
        String[][] cases = {
            {"127.0.0.1", "dial tcp: address 127.0.0.1: missing port in address"},
            {"::1:80", "dial tcp: address ::1:80: too many colons in address"},
            {"[::1:80", "dial tcp: address [::1:80: missing ']' in address"},
            {"[::1]", "dial tcp: address [::1]: missing port in address"},
            {"[::1]x:80", "dial tcp: address [::1]x:80: missing port in address"},
            {"a[b:80", "dial tcp: address a[b:80: unexpected '[' in address"},
            {"127.0.0.1:70000", "dial tcp: address 70000: invalid port"},
            {"127.0.0.1:-1", "dial tcp: address -1: invalid port"},
            {"127.0.0.1:http", "dial tcp: lookup tcp/http: unknown port"},
        };
        for (String[] c : cases) {
            SocketException e = assertThrows(SocketException.class, () -> NetAddr.resolve("dial", "tcp", c[0]), c[0]);
            assertEquals(c[1], e.getMessage());
        }
        SocketException e = assertThrows(SocketException.class, () -> NetAddr.resolve("listen", "udp", ":0"));
        assertEquals("listen udp: unknown network udp", e.getMessage());
        e = assertThrows(SocketException.class, () -> NetAddr.resolve("dial", "tcp4", "[::1]:80"));
        assertEquals("dial tcp4: address ::1: no suitable address found", e.getMessage());
        UnknownHostException u = assertThrows(UnknownHostException.class,
                () -> NetAddr.resolve("dial", "tcp", "no-such-host.invalid:80"));
        assertEquals("dial tcp: lookup no-such-host.invalid: no such host", u.getMessage());
    }

    @Test
    void resolve() throws IOException {
        List<InetSocketAddress> a = NetAddr.resolve("dial", "tcp", "127.0.0.1:");
        assertEquals(List.of(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0)), a);
        InetSocketAddress any = NetAddr.resolve("listen", "tcp", ":8080").get(0);
        assertTrue(any.getAddress().isAnyLocalAddress());
        assertEquals(8080, any.getPort());
        assertTrue(NetAddr.resolve("listen", "tcp6", ":1").get(0).getAddress() instanceof Inet6Address);
        InetSocketAddress local = NetAddr.forListen(NetAddr.resolve("listen", "tcp", "localhost:0"));
        assertTrue(local.getAddress().isLoopbackAddress());
        assertTrue(local.getAddress() instanceof Inet4Address, "Go listens on localhost's IPv4 address first");
    }

    @Test
    void formatLikeGo() throws IOException {
        assertEquals("127.0.0.1:80", NetAddr.format(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 80)));
        assertEquals("[::1]:8080", NetAddr.format(new InetSocketAddress(InetAddress.ofLiteral("::1"), 8080)));
        assertEquals(":8080", NetAddr.format(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), 8080)));
        assertEquals("[2001:db8::1:0:0:1]:1",
                NetAddr.format(new InetSocketAddress(InetAddress.ofLiteral("2001:db8:0:0:1:0:0:1"), 1)));
        assertEquals("[2001:db8:0:1:1:1:1:1]:1",
                NetAddr.format(new InetSocketAddress(InetAddress.ofLiteral("2001:db8:0:1:1:1:1:1"), 1)));
        assertEquals("[fe80::]:1", NetAddr.format(new InetSocketAddress(InetAddress.ofLiteral("fe80::"), 1)));
    }

    @Test
    void backendChoice() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals("nio", NetpollChoice.choose("nio"));
            assertEquals("epoll", NetpollChoice.choose("epoll"));
            assertEquals("epoll", NetpollChoice.choose(null), "Linux, with --enable-native-access");
            assertEquals("epoll", NetpollChoice.choose(""));
            assertEquals("", err.toString(StandardCharsets.UTF_8));
            assertEquals("epoll", NetpollChoice.choose("kqueue"));
        } finally {
            System.setErr(saved);
        }
        assertEquals("gort: ignoring malformed gort.netpoll=\"kqueue\" (want epoll or nio); using epoll\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(Netpoll.get(), Netpoll.get());
        assertEquals("epoll", Netpoll.get().name());
    }
}
