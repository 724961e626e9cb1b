package dev.gort.net;

import dev.gort.internal.runtime.NetSocket;
import java.io.IOException;
import java.net.InetSocketAddress;

/** {@code net.Listener} for TCP. */
public final class Listener implements java.io.Closeable {
    private final NetSocket s;

    Listener(NetSocket s) {
        this.s = s;
    }

    /**
     * Waits for and returns the next connection (the goroutine parks meanwhile).
     *
     * @throws java.net.SocketException {@code use of closed network connection} once the listener
     *     is closed, also for an accept blocked when it was
     */
    public Conn accept() throws IOException {
        return new Conn(s.accept());
    }

    /** The address it listens on (with the port the system chose for port 0). */
    public InetSocketAddress addr() {
        return s.localAddr();
    }

    /** Stops listening; a blocked {@link #accept} fails at once. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        s.close();
    }

    @Override
    public String toString() {
        return "Listener(" + addr() + ")";
    }
}
