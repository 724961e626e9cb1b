package dev.gort.net;

import dev.gort.internal.runtime.NetSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code net.Conn} for TCP. One goroutine may read while another writes; two concurrent readers
 * (or writers) take turns, as Go's fdMutex makes them.
 */
public final class Conn implements java.io.Closeable {
    private final NetSocket s;

    Conn(NetSocket s) {
        this.s = s;
    }

    /**
     * Reads up to {@code b.length} bytes, waiting for at least one: the count, or -1 at end of
     * stream (Java style, where Go returns io.EOF); 0 only for an empty {@code b}.
     *
     * @throws TimeoutException when the read deadline passes
     * @throws java.net.SocketException {@code use of closed network connection} after close
     */
    public int read(byte[] b) throws IOException {
        return s.read(Objects.requireNonNull(b, "b"), 0, b.length);
    }

    /** {@link #read(byte[])} into {@code b[off, off+len)}. */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, Objects.requireNonNull(b, "b").length);
        return s.read(b, off, len);
    }

    /** {@link #read(byte[])} into the buffer's remaining space. */
    public int read(ByteBuffer b) throws IOException {
        return s.read(Objects.requireNonNull(b, "b"));
    }

    /**
     * Writes all of {@code b} (Go: Write returns fewer bytes only with an error), waiting for buffer
     * space as needed; returns {@code b.length}.
     *
     * @throws TimeoutException when the write deadline passes (some bytes may have been written)
     */
    public int write(byte[] b) throws IOException {
        return s.write(Objects.requireNonNull(b, "b"), 0, b.length);
    }

    /** {@link #write(byte[])} of {@code b[off, off+len)}. */
    public int write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, Objects.requireNonNull(b, "b").length);
        return s.write(b, off, len);
    }

    /**
     * Closes the connection; blocked reads and writes fail with {@code use of closed network
     * connection}. Closing twice is harmless.
     */
    @Override
    public void close() throws IOException {
        s.close();
    }

    /** Go: TCPConn.SetNoDelay. TCP_NODELAY is on by default, as in Go. */
    public void setNoDelay(boolean on) throws IOException {
        s.setNoDelay(on);
    }

    /** Go: TCPConn.CloseWrite. Shuts down the sending side: the peer reads end of stream. */
    public void closeWrite() throws IOException {
        s.closeWrite();
    }

    /** Go: TCPConn.CloseRead. */
    public void closeRead() throws IOException {
        s.closeRead();
    }

    /** Sets both deadlines; {@code null} clears them (Go's zero time). A past time fails pending I/O now. */
    public void setDeadline(Instant t) throws IOException {
        s.setDeadline(untilNanos(t), true, true);
    }

    public void setReadDeadline(Instant t) throws IOException {
        s.setDeadline(untilNanos(t), true, false);
    }

    public void setWriteDeadline(Instant t) throws IOException {
        s.setDeadline(untilNanos(t), false, true);
    }

    /** Go: time.Until(t), with 0 meaning "none" and a non-positive remainder "already passed". */
    private static long untilNanos(Instant t) {
        if (t == null) {
            return 0;
        }
        Duration d = Duration.between(Instant.now(), t);
        long ns;
        try {
            ns = d.toNanos();
        } catch (ArithmeticException e) {
            ns = d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return ns <= 0 ? -1 : ns;
    }

    public InetSocketAddress localAddr() {
        return s.localAddr();
    }

    public InetSocketAddress remoteAddr() {
        return s.remoteAddr();
    }

    /** An InputStream over this connection, for ordinary Java libraries (read -1 at end of stream). */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = s.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return s.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (!s.isClosed()) {
                    s.close();
                }
            }
        };
    }

    /** An OutputStream over this connection (every write is written fully). */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                s.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                s.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (!s.isClosed()) {
                    s.close();
                }
            }
        };
    }

    @Override
    public String toString() {
        return "Conn(" + localAddr() + "->" + remoteAddr() + ")";
    }
}
