package dev.gort.bench.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The peer of the example server ({@code dev.gort.examples.HttpServer}) in the {@code http}
 * comparison: the JDK's {@code com.sun.net.httpserver.HttpServer} with a virtual thread per
 * exchange ({@link Executors#newVirtualThreadPerTaskExecutor()}), answering {@code GET /} with the
 * same body and content type ({@code Hello from Gort\n}, {@code text/plain; charset=utf-8}) and
 * anything else with a 404. HTTP/1.1 keep-alive is the JDK server's own. Prints
 * {@code listening on http://HOST:PORT/} first, as the example does, and serves until killed.
 *
 * <pre>java -cp benchmarks.jar dev.gort.bench.peers.JdkHttpServer 127.0.0.1:0</pre>
 */
public final class JdkHttpServer {
    private JdkHttpServer() {}

    static final byte[] HELLO = "Hello from Gort\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NOT_FOUND = "404 page not found\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException, InterruptedException {
        String addr = args.length > 0 ? args[0] : "127.0.0.1:8080";
        int colon = addr.lastIndexOf(':');
        InetSocketAddress bind = new InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)));
        HttpServer server = HttpServer.create(bind, 4096); // the backlog Gort's listener gets from somaxconn here
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", JdkHttpServer::handle);
        server.start();
        System.out.println("listening on http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/");
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }

    static void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream body = ex.getRequestBody()) {
            body.readAllBytes(); // a GET has none; drain whatever came
            boolean get = ex.getRequestMethod().equals("GET");
            boolean root = ex.getRequestURI().getRawPath().equals("/");
            byte[] out = get && root ? HELLO : NOT_FOUND;
            ex.getResponseHeaders().set("Content-Type", get && root ? "text/plain; charset=utf-8" : "text/plain");
            ex.sendResponseHeaders(get && root ? 200 : 404, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }
}
