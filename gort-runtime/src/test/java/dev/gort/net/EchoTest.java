package dev.gort.net;

import static dev.gort.net.NetTesting.readFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.Go;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Echo servers: one goroutine per connection on the server side, one per client, every byte
 * checked (the headline: 200 concurrent connections at GOMAXPROCS=2).
 */
@Tag("net")
class EchoTest {
    static final int CONNS = 200;
    static final int MESSAGES = 200;
    static final int MAX_SIZE = 4096;

    /** Size of message j on connection c: spread over 1..4096. */
    static int size(int c, int j) {
        return 1 + (int) (((long) c * 7919 + (long) j * 104729 + (long) c * j * 31) % MAX_SIZE);
    }

    /** Byte k of message j on connection c: differs between connections, messages and offsets. */
    static byte pattern(int c, int j, int k) {
        return (byte) (k * 7 + j * 13 + c * 101 + (k >> 8) * 3);
    }

    /** Echoes until end of stream, then closes; odd connections read through a ByteBuffer. */
    static void serve(Conn s, boolean byteBuffer) throws IOException {
        try (s) {
            byte[] buf = new byte[8192];
            ByteBuffer bb = ByteBuffer.wrap(buf);
            for (;;) {
                int n;
                if (byteBuffer) {
                    bb.clear();
                    n = s.read(bb);
                    if (n > 0) {
                        assertEquals(n, bb.position(), "read(ByteBuffer) advances the position by the count");
                    }
                } else {
                    n = s.read(buf);
                }
                if (n < 0) {
                    return;
                }
                assertTrue(n > 0, "a blocking read returns at least one byte: " + n);
                assertEquals(n, s.write(buf, 0, n));
            }
        }
    }

    @Test
    void echo200ConcurrentConnectionsAtGomaxprocs2() {
        AtomicLong bytes = new AtomicLong();
        long t0 = System.nanoTime();
        NetTesting.main(2, Duration.ofSeconds(120), () -> {
            int baseline = Go.numGoroutine();
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = NetTesting.addr(ln);
            NetTesting.Group servers = new NetTesting.Group();
            NetTesting.Group clients = new NetTesting.Group();
            servers.go(() -> {
                for (int i = 0; i < CONNS; i++) {
                    Conn s = ln.accept();
                    boolean bb = (i & 1) == 1;
                    servers.go(() -> serve(s, bb));
                }
            });
            for (int c = 0; c < CONNS; c++) {
                int conn = c;
                clients.go(() -> {
                    try (Conn cl = Net.dial("tcp", addr)) {
                        byte[] out = new byte[MAX_SIZE];
                        byte[] in = new byte[MAX_SIZE];
                        for (int j = 0; j < MESSAGES; j++) {
                            int len = size(conn, j);
                            for (int k = 0; k < len; k++) {
                                out[k] = pattern(conn, j, k);
                            }
                            assertEquals(len, cl.write(out, 0, len));
                            if (!readFully(cl, in, 0, len)) {
                                fail("conn " + conn + ": end of stream in the echo of message " + j);
                            }
                            for (int k = 0; k < len; k++) {
                                if (in[k] != out[k]) {
                                    fail("conn " + conn + " message " + j + " (" + len + " bytes): byte " + k
                                            + " is " + in[k] + ", sent " + out[k]);
                                }
                            }
                            bytes.addAndGet(len);
                        }
                        cl.closeWrite();
                        assertEquals(-1, cl.read(in), "the server closes after our end of stream");
                    }
                });
            }
            clients.await();
            servers.await();
            ln.close();
            NetTesting.awaitNumGoroutine(baseline);
        });
        long expected = 0;
        for (int c = 0; c < CONNS; c++) {
            for (int j = 0; j < MESSAGES; j++) {
                expected += size(c, j);
            }
        }
        assertEquals(expected, bytes.get(), "bytes echoed and checked");
        System.out.printf("echo (%s): %d connections x %d messages, %d bytes each way, %d ms%n", NetTesting.backend(),
                CONNS, MESSAGES, expected, NetTesting.msSince(t0));
    }

    /**
     * Writes far larger than the socket buffers: write parks for buffer space (write readiness)
     * while another goroutine drains the echo, 8 MiB in one call.
     */
    @Test
    void largeWritesWaitForBufferSpace() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            Conn c = p[0];
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> serve(p[1], false));
            byte[] big = new byte[8 << 20];
            new Random(42).nextBytes(big);
            byte[] got = new byte[big.length];
            g.go(() -> {
                assertTrue(readFully(c, got, 0, got.length), "end of stream before 8 MiB came back");
                assertEquals(-1, c.read(new byte[1]));
            });
            assertEquals(big.length, c.write(big), "write returns the full length");
            c.closeWrite();
            g.await();
            assertArrayEquals(big, got);
            c.close();
        });
    }

    /**
     * Go's fdMutex: concurrent writers on one connection take turns, each write whole. Four
     * goroutines write 64 KiB chunks of their own byte; the reader sees every chunk unmixed.
     */
    @Test
    void concurrentWritersTakeTurnsWholeWrites() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            final int writers = 4;
            final int chunks = 32;
            final int chunk = 64 << 10;
            NetTesting.Group g = new NetTesting.Group();
            AtomicInteger done = new AtomicInteger();
            for (int w = 0; w < writers; w++) {
                byte mark = (byte) ('A' + w);
                g.go(() -> {
                    byte[] b = new byte[chunk];
                    java.util.Arrays.fill(b, mark);
                    for (int i = 0; i < chunks; i++) {
                        assertEquals(chunk, p[0].write(b));
                    }
                    if (done.incrementAndGet() == writers) {
                        p[0].closeWrite();
                    }
                });
            }
            int[] perWriter = new int[writers];
            byte[] b = new byte[chunk];
            int total = 0;
            while (readFully(p[1], b, 0, chunk)) {
                byte mark = b[0];
                for (int k = 1; k < chunk; k++) {
                    if (b[k] != mark) {
                        fail("chunk " + total + " mixes writers " + (char) mark + " and " + (char) b[k] + " at " + k);
                    }
                }
                perWriter[mark - 'A']++;
                total++;
            }
            g.await();
            assertEquals(writers * chunks, total);
            for (int w = 0; w < writers; w++) {
                assertEquals(chunks, perWriter[w], "chunks of writer " + (char) ('A' + w));
            }
            p[0].close();
            p[1].close();
        });
    }

    /** The accept loop of a server ends with the listener's close, as Go's http.Server's does. */
    @Test
    void acceptLoopEndsWhenTheListenerCloses() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = NetTesting.addr(ln);
            NetTesting.Group g = new NetTesting.Group();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger loopEnd = new AtomicInteger();
            g.go(() -> {
                try {
                    for (;;) {
                        Conn s = ln.accept();
                        accepted.incrementAndGet();
                        g.go(() -> serve(s, false));
                    }
                } catch (SocketException e) {
                    assertEquals(NetTesting.CLOSED, e.getMessage());
                    loopEnd.incrementAndGet();
                }
            });
            for (int i = 0; i < 10; i++) {
                try (Conn c = Net.dial("tcp", addr)) {
                    byte[] m = ("ping " + i).getBytes();
                    c.write(m);
                    byte[] r = new byte[m.length];
                    assertTrue(readFully(c, r, 0, r.length));
                    assertArrayEquals(m, r);
                }
            }
            ln.close();
            g.await();
            assertEquals(10, accepted.get());
            assertEquals(1, loopEnd.get());
        });
    }
}
