package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.net.TimeoutException;
import dev.gort.sync.WaitGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Deadlock detection and the netpoller (Go: checkdead; an M blocked in netpoll is not idle, and
 * the netpoll waiter count must return to 0 so that it stops counting). The argument names the
 * case:
 * <ul>
 *   <li>{@code accept}: the main goroutine blocks in accept with the listener open; a plain thread
 *       (not inside any runtime call) connects after 500 ms. Not a deadlock: prints
 *       {@code accepted: hello} and exits 0.</li>
 *   <li>{@code read}: the main goroutine blocks in read; a plain-thread server (java.net) writes
 *       after 500 ms. Prints {@code read: hello} and exits 0.</li>
 *   <li>{@code afterIo}: network I/O whose waiters were woken every way (readiness, deadline,
 *       close, a plain thread's wait), everything closed, then the main goroutine blocks on a
 *       channel nobody sends on: must die with Go's deadlock error (exit 2). A waiter count that
 *       did not return to 0 would hide the deadlock and hang.</li>
 * </ul>
 */
public final class NetDeadlockProg {
    public static void main(String[] args) {
        switch (args[0]) {
            case "accept" -> Go.main(NetDeadlockProg::acceptLate);
            case "read" -> Go.main(NetDeadlockProg::readLate);
            case "afterIo" -> Go.main(NetDeadlockProg::afterIo);
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

    static void afterIo() {
        try {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = "127.0.0.1:" + ln.addr().getPort();
            WaitGroup wg = new WaitGroup();
            // Woken by readiness: an echo round trip per connection.
            Conn[][] pairs = new Conn[20][];
            for (int i = 0; i < pairs.length; i++) {
                Conn c = Net.dial("tcp", addr);
                pairs[i] = new Conn[] {c, ln.accept()};
            }
            for (Conn[] p : pairs) {
                wg.add(1);
                Go.go(() -> {
                    try {
                        byte[] b = new byte[1];
                        p[1].read(b);
                        p[1].write(b);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        wg.done();
                    }
                });
            }
            for (Conn[] p : pairs) {
                p[0].write(new byte[] {1});
                p[0].read(new byte[1]);
            }
            wg.await();
            // Woken by a deadline.
            pairs[0][0].setReadDeadline(Instant.now().plusMillis(50));
            try {
                pairs[0][0].read(new byte[1]);
                throw new AssertionError("no timeout");
            } catch (TimeoutException expected) {
                // the deadline woke the waiter
            }
            // Woken by close: a goroutine blocked in read, and one in accept.
            wg.add(2);
            Go.go(() -> {
                try {
                    pairs[1][0].read(new byte[1]);
                    throw new AssertionError("read returned");
                } catch (SocketException expected) {
                    wg.done();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Go.go(() -> {
                try {
                    ln.accept();
                    throw new AssertionError("accept returned");
                } catch (SocketException expected) {
                    wg.done();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            while (count(Go.stack(true), "[IO wait") < 2) { // both parked
                Go.gosched();
            }
            pairs[1][0].close();
            ln.close();
            wg.await();
            // A plain thread's wait, woken by data.
            Thread t = new Thread(() -> {
                try {
                    pairs[2][0].read(new byte[1]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            t.start();
            pairs[2][1].write(new byte[] {2});
            Go.syscall(() -> t.join());
            for (Conn[] p : pairs) {
                for (Conn c : p) {
                    if (c != pairs[1][0]) {
                        c.close();
                    }
                }
            }
            print("io done, goroutines=" + Go.numGoroutine());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        Chan.make().recv(); // nobody will ever send: a deadlock, and nothing on the network
    }

    static int count(String s, String key) {
        int n = 0;
        for (int i = s.indexOf(key); i >= 0; i = s.indexOf(key, i + 1)) {
            n++;
        }
        return n;
    }
}
