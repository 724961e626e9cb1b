package dev.gort.bench.anchors;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client half of the {@code netmem} measurements, in its own process so that each side holds
 * about N descriptors (10,000 connections with both ends in one process would need 20,000, this
 * machine's {@code ulimit -n}). Plain blocking java.net sockets, no extra threads. Commands on stdin,
 * one per line: {@code connect N} (opens N connections to 127.0.0.1:port, answers
 * {@code connected N}), {@code close} (closes them all, answers {@code closed}), {@code exit} or end
 * of input (closes everything and exits).
 *
 * <pre>java -cp benchmarks.jar dev.gort.bench.anchors.NetMemClient &lt;port&gt;</pre>
 */
public final class NetMemClient {
    private NetMemClient() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<Socket> socks = new ArrayList<>();
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                line = line.trim();
                if (line.startsWith("connect ")) {
                    int n = Integer.parseInt(line.substring(8).trim());
                    for (int i = 0; i < n; i++) {
                        socks.add(new Socket(lo, port));
                    }
                    out.println("connected " + n);
                } else if (line.equals("close")) {
                    closeAll(socks);
                    out.println("closed");
                } else if (line.equals("exit")) {
                    break;
                } else {
                    out.println("error: unknown command " + line);
                }
                out.flush();
            }
        } finally {
            closeAll(socks);
        }
    }

    private static void closeAll(List<Socket> socks) throws IOException {
        for (Socket s : socks) {
            s.close();
        }
        socks.clear();
    }

    /** The client process, seen from the server: {@link #send} a command, {@link #expect} its answer. */
    public static final class Handle implements Closeable {
        private final Process p;
        private final Writer to;
        private final BufferedReader from;

        Handle(Process p) {
            this.p = p;
            this.to = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            this.from = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        }

        public void send(String cmd) throws IOException {
            to.write(cmd + "\n");
            to.flush();
        }

        /** Reads the next line; throws unless it is {@code want}. */
        public void expect(String want) throws IOException {
            String got = from.readLine();
            if (!want.equals(got)) {
                throw new IOException("netmem client said " + got + ", want " + want);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                send("exit");
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts the client in a new JVM (this JVM's java and class path, 256 MB heap, stderr inherited)
     * connecting to 127.0.0.1:port.
     */
    public static Handle start(int port) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), NetMemClient.class.getName(),
                Integer.toString(port));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new Handle(pb.start());
    }
}
