package dev.gort.internal.runtime;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A non-blocking TCP socket (Go: net.netFD with internal/poll.FD's system-call half): the layer
 * under pollDesc. Nothing here blocks, parks or knows about goroutines: an operation that cannot
 * proceed returns {@link #EAGAIN}, and the caller waits for readiness through the {@link Netpoll}
 * the socket is registered with, then retries. Made by {@link Netpoll#listen} and
 * {@link Netpoll#dial}; one subclass per backend ({@link EpollNetFD}: raw Linux sockets through
 * java.lang.foreign; {@link NioNetFD}: JDK channels).
 *
 * <h2>Results (Go's convention, in one int)</h2>
 * read and write return the byte count ({@code >= 0}), or {@link #EAGAIN} (would block: wait and
 * retry), or — read only — {@link #EOF} (the peer closed its side: Go's {@code io.EOF}; a
 * zero-length read returns 0, never EOF, as Go's does). Real errors are thrown as
 * {@link IOException}s with Go's message, e.g.
 * {@code read tcp 127.0.0.1:40001->127.0.0.1:8080: read: connection reset by peer} (see
 * {@link NetError}). accept returns null for EAGAIN; {@link #finishConnect} returns 0 or EAGAIN.
 * A write may be partial: Go's "write everything" loop belongs to the caller.
 *
 * <h2>Closing (Go: internal/poll's fdMutex, its reference half)</h2>
 * Every operation holds a reference for its duration. {@link #close} (Go: increfAndClose +
 * decref) marks the socket closed, so later operations fail with Go's
 * {@code use of closed network connection} ({@link java.net.SocketException}); the last
 * reference to leave destroys it: deregisters it from its Netpoll (netpollclose) and closes the
 * descriptor. So a close racing a read never lets the read touch a reused descriptor number. A
 * caller that waits for readiness on behalf of an operation can hold its own reference across the
 * wait ({@link #incref}/{@link #decref}, as Go's readLock does) and wake its waiters between
 * {@link #increfAndClose} and the final {@link #decref} (Go: pd.evict). Reads and writes are not
 * serialized here: one reader and one writer at a time is the caller's rule (Go's fdMutex
 * read/write locks park goroutines, which is pollDesc's business).
 */
public abstract class NetFD {
    /** read/write/finishConnect: would block; wait for readiness and retry (the kernel's -EAGAIN). */
    public static final int EAGAIN = -11;
    /** read: end of stream (Go: io.EOF). Distinct from Java's -1 on purpose: the API layer maps it. */
    public static final int EOF = -2;

    private static final long CLOSED = 1L << 62;

    /** The network the user asked for: "tcp", "tcp4" or "tcp6" (Go: fd.net). Immutable. */
    final String net;
    /** True for a listening socket. Immutable. */
    final boolean listener;
    /** Local and remote addresses (Go: fd.laddr, fd.raddr); set once, read racily (idempotent). */
    volatile InetSocketAddress laddr;
    volatile InetSocketAddress raddr;
    /** CLOSED bit + count of operations in progress; atomic (STATE). */
    private volatile long state;
    /** The Netpoll this socket is registered with, or null; written by Netpoll.open/close. */
    volatile Netpoll poller;

    NetFD(String net, boolean listener) {
        this.net = net;
        this.listener = listener;
    }

    // ---------------------------------------------------------------- the operations

    /** Reads into b[off, off+len): bytes read, {@link #EOF} or {@link #EAGAIN}. */
    public final int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ref("read");
        try {
            return len == 0 ? 0 : sysRead(b, off, len);
        } finally {
            decref();
        }
    }

    /** Reads into b's remaining space, advancing its position: bytes read, EOF or EAGAIN. */
    public final int read(ByteBuffer b) throws IOException {
        ref("read");
        try {
            return b.hasRemaining() ? sysRead(b) : 0;
        } finally {
            decref();
        }
    }

    /** Writes from b[off, off+len): bytes written (maybe fewer than len) or EAGAIN. */
    public final int write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ref("write");
        try {
            return len == 0 ? 0 : sysWrite(b, off, len);
        } finally {
            decref();
        }
    }

    /** Writes b's remaining bytes, advancing its position: bytes written or EAGAIN. */
    public final int write(ByteBuffer b) throws IOException {
        ref("write");
        try {
            return b.hasRemaining() ? sysWrite(b) : 0;
        } finally {
            decref();
        }
    }

    /** Go: netFD.accept. A new connected, non-blocking socket, not yet registered; null = EAGAIN. */
    public final NetFD accept() throws IOException {
        ref("accept");
        try {
            return sysAccept();
        } finally {
            decref();
        }
    }

    /**
     * Go: the loop at the end of netFD.connect. After a dial, and after each write-readiness event:
     * 0 once connected, EAGAIN while the connect is in progress (wait for write readiness again),
     * or the connect's error ({@code dial tcp 127.0.0.1:1: connect: connection refused}).
     */
    public final int finishConnect() throws IOException {
        ref("dial");
        try {
            return sysFinishConnect();
        } finally {
            decref();
        }
    }

    /** Go: TCPConn.CloseRead, shutdown(SHUT_RD). */
    public final void closeRead() throws IOException {
        ref("close");
        try {
            sysShutdown(false);
        } finally {
            decref();
        }
    }

    /** Go: TCPConn.SetNoDelay (TCP_NODELAY; on by default, as Go sets it). */
    public final void setNoDelay(boolean on) throws IOException {
        ref("set");
        try {
            sysSetNoDelay(on);
        } finally {
            decref();
        }
    }

    /** Go: TCPConn.CloseWrite, shutdown(SHUT_WR): the peer reads EOF, and can still write to us. */
    public final void closeWrite() throws IOException {
        ref("close");
        try {
            sysShutdown(true);
        } finally {
            decref();
        }
    }

    /** The local address (getsockname), or null if it cannot be had. */
    public final InetSocketAddress localAddr() {
        InetSocketAddress a = laddr;
        if (a == null && incref()) {
            try {
                a = laddr = sysLocalAddr();
            } finally {
                decref();
            }
        }
        return a;
    }

    /** The peer's address (dial's target, or accept's peer); null for a listener. */
    public final InetSocketAddress remoteAddr() {
        return raddr;
    }

    /** The network: "tcp", "tcp4" or "tcp6". */
    public final String net() {
        return net;
    }

    /** True if this is a listening socket. */
    public final boolean isListener() {
        return listener;
    }

    /** The OS descriptor (epoll backend) or -1 (nio); for diagnostics. */
    public abstract int sysfd();

    /** True from a dial whose connect(2) said EINPROGRESS until finishConnect returns 0. */
    public abstract boolean connecting();

    // ---------------------------------------------------------------- references and close

    /** Takes a reference; false if the socket is closed. Pair with {@link #decref}. */
    public final boolean incref() {
        for (;;) {
            long s = state;
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one out after a close destroys the socket. */
    public final void decref() {
        long s = (long) STATE.getAndAdd(this, -1L) - 1;
        if (s == CLOSED) {
            destroy();
        }
    }

    /**
     * Go: fdMutex.increfAndClose. Marks the socket closed and takes a reference (drop it with
     * {@link #decref} after waking any waiters); false if it was already closed.
     */
    public final boolean increfAndClose() {
        for (;;) {
            long s = state;
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, (s | CLOSED) + 1)) {
                return true;
            }
        }
    }

    /** Closes the socket (once operations in progress leave); false if it was already closed. */
    public final boolean close() {
        if (!increfAndClose()) {
            return false;
        }
        decref();
        return true;
    }

    /** True once close has been called. */
    public final boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /** Go: FD.destroy: netpollclose, then close(2). Runs once, on the last reference's thread. */
    private void destroy() {
        Netpoll np = poller;
        if (np != null) {
            np.close(this);
        }
        sysClose();
    }

    private void ref(String op) throws IOException {
        if (!incref()) {
            throw NetError.closed(op, net, listener ? null : laddr, listener ? laddr : raddr);
        }
    }

    // ---------------------------------------------------------------- the backend's half

    abstract int sysRead(byte[] b, int off, int len) throws IOException;

    abstract int sysRead(ByteBuffer b) throws IOException;

    abstract int sysWrite(byte[] b, int off, int len) throws IOException;

    abstract int sysWrite(ByteBuffer b) throws IOException;

    abstract NetFD sysAccept() throws IOException;

    abstract int sysFinishConnect() throws IOException;

    abstract void sysShutdown(boolean write) throws IOException;

    abstract void sysSetNoDelay(boolean on) throws IOException;

    abstract InetSocketAddress sysLocalAddr();

    /** Closes the descriptor; errors are dropped (there is nobody left to tell). */
    abstract void sysClose();

    /** Error text helpers for subclasses: Go's OpError addresses for a conn or a listener. */
    final IOException ioError(String op, String syscall, int errno) {
        return listener ? NetError.of(op, net, null, laddr, syscall, errno)
                : NetError.of(op, net, localAddrQuiet(), raddr, syscall, errno);
    }

    final IOException jdkError(String op, String syscall, IOException e) {
        return listener ? NetError.fromJdk(op, net, null, laddr, syscall, e)
                : NetError.fromJdk(op, net, localAddrQuiet(), raddr, syscall, e);
    }

    private InetSocketAddress localAddrQuiet() {
        InetSocketAddress a = laddr;
        return a != null ? a : (laddr = sysLocalAddr());
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(NetFD.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
