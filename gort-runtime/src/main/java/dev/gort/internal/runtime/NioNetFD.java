package dev.gort.internal.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A TCP socket as a non-blocking JDK channel: the portable twin of {@link EpollNetFD}, with the
 * same contract ({@link NetFD}). A {@link ServerSocketChannel} for a listener (SO_REUSEADDR,
 * the same backlog as epoll's), a {@link SocketChannel} for a connection (TCP_NODELAY).
 *
 * <p>Results map directly: a channel read of -1 is {@link #EOF}, 0 bytes on a non-empty buffer is
 * {@link #EAGAIN}, a null accept is EAGAIN, {@code finishConnect() == false} is EAGAIN. JDK
 * exceptions are reworded with Go's message ({@link NetError#fromJdk}); their words are the JDK's
 * (on Linux: strerror's), so a reset reads {@code read: connection reset} here where epoll says
 * {@code connection reset by peer}.
 *
 * <p>Caveat for goroutines: a channel's read and write take j.u.c locks that record
 * {@code Thread.currentThread()}; each call is short and never parks, but two goroutines must not
 * read (or write) one channel at once — the caller's one-reader/one-writer rule covers it. And
 * each call into a channel goes through {@link NioCalls}, out of line, so that the JIT never
 * compiles those locks into a goroutine's method that parks (see there why that matters).
 */
final class NioNetFD extends NetFD {
    final SelectableChannel ch;
    /** The Selector registration; written by NioNetpoll.open/close, read by arm and close. */
    volatile SelectionKey key;

    private NioNetFD(String net, boolean listener, SelectableChannel ch) {
        super(net, listener);
        this.ch = ch;
    }

    @Override
    public int sysfd() {
        return -1;
    }

    /** True while a dial's connect has not finished (its write interest is OP_CONNECT). */
    boolean connectPending() {
        return ch instanceof SocketChannel sc && sc.isConnectionPending();
    }

    @Override
    public boolean connecting() {
        return connectPending();
    }

    // ---------------------------------------------------------------- creation

    private static ProtocolFamily family(String net, InetSocketAddress a) {
        if (net.equals("tcp") && a.getAddress().isAnyLocalAddress()) {
            return null; // the JDK's default socket: dual stack where the host has IPv6
        }
        return a.getAddress() instanceof java.net.Inet4Address ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
    }

    static NioNetFD listen(String net, InetSocketAddress laddr) throws IOException {
        return NioCalls.make(NioCalls.LISTEN, net, laddr, null);
    }

    static NioNetFD listen0(String net, InetSocketAddress laddr) throws IOException {
        NetAddr.checkNetwork("listen", net);
        ServerSocketChannel ch = null;
        try {
            ProtocolFamily f = family(net, laddr);
            ch = f == null ? ServerSocketChannel.open() : ServerSocketChannel.open(f);
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(laddr, EpollNetFD.Backlog.N);
            NioNetFD nfd = new NioNetFD(net, true, ch);
            nfd.laddr = (InetSocketAddress) ch.getLocalAddress();
            ch = null;
            return nfd;
        } catch (IOException e) {
            throw NetError.fromJdk("listen", net, null, laddr, "bind", e);
        } finally {
            if (ch != null) {
                ch.close();
            }
        }
    }

    static NioNetFD dial(String net, InetSocketAddress raddr) throws IOException {
        return NioCalls.make(NioCalls.DIAL, net, raddr, null);
    }

    static NioNetFD dial0(String net, InetSocketAddress raddr) throws IOException {
        NetAddr.checkNetwork("dial", net);
        SocketChannel ch = null;
        try {
            ProtocolFamily f = family(net, raddr);
            ch = f == null ? SocketChannel.open() : SocketChannel.open(f);
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean now = ch.connect(raddr);
            NioNetFD nfd = new NioNetFD(net, false, ch);
            nfd.raddr = raddr;
            if (now) {
                nfd.laddr = (InetSocketAddress) ch.getLocalAddress();
            }
            ch = null;
            return nfd;
        } catch (IOException e) {
            throw NetError.fromJdk("dial", net, null, raddr, "connect", e);
        } finally {
            if (ch != null) {
                ch.close();
            }
        }
    }

    // ---------------------------------------------------------------- operations

    @Override
    NetFD sysAccept() throws IOException {
        return NioCalls.make(NioCalls.ACCEPT, null, null, this);
    }

    NioNetFD accept0() throws IOException {
        SocketChannel c;
        try {
            c = ((ServerSocketChannel) ch).accept();
            if (c == null) {
                return null;
            }
            c.configureBlocking(false);
        } catch (IOException e) {
            throw jdkError("accept", "accept", e);
        }
        NioNetFD nfd = new NioNetFD(net, false, c);
        try {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            nfd.raddr = (InetSocketAddress) c.getRemoteAddress();
            nfd.laddr = (InetSocketAddress) c.getLocalAddress();
        } catch (IOException ignored) {
            // Go ignores setNoDelay's error; a peer already gone shows at the first read
        }
        return nfd;
    }

    @Override
    int sysFinishConnect() throws IOException {
        return NioCalls.io(NioCalls.FINISH_CONNECT, this, null);
    }

    int finishConnect0() throws IOException {
        SocketChannel sc = (SocketChannel) ch;
        try {
            if (sc.isConnected()) {
                return 0;
            }
            if (!sc.finishConnect()) {
                return EAGAIN;
            }
            NioNetpoll.connected(this);
            laddr = (InetSocketAddress) sc.getLocalAddress();
            return 0;
        } catch (IOException e) {
            throw NetError.fromJdk("dial", net, null, raddr, "connect", e);
        }
    }

    @Override
    int sysRead(byte[] b, int off, int len) throws IOException {
        return sysRead(ByteBuffer.wrap(b, off, len));
    }

    @Override
    int sysRead(ByteBuffer b) throws IOException {
        return NioCalls.io(NioCalls.READ, this, b);
    }

    int read0(ByteBuffer b) throws IOException {
        try {
            int n = ((SocketChannel) ch).read(b);
            return n > 0 ? n : n < 0 ? EOF : EAGAIN;
        } catch (IOException e) {
            throw jdkError("read", "read", e);
        }
    }

    @Override
    int sysWrite(byte[] b, int off, int len) throws IOException {
        return sysWrite(ByteBuffer.wrap(b, off, len));
    }

    @Override
    int sysWrite(ByteBuffer b) throws IOException {
        return NioCalls.io(NioCalls.WRITE, this, b);
    }

    int write0(ByteBuffer b) throws IOException {
        try {
            int n = ((SocketChannel) ch).write(b);
            return n > 0 ? n : EAGAIN;
        } catch (IOException e) {
            throw jdkError("write", "write", e);
        }
    }

    @Override
    void sysSetNoDelay(boolean on) throws IOException {
        NioCalls.io(on ? NioCalls.NODELAY_ON : NioCalls.NODELAY_OFF, this, null);
    }

    int setNoDelay0(boolean on) throws IOException {
        try {
            ((SocketChannel) ch).setOption(java.net.StandardSocketOptions.TCP_NODELAY, on);
            return 0;
        } catch (IOException e) {
            throw jdkError("set", "setsockopt", e);
        }
    }

    @Override
    void sysShutdown(boolean write) throws IOException {
        NioCalls.io(write ? NioCalls.SHUTDOWN_WRITE : NioCalls.SHUTDOWN_READ, this, null);
    }

    int shutdown0(boolean write) throws IOException {
        try {
            if (write) {
                ((SocketChannel) ch).shutdownOutput();
            } else {
                ((SocketChannel) ch).shutdownInput();
            }
            return 0;
        } catch (IOException e) {
            throw jdkError("close", "shutdown", e);
        }
    }

    @Override
    InetSocketAddress sysLocalAddr() {
        try {
            return (InetSocketAddress) (ch instanceof SocketChannel sc ? sc.getLocalAddress()
                    : ((ServerSocketChannel) ch).getLocalAddress());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    void sysClose() {
        try {
            NioCalls.io(NioCalls.CLOSE, this, null);
        } catch (IOException ignored) {
            // close0 reports nothing
        }
    }

    int close0() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to tell
        }
        return 0;
    }
}
