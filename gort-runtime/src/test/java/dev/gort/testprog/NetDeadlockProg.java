package dev.gort.testprog;

import dev.gort.Go;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Deadlock detection and the netpoller (Go: checkdead; an M blocked in netpoll is not idle, so a
 * goroutine waiting on the network is never reported as deadlocked). The argument names the case:
 * <ul>
 *   <li>{@code accept}: the main goroutine blocks in accept with the listener open; a plain thread
 *       (not inside any runtime call) connects after 500 ms. Not a deadlock: prints
 *       {@code accepted: hello} and exits 0.</li>
 *   <li>{@code read}: the main goroutine blocks in read; a plain-thread server (java.net) writes
 *       after 500 ms. Prints {@code read: hello} and exits 0.</li>
 * </ul>
 */
public final class NetDeadlockProg {
    public static void main(String[] args) {
        switch (args[0]) {
            case "accept" -> Go.main(NetDeadlockProg::acceptLate);
            case "read" -> Go.main(NetDeadlockProg::readLate);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void print(String s) {
        System.out.println(s);
        System.out.flush();
    }

    /** Sleeps 500 ms on a plain thread (the workload: a late client), then runs body. */
    static void later(IoBody body) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(500);
                body.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, "late");
        t.setDaemon(true);
        t.start();
    }

    interface IoBody {
        void run() throws IOException;
    }

    static void acceptLate() {
        try (Listener ln = Net.listen("tcp", "127.0.0.1:0")) {
            int port = ln.addr().getPort();
            long t0 = System.nanoTime();
            later(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
                }
            });
            try (Conn c = ln.accept()) {
                String got = new String(c.inputStream().readAllBytes(), StandardCharsets.UTF_8);
                print("accepted: " + got + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void readLate() {
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            later(() -> {
                try (Socket s = ss.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write("hello".getBytes(StandardCharsets.UTF_8));
                }
            });
            // The plain thread is asleep, not in accept: the dial completes from the backlog.
            try (Conn c = Net.dial("tcp", "127.0.0.1:" + ss.getLocalPort())) {
                String got = new String(c.inputStream().readAllBytes(), StandardCharsets.UTF_8);
                print("read: " + got + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
