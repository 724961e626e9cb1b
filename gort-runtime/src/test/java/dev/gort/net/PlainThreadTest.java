package dev.gort.net;

import static dev.gort.net.NetTesting.readFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.ChildJvm;
import dev.gort.Go;
import dev.gort.testprog.PlainNetProg;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Plain Java threads on dev.gort.net (API.md: everything that blocks works from a plain thread by
 * blocking that thread), alone and meeting goroutines on one connection. The in-process tests
 * start the runtime first (so their outcome does not depend on test order); the child JVM checks
 * a process where no goroutine ever runs.
 */
@Tag("net")
class PlainThreadTest {
    static final Duration BOUND = Duration.ofSeconds(60);

    @BeforeAll
    static void startTheRuntime() {
        Go.main(() -> {});
    }

    /** A process that uses the net package from plain threads only, never starting a goroutine. */
    @Test
    void plainThreadsOnlyInAProcessWithoutGoroutines() throws Exception {
        String backend = NetTesting.backend();
        ChildJvm.Result r = ChildJvm.run(20, PlainNetProg.class, Map.of(), List.of("-Dgort.netpoll=" + backend));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("ok"), r.toString());
    }

    /** A goroutine-per-connection server, plain-thread clients that block in read and write. */
    @Test
    void plainThreadClientsOfAGoroutineServer() {
        assertTimeoutPreemptively(BOUND, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = NetTesting.addr(ln);
            NetTesting.Group g = new NetTesting.Group();
            final int clients = 8;
            Go.go(() -> {
                try {
                    for (;;) {
                        Conn s = ln.accept();
                        g.go(() -> EchoTest.serve(s, false));
                    }
                } catch (IOException e) {
                    // the listener's close ends the loop
                }
            });
            NetTesting.Group threads = new NetTesting.Group();
            for (int i = 0; i < clients; i++) {
                int id = i;
                threads.thread("client-" + i, () -> {
                    try (Conn c = Net.dial("tcp", addr)) {
                        byte[] out = new byte[3000];
                        byte[] in = new byte[3000];
                        for (int j = 0; j < 100; j++) {
                            int len = EchoTest.size(id, j) % out.length + 1;
                            for (int k = 0; k < len; k++) {
                                out[k] = EchoTest.pattern(id, j, k);
                            }
                            c.write(out, 0, len);
                            assertTrue(readFully(c, in, 0, len));
                            assertArrayEquals(java.util.Arrays.copyOf(out, len), java.util.Arrays.copyOf(in, len));
                        }
                    }
                });
            }
            threads.await();
            ln.close();
            g.await();
        });
    }

    /**
     * One connection shared by a goroutine and a plain thread: the goroutine writes 4 MiB while
     * the thread reads it (and the other way round), both blocking as they must.
     */
    @Test
    void goroutineAndThreadOnOneConnection() {
        assertTimeoutPreemptively(BOUND, () -> {
            Conn[] p = NetTesting.pair();
            byte[] a = new byte[4 << 20];
            byte[] b = new byte[4 << 20];
            new Random(1).nextBytes(a);
            new Random(2).nextBytes(b);
            byte[] gotA = new byte[a.length];
            byte[] gotB = new byte[b.length];
            NetTesting.Group g = new NetTesting.Group();
            // p[0]: a goroutine writes a, a thread reads b.  p[1]: a thread writes b, a goroutine reads a.
            g.go(() -> p[0].write(a));
            g.thread("reader-0", () -> assertTrue(readFully(p[0], gotB, 0, gotB.length)));
            g.thread("writer-1", () -> p[1].write(b));
            g.go(() -> assertTrue(readFully(p[1], gotA, 0, gotA.length)));
            g.await();
            assertArrayEquals(a, gotA);
            assertArrayEquals(b, gotB);
            p[0].close();
            p[1].close();
        });
    }

    @Test
    void plainThreadReadDeadline() {
        assertTimeoutPreemptively(BOUND, () -> {
            Conn[] p = NetTesting.pair();
            p[0].setReadDeadline(Instant.now().plusMillis(200));
            long t0 = System.nanoTime();
            TimeoutException e = assertThrows(TimeoutException.class, () -> p[0].read(new byte[1]));
            long ms = NetTesting.msSince(t0);
            assertEquals("i/o timeout", e.getMessage());
            assertTrue(ms >= 150 && ms < 10_000, "timed out after " + ms + " ms");
            p[0].setReadDeadline(null);
            p[1].write(new byte[] {7});
            assertEquals(1, p[0].read(new byte[1]));
            p[0].close();
            p[1].close();
        });
    }

    @Test
    void goroutineCloseWakesAThreadBlockedInRead() {
        assertTimeoutPreemptively(BOUND, () -> {
            Conn[] p = NetTesting.pair();
            NetTesting.Group g = new NetTesting.Group();
            Thread t = g.thread("blocked-reader", () -> {
                SocketException e = assertThrows(SocketException.class, () -> p[0].read(new byte[1]));
                assertTrue(e.getMessage().endsWith(NetTesting.CLOSED), e.getMessage());
            });
            NetTesting.awaitThreadInPoll(t);
            NetTesting.Group closer = new NetTesting.Group();
            closer.go(p[0]::close);
            closer.await();
            g.await();
            p[1].close();
        });
    }

    @Test
    void threadCloseWakesAGoroutineBlockedInAccept() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            int ioWait0 = NetTesting.goroutinesIn("IO wait");
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> {
                SocketException e = assertThrows(SocketException.class, ln::accept);
                assertTrue(e.getMessage().endsWith(NetTesting.CLOSED), e.getMessage());
            });
            NetTesting.awaitGoroutinesIn("IO wait", ioWait0 + 1);
            NetTesting.Group closer = new NetTesting.Group();
            closer.thread("closer", ln::close);
            closer.await();
            g.await();
        });
    }

    /** A thread blocked in accept gets the connection a goroutine dials. */
    @Test
    void threadAcceptsWhatAGoroutineDials() {
        assertTimeoutPreemptively(BOUND, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            NetTesting.Group g = new NetTesting.Group();
            Conn[] accepted = new Conn[1];
            Thread t = g.thread("acceptor", () -> accepted[0] = ln.accept());
            NetTesting.awaitThreadInPoll(t);
            NetTesting.Group dialer = new NetTesting.Group();
            dialer.go(() -> {
                try (Conn c = Net.dial("tcp", NetTesting.addr(ln))) {
                    c.write(new byte[] {1, 2, 3});
                }
            });
            dialer.await();
            g.await();
            byte[] b = new byte[3];
            assertTrue(readFully(accepted[0], b, 0, 3));
            assertArrayEquals(new byte[] {1, 2, 3}, b);
            assertEquals(-1, accepted[0].read(b));
            accepted[0].close();
            ln.close();
        });
    }

    @Test
    void dialRefusedOnAPlainThread() {
        assertTimeoutPreemptively(BOUND, () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = NetTesting.addr(ln);
            ln.close();
            IOException e = assertThrows(IOException.class, () -> Net.dial("tcp", addr));
            assertEquals("dial tcp " + addr + ": connect: connection refused", e.getMessage());
            assertInstanceOf(java.net.ConnectException.class, e);
        });
    }
}
