package dev.gort.examples;

import dev.gort.Go;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 server, one goroutine per connection, on the netpoller: {@code GET /} answers a
 * short body, {@code GET /stats} the scheduler's counters; keep-alive as HTTP/1.1 defines it
 * ({@code Connection: close} and HTTP/1.0 end the connection after the response). Only
 * {@code dev.gort} API. Run it with
 * <pre>
 * ./gort run dev.gort.examples.HttpServer 127.0.0.1:8080
 * curl http://127.0.0.1:8080/stats
 * </pre>
 * A goroutine blocked reading an idle keep-alive connection holds no thread.
 */
public final class HttpServer {
    HttpServer() {}

    static final byte[] HELLO = "Hello from Gort\n".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_HEADER = 16 * 1024;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong open = new AtomicLong();

    /**
     * Serves on args[0] (default 127.0.0.1:8080) until killed. Works as the main goroutine
     * ({@code ./gort run}) and from a plain {@code java} main thread alike: the accept loop blocks
     * its caller (parking a goroutine, or blocking the thread), and every connection gets a
     * goroutine.
     */
    public static void main(String[] args) throws IOException {
        String addr = args.length > 0 ? args[0] : "127.0.0.1:8080";
        try (Listener ln = Net.listen("tcp", addr)) {
            System.out.println("listening on http://" + ln.addr().getHostString() + ":" + ln.addr().getPort() + "/");
            System.out.flush();
            new HttpServer().serve(ln);
        }
    }

    /** Accepts until the listener is closed; one goroutine per connection. */
    void serve(Listener ln) throws IOException {
        for (;;) {
            Conn c;
            try {
                c = ln.accept();
            } catch (SocketException e) {
                return; // closed
            }
            connections.incrementAndGet();
            open.incrementAndGet();
            Go.go(() -> {
                try {
                    handle(c);
                } finally {
                    open.decrementAndGet();
                }
            });
        }
    }

    private void handle(Conn c) {
        byte[] buf = new byte[MAX_HEADER];
        int have = 0;
        try {
            for (;;) {
                // Read until the end of the header block (requests may arrive pipelined).
                int end;
                while ((end = headerEnd(buf, have)) < 0) {
                    if (have == buf.length) {
                        respond(c, 431, "Request Header Fields Too Large", "text/plain", "header too large\n".getBytes(StandardCharsets.US_ASCII), false);
                        return;
                    }
                    int n = c.read(buf, have, buf.length - have);
                    if (n < 0) {
                        return; // the client closed the connection
                    }
                    have += n;
                }
                String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
                int bodyLen = contentLength(head);
                int consumed = end + 4;
                // Skip a request body (this server has no use for one).
                int inBuf = Math.min(bodyLen, have - consumed);
                consumed += inBuf;
                for (int left = bodyLen - inBuf; left > 0; ) {
                    int n = c.read(buf, 0, Math.min(left, buf.length));
                    if (n < 0) {
                        return;
                    }
                    left -= n;
                }
                System.arraycopy(buf, consumed, buf, 0, have - consumed);
                have -= consumed;

                requests.incrementAndGet();
                String[] line = head.substring(0, indexOrEnd(head, "\r\n")).split(" ");
                boolean keepAlive = keepAlive(head, line.length > 2 ? line[2] : "HTTP/1.0");
                if (line.length < 3) {
                    respond(c, 400, "Bad Request", "text/plain", "bad request\n".getBytes(StandardCharsets.US_ASCII), false);
                    return;
                }
                String method = line[0];
                String path = line[1];
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    respond(c, 405, "Method Not Allowed", "text/plain", "method not allowed\n".getBytes(StandardCharsets.US_ASCII), keepAlive);
                } else if (path.equals("/")) {
                    respond(c, 200, "OK", "text/plain; charset=utf-8", HELLO, keepAlive);
                } else if (path.equals("/stats")) {
                    respond(c, 200, "OK", "application/json", stats().getBytes(StandardCharsets.UTF_8), keepAlive);
                } else {
                    respond(c, 404, "Not Found", "text/plain", "404 page not found\n".getBytes(StandardCharsets.US_ASCII), keepAlive);
                }
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException e) {
            // A reset or a timeout ends this connection only.
        } finally {
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    String stats() {
        return "{\"goroutines\": " + Go.numGoroutine()
                + ", \"gomaxprocs\": " + Go.gomaxprocs(0)
                + ", \"jvm_threads\": " + ManagementFactory.getThreadMXBean().getThreadCount()
                + ", \"connections\": " + connections.get()
                + ", \"open_connections\": " + open.get()
                + ", \"requests\": " + requests.get() + "}\n";
    }

    private static void respond(Conn c, int code, String reason, String type, byte[] body, boolean keepAlive)
            throws IOException {
        String h = "HTTP/1.1 " + code + " " + reason + "\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        byte[] hb = h.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[hb.length + body.length];
        System.arraycopy(hb, 0, out, 0, hb.length);
        System.arraycopy(body, 0, out, hb.length, body.length);
        c.write(out);
    }

    /** Index of "\r\n\r\n" in b[0, n), or -1. */
    static int headerEnd(byte[] b, int n) {
        for (int i = 0; i + 3 < n; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOrEnd(String s, String sub) {
        int i = s.indexOf(sub);
        return i < 0 ? s.length() : i;
    }

    static int contentLength(String head) {
        String v = header(head, "content-length");
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean keepAlive(String head, String version) {
        String conn = header(head, "connection");
        if (version.equals("HTTP/1.1")) {
            return conn == null || !conn.trim().equalsIgnoreCase("close");
        }
        return conn != null && conn.trim().equalsIgnoreCase("keep-alive");
    }

    /** The value of the first header named {@code lower} (case-insensitive), or null. */
    static String header(String head, String lower) {
        for (String l : head.split("\r\n")) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase(lower)) {
                return l.substring(colon + 1);
            }
        }
        return null;
    }
}
