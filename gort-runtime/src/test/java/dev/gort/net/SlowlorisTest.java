package dev.gort.net;

import static dev.gort.net.NetTesting.readFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Chan;
import dev.gort.Go;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: a client that sends one byte a second keeps its server goroutine parked in read, and
 * that costs the other clients nothing. At GOMAXPROCS=1, where a server blocking its thread in
 * read would stall everyone on the only P.
 */
@Tag("net")
class SlowlorisTest {
    static final int SLOW_BYTES = 5;
    static final int FAST_CLIENTS = 50;
    static final int ROUND_TRIPS = 20;

    @Test
    void slowClientDoesNotHoldUpTheOthers() {
        long[] slowMs = new long[1];
        long[] fastMs = new long[1];
        NetTesting.main(1, Duration.ofSeconds(60), () -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = NetTesting.addr(ln);
            NetTesting.Group servers = new NetTesting.Group();
            servers.go(() -> {
                for (int i = 0; i < FAST_CLIENTS + 1; i++) {
                    Conn s = ln.accept();
                    servers.go(() -> EchoTest.serve(s, false));
                }
            });

            // The slow client: one byte a second, each echoed.
            Chan<Boolean> engaged = Chan.make(1);
            AtomicLong slowEnd = new AtomicLong();
            NetTesting.Group slow = new NetTesting.Group();
            long slowStart = System.nanoTime();
            slow.go(() -> {
                try (Conn c = Net.dial("tcp", addr)) {
                    byte[] one = new byte[1];
                    for (int i = 0; i < SLOW_BYTES; i++) {
                        if (i > 0) {
                            Go.sleep(Duration.ofSeconds(1)); // the workload: a byte a second
                        }
                        c.write(new byte[] {(byte) ('a' + i)});
                        assertTrue(readFully(c, one, 0, 1));
                        assertEquals('a' + i, one[0]);
                        if (i == 0) {
                            engaged.send(true);
                        }
                    }
                }
                slowEnd.set(System.nanoTime());
            });
            engaged.recv(); // the slow connection is up and its server is parked in read

            long fastStart = System.nanoTime();
            AtomicLong fastEnd = new AtomicLong();
            NetTesting.Group fast = new NetTesting.Group();
            for (int i = 0; i < FAST_CLIENTS; i++) {
                int id = i;
                fast.go(() -> {
                    try (Conn c = Net.dial("tcp", addr)) {
                        byte[] in = new byte[100];
                        for (int j = 0; j < ROUND_TRIPS; j++) {
                            byte[] out = new byte[100];
                            for (int k = 0; k < out.length; k++) {
                                out[k] = EchoTest.pattern(id, j, k);
                            }
                            c.write(out);
                            assertTrue(readFully(c, in, 0, in.length));
                            assertArrayEquals(out, in);
                        }
                    }
                    fastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                });
            }
            fast.await();
            fastMs[0] = (fastEnd.get() - fastStart) / 1_000_000;
            slow.await();
            slowMs[0] = (slowEnd.get() - slowStart) / 1_000_000;
            assertTrue(fastEnd.get() < slowEnd.get(), "the fast clients finished before the slow one");
            servers.await();
            ln.close();
        });
        System.out.printf("slowloris (%s): %d fast clients x %d round trips in %d ms; the slow client took %d ms%n",
                NetTesting.backend(), FAST_CLIENTS, ROUND_TRIPS, fastMs[0], slowMs[0]);
        assertTrue(slowMs[0] >= (SLOW_BYTES - 1) * 1000 - 100, "slow client: " + slowMs[0] + " ms");
        assertTrue(fastMs[0] < slowMs[0] / 4,
                "the fast clients took " + fastMs[0] + " ms, not far below the slow client's " + slowMs[0] + " ms");
    }
}
