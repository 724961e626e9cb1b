package dev.gort.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One Netpoll backend plus the sockets a test made, with the waiting a pollDesc would do, done by
 * hand: every event any poll delivers goes to {@link #backlog}; {@link #await} takes the first
 * event for a token (polling in 50 ms steps, failing after 5 s); {@link #assertQuiet} checks that
 * no event for a token arrives in a window. No goroutines, no sleeps: bounded polls only.
 */
final class NetHarness implements AutoCloseable {
    record Ev(Object token, int mode) {}

    static final long STEP_NS = 50_000_000L;
    static final long TIMEOUT_NS = 5_000_000_000L;

    final Netpoll np;
    final List<Ev> backlog = new ArrayList<>();
    private final List<NetFD> fds = new ArrayList<>();

    NetHarness(String backend) throws IOException {
        np = Netpoll.create(backend);
        np.init();
        assertEquals(backend, np.name());
    }

    <T extends NetFD> T track(T fd) {
        fds.add(fd);
        return fd;
    }

    NetFD listen(String address) throws IOException {
        return track(np.listen("tcp", address));
    }

    /** One poll; every event goes to the backlog. */
    int pollOnce(long delayNs) {
        int n = np.poll(delayNs, (t, m) -> backlog.add(new Ev(t, m)));
        assertTrue(n >= 0 && n <= Netpoll.MAX_EVENTS, "poll returned " + n);
        return n;
    }

    /** Takes the first event for token with one of the want bits, polling until it comes. */
    Ev await(Object token, int want) {
        long deadline = System.nanoTime() + TIMEOUT_NS;
        for (;;) {
            for (Iterator<Ev> it = backlog.iterator(); it.hasNext();) {
                Ev e = it.next();
                if (e.token().equals(token) && (e.mode() & want) != 0) {
                    it.remove();
                    return e;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                fail("no event " + want + " for " + token + " within 5 s; backlog " + backlog);
            }
            pollOnce(STEP_NS);
        }
    }

    /** Removes (and returns) every backlog event for token. */
    List<Ev> take(Object token) {
        List<Ev> out = new ArrayList<>();
        for (Iterator<Ev> it = backlog.iterator(); it.hasNext();) {
            Ev e = it.next();
            if (e.token().equals(token)) {
                out.add(e);
                it.remove();
            }
        }
        return out;
    }

    /** Polls for about ms milliseconds and asserts that no event with the mask bits came for token. */
    void assertQuiet(Object token, int mask, long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            pollOnce(left);
        }
        pollOnce(0);
        for (Ev e : take(token)) {
            assertTrue((e.mode() & mask) == 0, "unexpected event " + e + " for " + token);
        }
    }

    /** Dials addr, registers the socket as token and finishes the connect as Go's netFD.connect does. */
    NetFD dial(InetSocketAddress addr, Object token) throws IOException {
        NetFD c = track(np.dial("tcp", addr));
        np.open(c, token);
        while (c.finishConnect() == NetFD.EAGAIN) {
            np.arm(c, Netpoll.WRITE);
            await(token, Netpoll.WRITE);
        }
        return c;
    }

    /** Accepts one connection on a listener registered as lnToken, waiting for readiness. */
    NetFD accept(NetFD ln, Object lnToken) throws IOException {
        for (;;) {
            NetFD s = ln.accept();
            if (s != null) {
                return track(s);
            }
            np.arm(ln, Netpoll.READ);
            await(lnToken, Netpoll.READ);
        }
    }

    /**
     * A connected pair {client, server}, both registered (tokens c and s), with the initial
     * write-readiness events consumed, through a fresh listener.
     */
    NetFD[] pair(Object c, Object s) throws IOException {
        NetFD ln = listen("127.0.0.1:0");
        np.open(ln, "ln:" + c);
        NetFD cfd = dial(ln.localAddr(), c);
        NetFD sfd = accept(ln, "ln:" + c);
        np.open(sfd, s);
        await(s, Netpoll.WRITE); // registration reports a writable socket once
        take(c);
        take(s);
        ln.close();
        return new NetFD[] {cfd, sfd};
    }

    /** Writes all of b, waiting for write readiness on EAGAIN (Go's FD.Write loop). */
    void writeAll(NetFD fd, Object token, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = fd.write(b, off, b.length - off);
            if (n == NetFD.EAGAIN) {
                np.arm(fd, Netpoll.WRITE);
                await(token, Netpoll.WRITE);
                continue;
            }
            assertTrue(n > 0, "write returned " + n);
            off += n;
        }
    }

    /** Reads exactly n bytes, waiting for read readiness on EAGAIN (Go's io.ReadFull on a Conn). */
    byte[] readFully(NetFD fd, Object token, int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = fd.read(b, off, n - off);
            if (r == NetFD.EAGAIN) {
                np.arm(fd, Netpoll.READ);
                await(token, Netpoll.READ);
                continue;
            }
            assertTrue(r > 0, "read returned " + r + " after " + off + " of " + n + " bytes");
            off += r;
        }
        return b;
    }

    /** Reads until EOF is reported (waiting as needed) and returns the bytes before it. */
    int readToEof(NetFD fd, Object token) throws IOException {
        byte[] b = new byte[4096];
        int total = 0;
        for (;;) {
            int r = fd.read(b, 0, b.length);
            if (r == NetFD.EOF) {
                return total;
            }
            if (r == NetFD.EAGAIN) {
                np.arm(fd, Netpoll.READ);
                await(token, Netpoll.READ);
                continue;
            }
            assertTrue(r > 0, "read returned " + r);
            total += r;
        }
    }

    static InetSocketAddress addr(NetFD fd) {
        InetSocketAddress a = fd.localAddr();
        assertNotNull(a);
        return a;
    }

    @Override
    public void close() {
        for (NetFD fd : fds) {
            fd.close();
        }
        np.shutdown();
    }
}
