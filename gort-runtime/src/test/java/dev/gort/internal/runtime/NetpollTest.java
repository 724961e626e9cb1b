package dev.gort.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.internal.runtime.NetHarness.Ev;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The netpoller seam (Go: runtime/netpoll.go's netpollopen/close, netpoll(delay), netpollBreak;
 * runtime's TestNetpollBreak), run against both backends with the same assertions and no
 * goroutines: the test thread is its own "pollDesc", waiting with bounded polls.
 */
class NetpollTest {
    private static final int R = Netpoll.READ;
    private static final int W = Netpoll.WRITE;

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void listenDialAccept(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD ln = h.listen("127.0.0.1:0");
            int port = NetHarness.addr(ln).getPort();
            assertTrue(port > 0);
            assertTrue(ln.isListener());
            h.np.open(ln, "ln");
            assertNull(ln.accept(), "accept with nobody dialing is EAGAIN");

            // Go's netFD.connect: connect(2) says EINPROGRESS; wait for write readiness; SO_ERROR.
            NetFD c = h.track(h.np.dial("tcp", NetHarness.addr(ln)));
            assertTrue(c.connecting(), "a non-blocking connect is EINPROGRESS, even on loopback");
            h.np.open(c, "c");
            h.await("c", W); // the connect's completion is a write-readiness event
            assertEquals(0, c.finishConnect()); // SO_ERROR is 0 and there is a peer
            assertFalse(c.connecting());

            h.await("ln", R); // a pending connection makes the listener readable
            NetFD s = h.track(ln.accept());
            assertNotNull(s);
            assertFalse(s.isListener());
            assertEquals(NetHarness.addr(c), s.remoteAddr());
            assertEquals(c.remoteAddr(), s.localAddr());
            assertEquals(port, s.localAddr().getPort());
            assertNull(ln.accept(), "one connection, one accept");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void roundTripWithEagain(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD[] p = h.pair("c", "s");
            NetFD c = p[0];
            NetFD s = p[1];
            byte[] buf = new byte[64];
            assertEquals(NetFD.EAGAIN, s.read(buf, 0, buf.length), "nothing sent yet");
            assertEquals(0, s.read(buf, 0, 0), "a zero-length read returns 0 at once");

            byte[] hello = "hello, gort".getBytes(StandardCharsets.UTF_8);
            assertEquals(hello.length, c.write(hello, 0, hello.length));
            h.np.arm(s, R);
            h.await("s", R);
            int n = s.read(buf, 3, buf.length - 3);
            assertEquals(hello.length, n);
            assertEquals("hello, gort", new String(buf, 3, n, StandardCharsets.UTF_8));
            assertEquals(NetFD.EAGAIN, s.read(buf, 0, buf.length), "drained");

            // ByteBuffers, heap and direct, both ways.
            for (java.nio.ByteBuffer out : new java.nio.ByteBuffer[] {
                    java.nio.ByteBuffer.wrap("heap".getBytes(StandardCharsets.UTF_8)),
                    java.nio.ByteBuffer.allocateDirect(6).put("direct".getBytes(StandardCharsets.UTF_8)).flip()}) {
                int len = out.remaining();
                assertEquals(len, s.write(out));
                assertEquals(0, out.remaining());
                java.nio.ByteBuffer in = out.isDirect() ? java.nio.ByteBuffer.allocateDirect(32)
                        : java.nio.ByteBuffer.allocate(32);
                in.position(2);
                int r;
                while ((r = c.read(in)) == NetFD.EAGAIN) {
                    h.np.arm(c, R);
                    h.await("c", R);
                }
                assertEquals(len, r);
                assertEquals(2 + len, in.position());
            }

            // A large transfer (more than the 64 KiB copy area per call) in both directions.
            byte[] big = new byte[1 << 20];
            new java.util.Random(7).nextBytes(big);
            // One thread plays both ends, so it writes what fits and reads what came.
            int off = 0;
            byte[] got = new byte[big.length];
            int gotN = 0;
            while (off < big.length || gotN < big.length) {
                if (off < big.length) {
                    int w = c.write(big, off, big.length - off);
                    if (w > 0) {
                        off += w;
                    }
                }
                int r = s.read(got, gotN, got.length - gotN);
                if (r > 0) {
                    gotN += r;
                } else {
                    assertEquals(NetFD.EAGAIN, r);
                    h.np.arm(s, R);
                    if (off < big.length) {
                        h.np.arm(c, W);
                    }
                    h.pollOnce(NetHarness.STEP_NS);
                    h.backlog.clear();
                }
            }
            assertTrue(java.util.Arrays.equals(big, got), "1 MiB arrived intact");
        }
    }

    /** Edge-triggered: one event per readiness change, none while nothing new arrives. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void edgeTriggered(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD[] p = h.pair("c", "s");
            NetFD c = p[0];
            NetFD s = p[1];
            byte[] data = new byte[100];
            byte[] buf = new byte[16];
            for (int round = 0; round < 3; round++) {
                assertEquals(100, c.write(data, 0, data.length));
                h.await("s", R);
                // Not draining: a level-triggered poller would report s again and again.
                assertEquals(16, s.read(buf, 0, buf.length));
                h.take("s");
                h.assertQuiet("s", R, 100);
                // Drain to EAGAIN, arm, and nothing is reported until new data arrives.
                int total = 16;
                int n;
                while ((n = s.read(buf, 0, buf.length)) > 0) {
                    total += n;
                }
                assertEquals(NetFD.EAGAIN, n);
                assertEquals(100, total);
                h.np.arm(s, R);
                h.assertQuiet("s", R, 100);
            }
            // Data that arrives between the EAGAIN and the arm is not lost.
            assertEquals(NetFD.EAGAIN, s.read(buf, 0, buf.length));
            assertEquals(5, c.write(data, 0, 5));
            h.np.arm(s, R);
            h.await("s", R);
            assertEquals(5, s.read(buf, 0, buf.length));
        }
    }

    /** Write readiness: fill the socket until EAGAIN, arm, and the peer's reading makes it writable. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void writeEagainThenWritable(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD[] p = h.pair("c", "s");
            NetFD c = p[0];
            NetFD s = p[1];
            byte[] chunk = new byte[64 * 1024];
            long sent = 0;
            int n;
            while ((n = c.write(chunk, 0, chunk.length)) > 0) {
                sent += n;
            }
            assertEquals(NetFD.EAGAIN, n);
            h.np.arm(c, W);
            h.take("c");
            long got = 0;
            while (got < sent) {
                int r = s.read(chunk, 0, chunk.length);
                if (r == NetFD.EAGAIN) {
                    h.np.arm(s, R);
                    h.await("s", R);
                } else {
                    got += r;
                }
            }
            h.await("c", W);
            assertTrue(c.write(chunk, 0, 10) == 10, "writable again");
            System.out.println(backend + ": filled the socket with " + sent + " bytes before EAGAIN");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void pollTimesOut(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD ln = h.listen("127.0.0.1:0");
            h.np.open(ln, "ln");
            long t0 = System.nanoTime();
            assertEquals(0, h.pollOnce(0));
            long nonBlocking = System.nanoTime() - t0;
            assertTrue(nonBlocking < 1_000_000_000L, "poll(0) took " + nonBlocking + " ns");

            t0 = System.nanoTime();
            assertEquals(0, h.pollOnce(50_000_000L));
            long took = System.nanoTime() - t0;
            assertTrue(took >= 45_000_000L && took < 2_000_000_000L, "poll(50 ms) took " + took / 1000 + " us");

            t0 = System.nanoTime();
            assertEquals(0, h.pollOnce(300_000L)); // below 1 ms: Go waits 1 ms
            took = System.nanoTime() - t0;
            assertTrue(took < 1_000_000_000L, "poll(300 us) took " + took / 1000 + " us");
        }
    }

    /** Go: TestNetpollBreak: a break interrupts a 10 s (and an unbounded) poll well within 5 s. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void wakeupInterruptsBlockingPoll(String backend) throws Exception {
        try (NetHarness h = new NetHarness(backend)) {
            for (long delay : new long[] {10_000_000_000L, -1L}) {
                CountDownLatch started = new CountDownLatch(1);
                AtomicLong returned = new AtomicLong(-1);
                AtomicInteger n = new AtomicInteger(-1);
                Thread poller = new Thread(() -> {
                    started.countDown();
                    n.set(h.np.poll(delay, (t, m) -> { }));
                    returned.set(System.nanoTime());
                }, "poller");
                poller.setDaemon(true);
                poller.start();
                assertTrue(started.await(5, TimeUnit.SECONDS));
                waitUntilPolling(poller);
                long t0 = System.nanoTime();
                h.np.wakeup();
                poller.join(5_000);
                assertFalse(poller.isAlive(), "wakeup did not interrupt poll(" + delay + ") within 5 s");
                assertEquals(0, n.get());
                System.out.println(backend + ": wakeup -> poll(" + delay + ") returned in "
                        + (returned.get() - t0) / 1000 + " us");
            }
        }
    }

    /** Bounded: until the thread's stack shows it inside poll (it may not be in the kernel yet: fine). */
    private static void waitUntilPolling(Thread t) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getMethodName().equals("poll") && e.getClassName().endsWith("Netpoll")) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Two breaks before a poll make one break; a non-blocking poll leaves it for the next blocking one. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void wakeupCoalescesAndSurvivesNonBlockingPoll(String backend) throws IOException {
        try (NetHarness h = new NetHarness(backend)) {
            h.np.wakeup();
            h.np.wakeup();
            assertEquals(0, h.pollOnce(0), "a non-blocking poll ignores the break");
            long t0 = System.nanoTime();
            assertEquals(0, h.pollOnce(10_000_000_000L));
            long first = System.nanoTime() - t0;
            assertTrue(first < 5_000_000_000L, "the pending break did not end the poll: " + first);
            t0 = System.nanoTime();
            assertEquals(0, h.pollOnce(200_000_000L));
            long second = System.nanoTime() - t0;
            assertTrue(second >= 190_000_000L, "a second break was delivered: the poll took " + second / 1000 + " us");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void closeWhileRegistered(String backend) throws Exception {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD[] p = h.pair("c", "s");
            NetFD c = p[0];
            NetFD s = p[1];
            // A poll blocked in the kernel while another thread closes a registered socket.
            CountDownLatch started = new CountDownLatch(1);
            List<Ev> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Thread poller = new Thread(() -> {
                started.countDown();
                h.np.poll(10_000_000_000L, (t, m) -> seen.add(new Ev(t, m)));
            }, "poller");
            poller.setDaemon(true);
            poller.start();
            assertTrue(started.await(5, TimeUnit.SECONDS));
            waitUntilPolling(poller);
            assertTrue(s.close());
            assertFalse(s.close(), "a second close reports the socket was closed already");
            h.np.wakeup();
            poller.join(5_000);
            assertFalse(poller.isAlive());
            seen.clear();

            // The peer sees the close; the closed socket reports nothing more.
            assertEquals(0, h.readToEof(c, "c"));
            c.write(new byte[10], 0, 10); // may reach a closed socket: an RST, or a broken pipe later
            h.assertQuiet("s", R | W, 100);
            java.net.SocketException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.net.SocketException.class, () -> s.read(new byte[1], 0, 1));
            assertTrue(e.getMessage().startsWith("read tcp 127.0.0.1:")
                    && e.getMessage().endsWith(": use of closed network connection"), e.getMessage());
            assertTrue(e.getMessage().contains("->127.0.0.1:"), e.getMessage());

            // A listener closed while registered frees its port at once (nio: the Selector's key).
            NetFD ln = h.listen("127.0.0.1:0");
            h.np.open(ln, "ln");
            int port = NetHarness.addr(ln).getPort();
            assertTrue(ln.close());
            h.assertQuiet("ln", R | W, 50);
            NetFD again = h.listen("127.0.0.1:" + port);
            assertEquals(port, NetHarness.addr(again).getPort());
        }
    }

    /**
     * open, arm and close from one thread while another polls (blocking, in 20 ms steps): the
     * Selector backend's registration and cancellation under a running select, epoll's slot
     * reuse. Nothing may crash, every connection must work, and the poller must keep running.
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void openArmCloseWhilePolling(String backend) throws Exception {
        try (NetHarness h = new NetHarness(backend)) {
            NetFD ln = h.listen("127.0.0.1:0");
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.ConcurrentHashMap<Object, Integer> readable = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicLong polls = new AtomicLong();
            Thread poller = new Thread(() -> {
                while (!stop.get()) {
                    h.np.poll(20_000_000L, (t, m) -> {
                        if ((m & R) != 0) {
                            readable.merge(t, 1, Integer::sum);
                        }
                    });
                    polls.incrementAndGet();
                }
            }, "poller");
            poller.setDaemon(true);
            poller.start();
            try {
                for (int i = 0; i < 200; i++) {
                    NetFD c = h.np.dial("tcp", NetHarness.addr(ln));
                    NetFD s = null;
                    long deadline = System.nanoTime() + NetHarness.TIMEOUT_NS;
                    while (s == null && System.nanoTime() < deadline) {
                        s = ln.accept(); // the listener is not registered: spin on EAGAIN, bounded
                    }
                    assertNotNull(s, "accept " + i);
                    String tok = "s" + i;
                    h.np.open(s, tok);
                    h.np.open(c, "c" + i);
                    assertEquals(0, c.finishConnect());
                    assertEquals(NetFD.EAGAIN, s.read(new byte[1], 0, 1));
                    h.np.arm(s, R);
                    assertEquals(1, c.write(new byte[] {1}, 0, 1));
                    deadline = System.nanoTime() + NetHarness.TIMEOUT_NS;
                    while (!readable.containsKey(tok) && System.nanoTime() < deadline) {
                        Thread.onSpinWait(); // the poller delivers it; bounded
                    }
                    assertTrue(readable.containsKey(tok), "no read event for " + tok + " from the polling thread");
                    assertEquals(1, s.read(new byte[1], 0, 1));
                    if (i % 2 == 0) {
                        assertTrue(s.close());
                        assertTrue(c.close());
                    } else {
                        assertTrue(c.close());
                        assertTrue(s.close());
                    }
                }
            } finally {
                stop.set(true);
                h.np.wakeup();
                poller.join(5_000);
            }
            assertFalse(poller.isAlive(), "the poller stopped polling");
            assertTrue(polls.get() > 0);
        }
    }

    /** 1000 connections registered at once; events come for exactly the ones written to. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void thousandConnections(String backend) throws IOException {
        final int n = 1000;
        try (NetHarness h = new NetHarness(backend)) {
            NetFD ln = h.listen("127.0.0.1:0");
            h.np.open(ln, "ln");
            NetFD[] clients = new NetFD[n];
            NetFD[] servers = new NetFD[n];
            for (int i = 0; i < n; i++) {
                clients[i] = h.track(h.np.dial("tcp", NetHarness.addr(ln)));
            }
            for (int i = 0; i < n; i++) {
                servers[i] = h.accept(ln, "ln");
                h.np.open(servers[i], i);
            }
            for (int i = 0; i < n; i++) {
                // Accepted, so the handshake is done: finishConnect needs no event.
                assertEquals(0, clients[i].finishConnect(), "client " + i);
            }
            // Registration reports each server socket writable once; collect those first.
            Set<Integer> writable = new HashSet<>();
            long deadline = System.nanoTime() + NetHarness.TIMEOUT_NS;
            while (writable.size() < n && System.nanoTime() < deadline) {
                h.pollOnce(NetHarness.STEP_NS);
                for (Ev e : h.backlog) {
                    if (e.token() instanceof Integer i && (e.mode() & W) != 0) {
                        writable.add(i);
                    }
                }
                h.backlog.clear();
            }
            assertEquals(n, writable.size(), "initial write readiness");

            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < n; i += 7) {
                expected.add(i);
                assertEquals(1, clients[i].write(new byte[] {(byte) i}, 0, 1));
            }
            Set<Integer> readable = new HashSet<>();
            int maxBatch = 0;
            deadline = System.nanoTime() + NetHarness.TIMEOUT_NS;
            while (readable.size() < expected.size() && System.nanoTime() < deadline) {
                maxBatch = Math.max(maxBatch, h.pollOnce(NetHarness.STEP_NS));
                for (Ev e : h.backlog) {
                    if (e.token() instanceof Integer i && (e.mode() & R) != 0) {
                        readable.add(i);
                    }
                }
                h.backlog.clear();
            }
            assertEquals(expected, readable, "read events exactly for the connections written to");
            for (int i : expected) {
                byte[] b = new byte[4];
                assertEquals(1, servers[i].read(b, 0, 4));
                assertEquals((byte) i, b[0]);
            }
            h.assertQuiet(0, R, 50);
            System.out.println(backend + ": " + n + " connections, largest batch " + maxBatch + " events");
        }
    }
}
