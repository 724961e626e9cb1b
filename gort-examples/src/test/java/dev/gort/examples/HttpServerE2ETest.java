package dev.gort.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example {@link HttpServer} end to end with real clients: the server runs in a child JVM on
 * 127.0.0.1 (port 0, the port read from its first line, {@code listening on http://127.0.0.1:P/}),
 * and Debian's {@code curl} and {@code wrk} talk to it. Once per netpoller (epoll and nio).
 *
 * <p>curl: {@code GET /} (the body), {@code GET /stats} (JSON with the scheduler's counters), a 404,
 * keep-alive (two URLs in one curl invocation share one connection: curl's {@code num_connects} is
 * 1 then 0, and the server's {@code connections} counter grows by exactly 1), HTTP/1.0 and
 * {@code Connection: close} (the response says {@code Connection: close} and two URLs take two
 * connections). wrk: {@code wrk -t1 -c16 -d2s} with no socket errors, no non-2xx responses and a
 * positive request rate; afterwards every connection goroutine has ended.
 *
 * <p>When {@code curl} or {@code wrk} is missing, the test installs it ({@code apt-get install -y},
 * after an {@code apt-get update} if the first attempt fails); if that fails too, the test fails
 * with a message saying so, it does not skip. Every process it starts has a time bound and is
 * killed at the end.
 */
@Tag("net")
class HttpServerE2ETest {
    /** One curl call; curl's own --max-time is shorter. */
    static final Duration CURL_BOUND = Duration.ofSeconds(20);
    /** wrk -d2s with a 2 s request timeout ends in about 2-4 s. */
    static final Duration WRK_BOUND = Duration.ofSeconds(30);
    static final Duration INSTALL_BOUND = Duration.ofSeconds(300);

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    /** Runs cmd with a time bound; on timeout kills it (and its children) and fails. */
    static Result run(Duration bound, Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("gort-e2e", ".out");
        Path err = Files.createTempFile("gort-e2e", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        try {
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                fail(String.join(" ", cmd) + ": no exit after " + bound.toSeconds() + " s; output so far:\n"
                        + Files.readString(out) + "\n--- stderr ---\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            kill(p);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(Duration bound, String... cmd) throws IOException, InterruptedException {
        return run(bound, Map.of(), cmd);
    }

    /** Ends p and its descendants: TERM, then KILL after 5 s. */
    static void kill(Process p) throws InterruptedException {
        List<ProcessHandle> kids = p.descendants().toList();
        p.destroy();
        kids.forEach(ProcessHandle::destroy);
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        kids.forEach(ProcessHandle::destroyForcibly);
    }

    static boolean have(String tool) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(10), "sh", "-c", "command -v " + tool).exit() == 0;
    }

    /**
     * Makes sure Debian's package {@code tool} is installed: {@code apt-get install -y tool} when
     * {@code command -v tool} fails, with an {@code apt-get update} and a second try if the first
     * fails (a fresh container has no package lists). Fails the test with what apt-get said if the
     * tool is still missing.
     */
    static void ensureInstalled(String tool) throws IOException, InterruptedException {
        if (have(tool)) {
            return;
        }
        List<String> prefix = new ArrayList<>();
        boolean root = "0".equals(run(Duration.ofSeconds(10), "id", "-u").out().trim());
        if (!root && have("sudo")) {
            prefix.addAll(List.of("sudo", "-n")); // never prompts: fails at once without a password-less sudo
        }
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        StringBuilder log = new StringBuilder();
        List<String> install = new ArrayList<>(prefix);
        install.addAll(List.of("apt-get", "install", "-y", "-q", tool));
        List<String> update = new ArrayList<>(prefix);
        update.addAll(List.of("apt-get", "update", "-q"));
        System.out.println("e2e: " + tool + " is not installed; running " + String.join(" ", install));
        Result r = run(INSTALL_BOUND, env, install.toArray(String[]::new));
        log.append("$ ").append(String.join(" ", install)).append('\n').append(r).append('\n');
        if (r.exit() != 0) {
            Result u = run(INSTALL_BOUND, env, update.toArray(String[]::new));
            log.append("$ ").append(String.join(" ", update)).append('\n').append(u).append('\n');
            r = run(INSTALL_BOUND, env, install.toArray(String[]::new));
            log.append("$ ").append(String.join(" ", install)).append('\n').append(r).append('\n');
        }
        if (r.exit() != 0 || !have(tool)) {
            fail("this test needs " + tool + " (Debian package '" + tool + "') and could not install it"
                    + (root ? "" : " (not root, and no password-less sudo)") + "; install it by hand "
                    + "(apt-get install -y " + tool + ") and run the test again. What apt-get said:\n" + log);
        }
    }

    @BeforeAll
    static void tools() throws Exception {
        ensureInstalled("curl");
        ensureInstalled("wrk");
    }

    /** The server in a child JVM; its stdout lines arrive in {@code lines}. */
    static final class Server implements AutoCloseable {
        final Process p;
        final Path err;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        final String url;

        Server(String netpoll) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-Dgort.netpoll=" + netpoll);
            cmd.add("-Dgort.gomaxprocs=2");
            cmd.add("-Xmx256m");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(HttpServer.class.getName());
            cmd.add("127.0.0.1:0");
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().remove("GOMAXPROCS");
            pb.environment().remove("GODEBUG");
            err = Files.createTempFile("gort-e2e-server", ".err");
            pb.redirectError(err.toFile());
            p = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        seen.add(l);
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "e2e-server-stdout");
            reader.setDaemon(true);
            reader.start();
            String first = lines.poll(30, TimeUnit.SECONDS);
            if (first == null) {
                String why = describe();
                close();
                fail("the server printed nothing in 30 s" + why);
            }
            Matcher m = Pattern.compile("^listening on (http://127\\.0\\.0\\.1:\\d+/)$").matcher(first);
            if (!m.matches()) {
                String why = describe();
                close();
                fail("the server's first line is not \"listening on http://127.0.0.1:PORT/\": " + first + why);
            }
            url = m.group(1);
        }

        String describe() throws IOException {
            return "\n--- server stdout ---\n" + String.join("\n", seen) + "\n--- server stderr ---\n" + Files.readString(err)
                    + (p.isAlive() ? "" : "\n(exit status " + p.exitValue() + ")");
        }

        @Override
        public void close() throws IOException, InterruptedException {
            kill(p);
            Files.deleteIfExists(err);
        }
    }

    static final Pattern JSON_FIELD = Pattern.compile("\"(\\w+)\":\\s*(-?\\d+)");
    static final List<String> STATS_KEYS = List.of("goroutines", "gomaxprocs", "jvm_threads", "connections",
            "open_connections", "requests");

    /** The fields of a /stats body; checks it is one JSON object with exactly the expected keys. */
    static Map<String, Long> stats(String body) {
        String b = body.trim();
        assertTrue(b.startsWith("{") && b.endsWith("}"), "not a JSON object: " + body);
        Map<String, Long> m = new LinkedHashMap<>();
        Matcher f = JSON_FIELD.matcher(b);
        while (f.find()) {
            m.put(f.group(1), Long.parseLong(f.group(2)));
        }
        assertEquals(STATS_KEYS, List.copyOf(m.keySet()), "the /stats keys: " + body);
        // Nothing but those fields: strip them and the punctuation, nothing may be left.
        assertEquals("", JSON_FIELD.matcher(b.substring(1, b.length() - 1)).replaceAll("").replaceAll("[\\s,]", ""),
                "stray text in /stats: " + body);
        return m;
    }

    /** Splits curl -i output (possibly several responses) into [head, body] pairs by Content-Length. */
    static List<String[]> responses(String raw) {
        List<String[]> rs = new ArrayList<>();
        int at = 0;
        while (at < raw.length()) {
            int end = raw.indexOf("\r\n\r\n", at);
            assertTrue(end >= 0, "no end of headers in: " + raw.substring(at));
            String head = raw.substring(at, end);
            Matcher cl = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(head);
            assertTrue(cl.find(), "no Content-Length in: " + head);
            int len = Integer.parseInt(cl.group(1));
            String body = raw.substring(end + 4, end + 4 + len);
            rs.add(new String[] {head, body});
            at = end + 4 + len;
        }
        return rs;
    }

    static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--noproxy", "*"));
        cmd.addAll(List.of(args));
        Result r = run(CURL_BOUND, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r);
        return r.out();
    }

    @ParameterizedTest(name = "netpoll={0}")
    @ValueSource(strings = {"epoll", "nio"})
    void curlAndWrk(String netpoll) throws Exception {
        long t0 = System.nanoTime();
        try (Server s = new Server(netpoll)) {
            List<String> summary = new ArrayList<>();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(120), () -> exercise(s, summary));
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + s.describe(), t);
            }
            assertTrue(s.p.isAlive(), "the server is still running" + s.describe());
            System.out.printf("e2e (netpoll=%s): %d ms%n  %s%n", netpoll, (System.nanoTime() - t0) / 1_000_000,
                    String.join("\n  ", summary));
        }
    }

    static void exercise(Server s, List<String> summary) throws Exception {
        String url = s.url;

        // GET /: the small body.
        List<String[]> rs = responses(curl("-i", url));
        assertEquals(1, rs.size());
        assertTrue(rs.get(0)[0].startsWith("HTTP/1.1 200 OK\r\n"), rs.get(0)[0]);
        assertTrue(rs.get(0)[0].toLowerCase().contains("\r\ncontent-type: text/plain"), rs.get(0)[0]);
        assertEquals("Hello from Gort\n", rs.get(0)[1]);

        // GET /stats: JSON with the scheduler's counters.
        rs = responses(curl("-i", url + "stats"));
        assertTrue(rs.get(0)[0].startsWith("HTTP/1.1 200 OK\r\n"), rs.get(0)[0]);
        assertTrue(rs.get(0)[0].toLowerCase().contains("\r\ncontent-type: application/json"), rs.get(0)[0]);
        Map<String, Long> st = stats(rs.get(0)[1]);
        assertEquals(2L, st.get("gomaxprocs"), "GOMAXPROCS of the server (-Dgort.gomaxprocs=2): " + st);
        assertEquals(2L, st.get("connections"), "two connections so far: " + st);
        assertEquals(2L, st.get("requests"), "two requests so far: " + st);
        assertTrue(st.get("open_connections") >= 1 && st.get("goroutines") >= 1 && st.get("jvm_threads") >= 1, st.toString());
        summary.add("stats: " + rs.get(0)[1].trim());

        // Another path: 404.
        assertEquals("404", curl("-o", "/dev/null", "-w", "%{http_code}", url + "no/such/page"));

        // Keep-alive: two URLs in one curl invocation share one connection.
        long before = stats(curl(url + "stats")).get("connections");
        String ka = curl("-w", "\nconnects=%{num_connects}\n", url, url + "stats");
        Matcher c = Pattern.compile("(?s)^Hello from Gort\n\nconnects=(\\d+)\n(\\{.*\\})\n\nconnects=(\\d+)\n$").matcher(ka);
        assertTrue(c.matches(), "curl output: " + ka);
        assertEquals("1", c.group(1), "the first transfer opened a connection: " + ka);
        assertEquals("0", c.group(3), "the second transfer reused it (keep-alive): " + ka);
        long after = stats(c.group(2)).get("connections");
        assertEquals(before + 1, after, "keep-alive: one new connection for two requests");
        summary.add("keep-alive: connections " + before + " -> " + after + " for two requests in one curl");

        // HTTP/1.0 without keep-alive, and HTTP/1.1 with Connection: close: the server says close,
        // and two URLs take two connections.
        for (List<String> flags : List.of(List.of("-0"), List.of("-H", "Connection: close"))) {
            long b = stats(curl(url + "stats")).get("connections");
            List<String> args = new ArrayList<>(flags);
            args.addAll(List.of("-i", url, url + "stats"));
            rs = responses(curl(args.toArray(String[]::new)));
            assertEquals(2, rs.size(), flags + ": two responses");
            for (String[] r : rs) {
                assertTrue(r[0].startsWith("HTTP/1.1 200 OK\r\n"), flags + ": " + r[0]);
                assertTrue(r[0].toLowerCase().contains("\r\nconnection: close"), flags + ": no Connection: close in " + r[0]);
            }
            assertEquals("Hello from Gort\n", rs.get(0)[1]);
            long a = stats(rs.get(1)[1]).get("connections");
            assertEquals(b + 2, a, flags + ": two connections for two requests after Connection: close");
            summary.add(String.join(" ", flags) + ": Connection: close, connections " + b + " -> " + a);
        }

        // wrk: 16 connections for 2 s, one thread.
        long reqBefore = stats(curl(url + "stats")).get("requests");
        Result w = run(WRK_BOUND, "wrk", "-t1", "-c16", "-d2s", "--timeout", "2s", url);
        assertEquals(0, w.exit(), "wrk: " + w);
        assertTrue(!w.out().contains("Socket errors"), "wrk reported socket errors: " + w.out());
        assertTrue(!w.out().contains("Non-2xx"), "wrk saw non-2xx responses: " + w.out());
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(w.out());
        assertTrue(rate.find(), "no Requests/sec in wrk's output: " + w.out());
        double rps = Double.parseDouble(rate.group(1));
        assertTrue(rps > 0, "request rate " + rps);
        Matcher total = Pattern.compile("(\\d+) requests in").matcher(w.out());
        assertTrue(total.find(), w.out());
        long wrkRequests = Long.parseLong(total.group(1));
        assertTrue(wrkRequests > 0, w.out());

        // Afterwards: the server counted at least wrk's requests, and every connection goroutine ended
        // (wrk closed its connections; only the /stats connection is open).
        Map<String, Long> end = null;
        for (int i = 0; i < 50; i++) {
            end = stats(curl(url + "stats"));
            if (end.get("open_connections") == 1) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(1L, end.get("open_connections"), "connections still open 5 s after wrk ended: " + end);
        assertTrue(end.get("requests") - reqBefore >= wrkRequests, "requests counted " + end + " vs wrk's " + wrkRequests);
        summary.add(String.format("wrk -t1 -c16 -d2s: %,d requests, %.0f requests/s, no socket errors; then %s",
                wrkRequests, rps, end));
    }
}
