package dev.gort.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.testprog.IdleConnsProg;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10,000 idle connections, each with a server goroutine parked in read, cost no threads: the
 * server process (a child JVM running {@link IdleConnsProg} at GOMAXPROCS=2) keeps its runtime
 * threads (Ms and sysmon) under 2 x GOMAXPROCS + 16 from start to end, and the whole process
 * (/proc/self/status, the JVM's own threads included) grows by less than that. Then every reader wakes:
 * the 5,000 connections the server closes itself with "use of closed network connection", the
 * 5,000 the client closes with end of stream, and the goroutine count returns to its baseline.
 *
 * <p>The client side is this JVM, with plain java.net sockets: with both ends in one process,
 * 10,000 connections would need 20,000 descriptors plus the JVM's own, over this machine's limit
 * of 20,000 (ulimit -n); split across two processes each holds about 10,000.
 */
@Tag("net")
class IdleConnsTest {
    static final int N = 10_000;
    static final int GOMAXPROCS = 2;

    static Map<String, Long> fields(String line) {
        Map<String, Long> m = new HashMap<>();
        for (String f : line.split(" ")) {
            int eq = f.indexOf('=');
            if (eq > 0) {
                try {
                    m.put(f.substring(0, eq), Long.parseLong(f.substring(eq + 1)));
                } catch (NumberFormatException ignored) {
                    // a text field
                }
            }
        }
        return m;
    }

    @Test
    void tenThousandIdleConnectionsCostNoThreads() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dgort.netpoll=" + NetTesting.backend());
        cmd.add("-Dgort.gomaxprocs=" + GOMAXPROCS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(IdleConnsProg.class.getName());
        cmd.add(Integer.toString(N));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("GOMAXPROCS");
        pb.environment().remove("GODEBUG");
        Path err = Files.createTempFile("gort-idle", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        Socket[] socks = new Socket[N];
        long t0 = System.nanoTime();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(150), () -> {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String port = expect(out, lines, "port ");
                int portNo = Integer.parseInt(port.substring(5).trim());
                InetAddress lo = InetAddress.getLoopbackAddress();
                for (int i = 0; i < N; i++) {
                    socks[i] = new Socket(lo, portNo);
                }
                String parked = expect(out, lines, "parked ");
                Map<String, Long> pk = fields(parked);
                assertEquals(N, pk.get("n"), parked);
                assertTrue(pk.get("gortThreads") < 2 * GOMAXPROCS + 16,
                        "runtime threads with " + N + " readers parked: " + parked);
                expect(out, lines, "half closed");
                for (Socket s : socks) {
                    s.close();
                }
                String result = expect(out, lines, "result ");
                Map<String, Long> r = fields(result);
                assertEquals(0, r.get("other"), "readers that neither read end of stream nor saw the close: " + result);
                assertEquals(N / 2, r.get("closed"), "readers woken by the server's close: " + result);
                assertEquals(N - N / 2, r.get("eof"), "readers woken by end of stream: " + result);
                assertEquals(r.get("baseline"), r.get("goroutinesAfter"), "goroutines back to baseline: " + result);
                assertTrue(r.get("maxGortThreads") < 2 * GOMAXPROCS + 16,
                        "runtime threads at any time: " + result);
                if (pk.get("osBefore") > 0) {
                    // The whole process (the JVM's GC and compiler threads included) grows by less too.
                    assertTrue(r.get("maxOsThreads") - pk.get("osBefore") < 2 * GOMAXPROCS + 16,
                            "process threads grew from " + pk.get("osBefore") + ": " + result);
                }
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child exits");
                assertEquals(0, p.exitValue(), "exit status");
            });
        } catch (Throwable t) {
            throw new AssertionError(t.getMessage() + "\n--- child stdout ---\n" + String.join("\n", lines)
                    + "\n--- child stderr ---\n" + Files.readString(err), t);
        } finally {
            for (Socket s : socks) {
                if (s != null) {
                    s.close();
                }
            }
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            System.out.printf("idle connections (%s): %d, %d ms; child said:%n  %s%n", NetTesting.backend(), N,
                    NetTesting.msSince(t0), String.join("\n  ", lines));
            Files.deleteIfExists(err);
        }
    }

    /** Reads lines until one starts with prefix; fails at end of output. */
    static String expect(BufferedReader out, List<String> lines, String prefix) throws IOException {
        for (String l; (l = out.readLine()) != null; ) {
            lines.add(l);
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        throw new AssertionError("the child's output ended before \"" + prefix + "\"");
    }
}
