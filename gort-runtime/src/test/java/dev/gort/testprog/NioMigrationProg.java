package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.sync.WaitGroup;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Echo round trips over many connections while GOMAXPROCS keeps changing, so every goroutine
 * parks in the poller and resumes on other Ms inside JIT-compiled loops, then closes its
 * connection. Guards the calls into the JDK's channels (nio netpoller): their j.u.c locks record
 * {@code Thread.currentThread()}, which compiled code may reuse from before a park. A lock taken
 * with a stale owner and released with the true one threw IllegalMonitorStateException and left
 * the channel's lock held by an idle M, so the next close blocked that M forever. Prints "ok" and
 * exits 0 when every byte came back and every connection closed.
 */
public final class NioMigrationProg {
    public static void main(String[] args) throws Exception {
        int conns = Integer.getInteger("conns", 32);
        int trips = Integer.getInteger("trips", 5_000);
        int reps = Integer.getInteger("reps", 3);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int rep = 0; rep < reps; rep++) {
            AtomicLong echoed = new AtomicLong();
            Go.main(() -> {
                Listener ln;
                try {
                    ln = Net.listen("tcp", "127.0.0.1:0");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                String addr = "127.0.0.1:" + ln.addr().getPort();
                WaitGroup servers = new WaitGroup();
                Go.go(() -> {
                    for (;;) {
                        Conn c;
                        try {
                            c = ln.accept();
                        } catch (IOException e) {
                            return; // the listener closed
                        }
                        servers.go(() -> serve(c, failure));
                    }
                });
                WaitGroup clients = new WaitGroup();
                for (int i = 0; i < conns; i++) {
                    clients.go(() -> {
                        try (Conn c = Net.dial("tcp", addr)) {
                            byte[] b = new byte[1];
                            for (int t = 0; t < trips; t++) {
                                b[0] = (byte) t;
                                c.write(b);
                                if (c.read(b) != 1 || b[0] != (byte) t) {
                                    throw new IllegalStateException("bad echo at trip " + t);
                                }
                                echoed.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                Chan<Boolean> done = Chan.make(1);
                Go.go(() -> {
                    clients.await();
                    done.send(true);
                });
                int[] sizes = {1, 3, 2, 4, 1, 2};
                for (int k = 0; done.tryRecv() == null; k++) {
                    Go.gomaxprocs(sizes[k % sizes.length]);
                    Go.sleep(java.time.Duration.ofMillis(5));
                }
                Go.gomaxprocs(2);
                try {
                    ln.close();
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                }
                servers.await();
            });
            if (failure.get() != null) {
                failure.get().printStackTrace(System.out);
                System.exit(1);
            }
            if (echoed.get() != (long) conns * trips) {
                System.out.println("lost round trips: " + echoed.get() + " of " + (long) conns * trips);
                System.exit(1);
            }
        }
        System.out.println("ok");
    }

    private static void serve(Conn c, AtomicReference<Throwable> failure) {
        try (c) {
            byte[] b = new byte[64];
            for (int n; (n = c.read(b)) > 0; ) {
                c.write(b, 0, n);
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }
}
