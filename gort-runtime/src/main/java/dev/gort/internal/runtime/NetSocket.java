package dev.gort.internal.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A socket with its pollDesc: the runtime half of package {@code net} (Go: net.netFD plus
 * internal/poll.FD's wait loops). {@code dev.gort.net}'s Listener and Conn wrap one.
 *
 * <p>Every operation holds a reference on the descriptor for its duration (NetFD.incref), so a
 * concurrent close cannot recycle the descriptor under it; close marks it closed, wakes both
 * waiters through the pollDesc (they fail with {@code use of closed network connection}), and the
 * last reference destroys it. One reader and one writer at a time, as Go's fdMutex enforces: the
 * read and write semaphores park a second goroutine (or block a second thread) until the first is
 * done, so the pollDesc never sees two waiters for one direction.
 */
public final class NetSocket {
    /** Go's ErrNetClosing text. */
    public static final String CLOSED = "use of closed network connection";

    final NetFD fd;
    final PollDesc pd;
    private final Sema readLock = new Sema(1);
    private final Sema writeLock = new Sema(1);

    private NetSocket(NetFD fd, Netpoll np) throws IOException {
        this.fd = fd;
        this.pd = new PollDesc(fd, np);
        np.open(fd, pd);
    }

    // ---------------------------------------------------------------- making sockets

    /** Go: net.Listen for "tcp", "tcp4", "tcp6". */
    public static NetSocket listen(String network, String address) throws IOException {
        checkNetwork("listen", network, address);
        Netpoll np = Netpoller.get();
        // Name resolution may block on DNS: a syscall, so the other goroutines keep the P.
        InetSocketAddress laddr = (InetSocketAddress) Syscall.syscall(
                () -> NetAddr.forListen(NetAddr.resolve("listen", network, address)), null, false);
        NetFD fd = np.listen(network, laddr);
        try {
            return new NetSocket(fd, np);
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Go: net.Dial: tries each resolved address in turn; the first that connects wins. */
    public static NetSocket dial(String network, String address) throws IOException {
        checkNetwork("dial", network, address);
        Netpoll np = Netpoller.get();
        @SuppressWarnings("unchecked")
        List<InetSocketAddress> addrs = (List<InetSocketAddress>) Syscall.syscall(
                () -> Netpoll.resolveDial(network, address), null, false); // may block on DNS
        IOException first = null;
        for (InetSocketAddress a : addrs) {
            try {
                return dialOne(np, network, a);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first != null ? first : new IOException("dial " + network + " " + address + ": no suitable address found");
    }

    private static NetSocket dialOne(Netpoll np, String network, InetSocketAddress a) throws IOException {
        NetFD fd = np.dial(network, a);
        NetSocket s;
        try {
            s = new NetSocket(fd, np);
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
        try {
            // Go: netFD.connect: wait for writability, then read the connect's outcome.
            while (s.fd.finishConnect() == NetFD.EAGAIN) {
                int err = s.pd.pollWait(Netpoll.WRITE);
                if (err != PollDesc.pollNoError) {
                    throw s.error(err, "dial");
                }
            }
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static void checkNetwork(String op, String network, String address) throws IOException {
        if (network == null) {
            throw new NullPointerException("network");
        }
        if (address == null) {
            throw new NullPointerException("address");
        }
        switch (network) {
            case "tcp", "tcp4", "tcp6" -> {
            }
            default -> throw new IOException(op + " " + network + " " + address + ": unknown network " + network);
        }
    }

    // ---------------------------------------------------------------- operations

    /** Go: netFD.accept: waits for a connection. */
    public NetSocket accept() throws IOException {
        acquire(readLock);
        try {
            prepare(Netpoll.READ, "accept");
            for (;;) {
                NetFD c = fd.accept();
                if (c != null) {
                    try {
                        return new NetSocket(c, pd.poller);
                    } catch (IOException | RuntimeException e) {
                        c.close();
                        throw e;
                    }
                }
                int err = pd.pollWait(Netpoll.READ);
                if (err != PollDesc.pollNoError) {
                    throw error(err, "accept");
                }
            }
        } finally {
            release(readLock);
        }
    }

    /** Reads at least one byte, or returns -1 at end of stream (Java style; Go's io.EOF). */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        acquire(readLock);
        try {
            prepare(Netpoll.READ, "read");
            for (;;) {
                int n = fd.read(b, off, len);
                if (n >= 0) {
                    return n;
                }
                if (n == NetFD.EOF) {
                    return -1;
                }
                int err = pd.pollWait(Netpoll.READ);
                if (err != PollDesc.pollNoError) {
                    throw error(err, "read");
                }
            }
        } finally {
            release(readLock);
        }
    }

    public int read(ByteBuffer b) throws IOException {
        if (!b.hasRemaining()) {
            return 0;
        }
        acquire(readLock);
        try {
            prepare(Netpoll.READ, "read");
            for (;;) {
                int n = fd.read(b);
                if (n >= 0) {
                    return n;
                }
                if (n == NetFD.EOF) {
                    return -1;
                }
                int err = pd.pollWait(Netpoll.READ);
                if (err != PollDesc.pollNoError) {
                    throw error(err, "read");
                }
            }
        } finally {
            release(readLock);
        }
    }

    /** Writes all of b[off, off+len) or throws (Go: a write returns n < len only with an error). */
    public int write(byte[] b, int off, int len) throws IOException {
        acquire(writeLock);
        try {
            prepare(Netpoll.WRITE, "write");
            int done = 0;
            while (done < len) {
                int n = fd.write(b, off + done, len - done);
                if (n >= 0) {
                    done += n;
                    continue;
                }
                int err = pd.pollWait(Netpoll.WRITE);
                if (err != PollDesc.pollNoError) {
                    throw error(err, "write");
                }
            }
            return len;
        } finally {
            release(writeLock);
        }
    }

    /**
     * Go: pollDesc.SetDeadline. {@code d}: ns from now (> 0), none (0), or already passed (< 0).
     * mode: 'r', 'w' or both ('r' + 'w').
     */
    public void setDeadline(long d, boolean read, boolean write) throws IOException {
        if (!fd.incref()) {
            throw new SocketException(CLOSED);
        }
        try {
            pd.setDeadline(d, (read ? Netpoll.READ : 0) | (write ? Netpoll.WRITE : 0));
        } finally {
            fd.decref();
        }
    }

    /**
     * Go: netFD.Close: wakes blocked readers and writers, then releases the descriptor. Closing
     * twice is harmless (java.io.Closeable's rule; Go would return ErrNetClosing).
     */
    public void close() throws IOException {
        if (!fd.increfAndClose()) {
            return;
        }
        pd.evict();
        fd.decref();
    }

    /** Go: TCPConn.SetNoDelay. */
    public void setNoDelay(boolean on) throws IOException {
        fd.setNoDelay(on);
    }

    public void closeRead() throws IOException {
        fd.closeRead();
    }

    public void closeWrite() throws IOException {
        fd.closeWrite();
    }

    public InetSocketAddress localAddr() {
        return fd.localAddr();
    }

    public InetSocketAddress remoteAddr() {
        return fd.remoteAddr();
    }

    public boolean isClosed() {
        return fd.isClosed();
    }

    // ---------------------------------------------------------------- helpers

    /** Takes a direction's lock, or fails if the socket is closed (the lock may wait for it). */
    private void acquire(Sema s) throws IOException {
        if (!fd.incref()) {
            throw new SocketException(CLOSED);
        }
        s.acquire(WaitReason.IOWait);
    }

    private void release(Sema s) {
        s.release(false);
        fd.decref();
    }

    /**
     * Go: pollDesc.prepareRead / prepareWrite: a passed deadline or a close fails the call before
     * it tries, even if data (or buffer space) is there.
     */
    private void prepare(int mode, String op) throws IOException {
        int err = pd.checkerr(mode);
        if (err != PollDesc.pollNoError) {
            throw error(err, op);
        }
    }

    /** Go: internal/poll's convertErr. */
    private IOException error(int err, String op) {
        return switch (err) {
            case PollDesc.pollErrClosing -> new SocketException(CLOSED);
            case PollDesc.pollErrTimeout -> new dev.gort.net.TimeoutException();
            case PollDesc.pollErrNotPollable -> new IOException(op + ": not pollable");
            default -> new IOException(op + ": poll error " + err);
        };
    }
}
