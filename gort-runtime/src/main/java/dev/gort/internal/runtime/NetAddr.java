package dev.gort.internal.runtime;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP addresses as Go writes and reads them (Go: net.SplitHostPort, net/ipsock.go
 * internetAddrList, TCPAddr.String).
 *
 * <p>Parsing: {@code "127.0.0.1:0"}, {@code "[::1]:8080"}, {@code ":8080"} (no host: the wildcard
 * address, which a listener binds on all interfaces), {@code "localhost:80"} (resolved with
 * {@link InetAddress}, which may block on DNS: call it where blocking is allowed). The port is
 * decimal, 0..65535, and an empty port means 0. Go also accepts service names ("http") from
 * /etc/services; we do not, and say {@code unknown port}. The networks are {@code tcp} (both
 * families), {@code tcp4} and {@code tcp6} (addresses of the other family are filtered out).
 *
 * <p>Errors carry Go's message and are {@link IOException}s, as Go returns them as errors:
 * {@code dial tcp: address 127.0.0.1: missing port in address},
 * {@code listen tcp: address 70000: invalid port}, {@code dial tcp: lookup nohost.invalid: no such
 * host} (an {@link UnknownHostException}).
 *
 * <p>Formatting: {@code 127.0.0.1:8080}, {@code [::1]:8080} (RFC 5952's short form, as Go's
 * net.IP.String, not Java's {@code 0:0:0:0:0:0:0:1}), and {@code :8080} for the wildcard address.
 */
final class NetAddr {
    private NetAddr() {}

    /** "tcp", "tcp4" or "tcp6", or Go's {@code unknown network} error. */
    static void checkNetwork(String op, String net) throws SocketException {
        if (!net.equals("tcp") && !net.equals("tcp4") && !net.equals("tcp6")) {
            throw new SocketException(NetError.message(op, net, null, null, "unknown network " + net));
        }
    }

    /**
     * Every address {@code address} stands for on {@code net}, in the resolver's order (Go dials
     * them in turn; {@link #forListen} picks one). A host-less address gives the wildcard address:
     * for {@code tcp} the IPv4 one, which the epoll backend widens to a dual-stack IPv6 socket.
     */
    static List<InetSocketAddress> resolve(String op, String net, String address) throws IOException {
        checkNetwork(op, net);
        String[] hp = splitHostPort(op, net, address);
        int port = parsePort(op, net, hp[1]);
        String host = hp[0];
        List<InetSocketAddress> out = new ArrayList<>();
        if (host.isEmpty()) {
            InetAddress any = InetAddress.getByAddress(net.equals("tcp6") ? new byte[16] : new byte[4]);
            out.add(new InetSocketAddress(any, port));
            return out;
        }
        InetAddress[] ips;
        try {
            ips = new InetAddress[] {InetAddress.ofLiteral(host)};
        } catch (IllegalArgumentException notLiteral) {
            try {
                ips = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                UnknownHostException u =
                        new UnknownHostException(NetError.message(op, net, null, null, "lookup " + host + ": no such host"));
                u.initCause(e);
                throw u;
            }
        }
        for (InetAddress ip : ips) {
            boolean v4 = ip instanceof Inet4Address;
            if (net.equals("tcp") || (net.equals("tcp4") == v4)) {
                out.add(new InetSocketAddress(ip, port));
            }
        }
        if (out.isEmpty()) {
            throw new SocketException(
                    NetError.message(op, net, null, null, "address " + host + ": no suitable address found"));
        }
        return out;
    }

    /** Go's Listen: the first IPv4 address if there is one, else the first address. */
    static InetSocketAddress forListen(List<InetSocketAddress> addrs) {
        for (InetSocketAddress a : addrs) {
            if (a.getAddress() instanceof Inet4Address) {
                return a;
            }
        }
        return addrs.get(0);
    }

    /** Go: net.SplitHostPort, with its error texts; returns {host, port}. */
    static String[] splitHostPort(String op, String net, String hostport) throws SocketException {
        int i = hostport.lastIndexOf(':');
        if (i < 0) {
            throw addrError(op, net, hostport, "missing port in address");
        }
        String host;
        int j = 0;
        int k = 0;
        if (hostport.startsWith("[")) {
            int end = hostport.indexOf(']');
            if (end < 0) {
                throw addrError(op, net, hostport, "missing ']' in address");
            }
            if (end + 1 == hostport.length()) {
                throw addrError(op, net, hostport, "missing port in address");
            } else if (end + 1 != i) {
                throw addrError(op, net, hostport,
                        hostport.charAt(end + 1) == ':' ? "too many colons in address" : "missing port in address");
            }
            host = hostport.substring(1, end);
            j = 1;
            k = end + 1;
        } else {
            host = hostport.substring(0, i);
            if (host.indexOf(':') >= 0) {
                throw addrError(op, net, hostport, "too many colons in address");
            }
        }
        if (hostport.indexOf('[', j) >= 0) {
            throw addrError(op, net, hostport, "unexpected '[' in address");
        }
        if (hostport.indexOf(']', k) >= 0) {
            throw addrError(op, net, hostport, "unexpected ']' in address");
        }
        return new String[] {host, hostport.substring(i + 1)};
    }

    private static int parsePort(String op, String net, String port) throws SocketException {
        if (port.isEmpty()) {
            return 0;
        }
        boolean numeric = true;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            numeric &= (c >= '0' && c <= '9') || (i == 0 && (c == '+' || c == '-') && port.length() > 1);
        }
        if (!numeric) {
            throw new SocketException(NetError.message(op, net, null, null, "lookup " + net + "/" + port + ": unknown port"));
        }
        long n;
        try {
            n = Long.parseLong(port);
        } catch (NumberFormatException e) {
            n = -1; // longer than a long: out of range either way
        }
        if (n < 0 || n > 0xFFFF) {
            throw addrError(op, net, port, "invalid port");
        }
        return (int) n;
    }

    private static SocketException addrError(String op, String net, String addr, String err) {
        return new SocketException(NetError.message(op, net, null, null, "address " + addr + ": " + err));
    }

    /** Go: TCPAddr.String(). */
    static String format(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        if (ip.isAnyLocalAddress()) {
            return ":" + a.getPort();
        }
        if (ip instanceof Inet6Address v6) {
            return "[" + formatIPv6(v6) + "]:" + a.getPort();
        }
        return ip.getHostAddress() + ":" + a.getPort();
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups as "::". */
    static String formatIPv6(Inet6Address ip) {
        byte[] b = ip.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        if (ip.getScopedInterface() != null) {
            s.append('%').append(ip.getScopedInterface().getName());
        } else if (ip.getScopeId() != 0) {
            s.append('%').append(ip.getScopeId());
        }
        return s.toString();
    }
}
