package dev.gort.internal.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A raw Linux TCP socket, non-blocking from birth (Go: net/sock_posix.go {@code socket},
 * sock_cloexec.go, fd_unix.go {@code connect}, internal/poll/fd_unix.go Read/Write/Accept).
 *
 * <ul>
 *   <li>socket(family, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC); a "tcp" listener on the wildcard
 *       address is an IPv6 socket with IPV6_V6ONLY off (dual stack, as Go's), or IPv4 if the
 *       host has no IPv6; "tcp6" sockets set IPV6_V6ONLY.</li>
 *   <li>Listeners: SO_REUSEADDR, bind, listen(backlog = /proc/sys/net/core/somaxconn, as Go's
 *       maxListenerBacklog, else 4096), then getsockname for the real port.</li>
 *   <li>Connections, dialed or accepted (accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC; ECONNABORTED
 *       and EINTR retried as Go does): TCP_NODELAY, as Go's newTCPConn sets it.</li>
 *   <li>read is recv(0), write is send(MSG_NOSIGNAL) — a write to a reset connection fails with
 *       EPIPE instead of raising SIGPIPE. Heap buffers are copied through {@link Scratch} (at most
 *       {@link Scratch#DATA_SIZE} bytes per call); direct ByteBuffers are used in place. EINTR is
 *       retried.</li>
 * </ul>
 * Each call borrows a Scratch for its errno and sockaddr, and returns it before returning.
 */
final class EpollNetFD extends NetFD {
    /** The descriptor; immutable (closed once, by destroy, after every operation has left). */
    final int fd;
    /** Address family of the socket. Immutable. */
    private final int family;
    /** The connect finished (dial) or was never needed (accept); written by finishConnect's caller. */
    private volatile boolean connected;
    /** Epoll registration (EpollNetpoll's slot and tag); under that Netpoll's lock. */
    int pollSlot = -1;

    private EpollNetFD(String net, boolean listener, int fd, int family) {
        super(net, listener);
        this.fd = fd;
        this.family = family;
    }

    @Override
    public int sysfd() {
        return fd;
    }

    @Override
    public boolean connecting() {
        return !listener && !connected;
    }

    // ---------------------------------------------------------------- creation

    static EpollNetFD listen(String net, InetSocketAddress laddr) throws IOException {
        NetAddr.checkNetwork("listen", net);
        Scratch s = Scratch.get(0);
        try {
            boolean wildcard = laddr.getAddress().isAnyLocalAddress();
            int family = Sockaddr.family(laddr.getAddress());
            boolean dualStack = wildcard && net.equals("tcp");
            if (dualStack) {
                family = Libc.AF_INET6;
            }
            int fd = Libc.socket(s.state, family, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0 && dualStack && Libc.errno(s.state) == NetError.EAFNOSUPPORT) {
                family = Libc.AF_INET; // no IPv6 on this host
                fd = Libc.socket(s.state, family, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            }
            if (fd < 0) {
                throw NetError.of("listen", net, null, laddr, "socket", Libc.errno(s.state));
            }
            EpollNetFD nfd = new EpollNetFD(net, true, fd, family);
            boolean ok = false;
            try {
                if (family == Libc.AF_INET6) {
                    nfd.setInt(s, "listen", laddr, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, net.equals("tcp6") ? 1 : 0);
                }
                nfd.setInt(s, "listen", laddr, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
                int len = Sockaddr.encode(s.sockaddr, family, laddr);
                if (Libc.bind(s.state, fd, s.sockaddr, len) < 0) {
                    throw NetError.of("listen", net, null, laddr, "bind", Libc.errno(s.state));
                }
                if (Libc.listen(s.state, fd, Backlog.N) < 0) {
                    throw NetError.of("listen", net, null, laddr, "listen", Libc.errno(s.state));
                }
                nfd.laddr = nfd.sockname(s);
                ok = true;
                return nfd;
            } finally {
                if (!ok) {
                    Libc.close(s.state, fd);
                }
            }
        } finally {
            s.release(0);
        }
    }

    static EpollNetFD dial(String net, InetSocketAddress raddr) throws IOException {
        NetAddr.checkNetwork("dial", net);
        Scratch s = Scratch.get(0);
        try {
            int family = Sockaddr.family(raddr.getAddress());
            int fd = Libc.socket(s.state, family, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw NetError.of("dial", net, null, raddr, "socket", Libc.errno(s.state));
            }
            EpollNetFD nfd = new EpollNetFD(net, false, fd, family);
            nfd.raddr = raddr;
            boolean ok = false;
            try {
                if (family == Libc.AF_INET6 && net.equals("tcp6")) {
                    nfd.setInt(s, "dial", raddr, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1);
                }
                nfd.setInt(s, "dial", raddr, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1);
                int len = Sockaddr.encode(s.sockaddr, family, raddr);
                if (Libc.connect(s.state, fd, s.sockaddr, len) == 0) {
                    nfd.connected = true;
                    nfd.laddr = nfd.sockname(s);
                } else {
                    int e = Libc.errno(s.state);
                    if (e == NetError.EISCONN) {
                        nfd.connected = true;
                        nfd.laddr = nfd.sockname(s);
                    } else if (e != NetError.EINPROGRESS && e != NetError.EALREADY && e != NetError.EINTR) {
                        throw NetError.of("dial", net, null, raddr, "connect", e);
                    }
                }
                ok = true;
                return nfd;
            } finally {
                if (!ok) {
                    Libc.close(s.state, fd);
                }
            }
        } finally {
            s.release(0);
        }
    }

    private void setInt(Scratch s, String op, InetSocketAddress a, int level, int name, int value) throws IOException {
        s.word.set(JAVA_INT, 0, value);
        if (Libc.setsockopt(s.state, fd, level, name, s.word, 4) < 0) {
            throw NetError.of(op, net, null, a, "setsockopt", Libc.errno(s.state));
        }
    }

    // ---------------------------------------------------------------- operations

    @Override
    void sysSetNoDelay(boolean on) throws IOException {
        Scratch s = Scratch.get(fd);
        try {
            setInt(s, "set", raddr, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, on ? 1 : 0);
        } finally {
            s.release(fd);
        }
    }

    @Override
    NetFD sysAccept() throws IOException {
        Scratch s = Scratch.get(fd);
        try {
            for (;;) {
                s.socklen.set(JAVA_INT, 0, (int) s.sockaddr.byteSize());
                int nfd = Libc.accept4(s.state, fd, s.sockaddr, s.socklen, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
                if (nfd < 0) {
                    int e = Libc.errno(s.state);
                    if (e == NetError.EAGAIN) {
                        return null;
                    }
                    if (e == NetError.EINTR || e == NetError.ECONNABORTED) {
                        continue; // Go: the peer gave up before we accepted; try the next one
                    }
                    throw ioError("accept", "accept4", e);
                }
                EpollNetFD c = new EpollNetFD(net, false, nfd, family);
                c.connected = true;
                c.raddr = Sockaddr.decode(s.sockaddr);
                c.laddr = c.sockname(s); // Go: getsockname at accept, so error messages name both ends
                s.word.set(JAVA_INT, 0, 1);
                Libc.setsockopt(s.state, nfd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, s.word, 4); // Go ignores errors here
                return c;
            }
        } finally {
            s.release(fd);
        }
    }

    @Override
    int sysFinishConnect() throws IOException {
        if (connected) {
            return 0;
        }
        Scratch s = Scratch.get(fd);
        try {
            s.wordLen.set(JAVA_INT, 0, 4);
            if (Libc.getsockopt(s.state, fd, Libc.SOL_SOCKET, Libc.SO_ERROR, s.word, s.wordLen) < 0) {
                throw NetError.of("dial", net, null, raddr, "getsockopt", Libc.errno(s.state));
            }
            int e = s.word.get(JAVA_INT, 0);
            switch (e) {
                case NetError.EINPROGRESS, NetError.EALREADY, NetError.EINTR:
                    return EAGAIN;
                case NetError.EISCONN:
                    connected = true;
                    laddr = sockname(s);
                    return 0;
                case 0:
                    // Go: no error, but a spurious wake-up looks the same; connected iff it has a peer.
                    s.socklen.set(JAVA_INT, 0, (int) s.sockaddr.byteSize());
                    if (Libc.getpeername(s.state, fd, s.sockaddr, s.socklen) == 0) {
                        connected = true;
                        laddr = sockname(s);
                        return 0;
                    }
                    return EAGAIN;
                default:
                    throw NetError.of("dial", net, null, raddr, "connect", e);
            }
        } finally {
            s.release(fd);
        }
    }

    @Override
    int sysRead(byte[] b, int off, int len) throws IOException {
        Scratch s = Scratch.get(fd);
        try {
            int n = recv(s, s.data, Math.min(len, Scratch.DATA_SIZE));
            if (n > 0) {
                MemorySegment.copy(s.data, JAVA_BYTE, 0, b, off, n);
            }
            return n;
        } finally {
            s.release(fd);
        }
    }

    @Override
    int sysRead(ByteBuffer b) throws IOException {
        Scratch s = Scratch.get(fd);
        try {
            int len = b.remaining();
            if (b.isDirect()) {
                int n = recv(s, MemorySegment.ofBuffer(b), len);
                if (n > 0) {
                    b.position(b.position() + n);
                }
                return n;
            }
            int n = recv(s, s.data, Math.min(len, Scratch.DATA_SIZE));
            if (n > 0) {
                b.put(s.data.asSlice(0, n).asByteBuffer());
            }
            return n;
        } finally {
            s.release(fd);
        }
    }

    private int recv(Scratch s, MemorySegment buf, int len) throws IOException {
        for (;;) {
            long n = Libc.recv(s.state, fd, buf, len, 0);
            if (n > 0) {
                return (int) n;
            }
            if (n == 0) {
                return EOF; // len > 0 here (NetFD handles zero-length reads): Go's ZeroReadIsEOF
            }
            int e = Libc.errno(s.state);
            if (e == NetError.EAGAIN) {
                return EAGAIN;
            }
            if (e != NetError.EINTR) {
                throw ioError("read", "read", e);
            }
        }
    }

    @Override
    int sysWrite(byte[] b, int off, int len) throws IOException {
        Scratch s = Scratch.get(fd);
        try {
            int n = Math.min(len, Scratch.DATA_SIZE);
            MemorySegment.copy(b, off, s.data, JAVA_BYTE, 0, n);
            return send(s, s.data, n);
        } finally {
            s.release(fd);
        }
    }

    @Override
    int sysWrite(ByteBuffer b) throws IOException {
        Scratch s = Scratch.get(fd);
        try {
            int pos = b.position();
            int n;
            if (b.isDirect()) {
                n = send(s, MemorySegment.ofBuffer(b), b.remaining());
            } else {
                int len = Math.min(b.remaining(), Scratch.DATA_SIZE);
                MemorySegment.copy(MemorySegment.ofBuffer(b), 0, s.data, 0, len);
                n = send(s, s.data, len);
            }
            if (n > 0) {
                b.position(pos + n);
            }
            return n;
        } finally {
            s.release(fd);
        }
    }

    private int send(Scratch s, MemorySegment buf, int len) throws IOException {
        for (;;) {
            long n = Libc.send(s.state, fd, buf, len, Libc.MSG_NOSIGNAL);
            if (n >= 0) {
                return (int) n;
            }
            int e = Libc.errno(s.state);
            if (e == NetError.EAGAIN) {
                return EAGAIN;
            }
            if (e != NetError.EINTR) {
                throw ioError("write", "write", e);
            }
        }
    }

    @Override
    void sysShutdown(boolean write) throws IOException {
        Scratch s = Scratch.get(fd);
        try {
            if (Libc.shutdown(s.state, fd, write ? Libc.SHUT_WR : Libc.SHUT_RD) < 0) {
                throw ioError("close", "shutdown", Libc.errno(s.state));
            }
        } finally {
            s.release(fd);
        }
    }

    @Override
    InetSocketAddress sysLocalAddr() {
        Scratch s = Scratch.get(fd);
        try {
            return sockname(s);
        } finally {
            s.release(fd);
        }
    }

    private InetSocketAddress sockname(Scratch s) {
        s.socklen.set(JAVA_INT, 0, (int) s.sockaddr.byteSize());
        return Libc.getsockname(s.state, fd, s.sockaddr, s.socklen) == 0 ? Sockaddr.decode(s.sockaddr) : null;
    }

    @Override
    void sysClose() {
        Scratch s = Scratch.get(fd);
        try {
            Libc.close(s.state, fd); // Linux frees the descriptor even when close reports EINTR
        } finally {
            s.release(fd);
        }
    }

    /** Go: maxListenerBacklog, read once. */
    static final class Backlog {
        private Backlog() {}

        static final int N = read();

        private static int read() {
            // Read as a stream: some kernels give /proc files a size that Files.readString trusts.
            try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/net/core/somaxconn"))) {
                int n = Integer.parseInt(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
                // Linux keeps the backlog in a u16 before 4.1; Go clamps the same way.
                return n <= 0 ? 4096 : Math.min(n, 0xFFFF);
            } catch (IOException | RuntimeException e) {
                return 4096;
            }
        }
    }
}
