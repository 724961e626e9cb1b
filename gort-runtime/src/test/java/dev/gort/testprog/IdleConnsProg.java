package dev.gort.testprog;

import dev.gort.Go;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.sync.WaitGroup;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server half of the idle-connections test (IdleConnsTest dials from the test JVM, so each
 * process holds one descriptor per connection and 10,000 connections fit in 20,000 descriptors).
 * Accepts n connections, one goroutine per connection parked in read; once all n are parked,
 * prints the thread counts; closes the first half itself (those readers must fail with "use of
 * closed network connection"), prints {@code half closed}, and waits for the peer to close the
 * rest (those readers must read end of stream). Then prints the outcome and the largest thread
 * counts seen all along (a sampler thread looks every 2 ms).
 *
 * <p>Lines: {@code port P}, {@code parked ...}, {@code half closed}, {@code result ...}.
 */
public final class IdleConnsProg {
    static volatile boolean sampling = true;
    static volatile int maxGort;
    static volatile int maxOs;

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Thread sampler = new Thread(() -> {
            while (sampling) {
                maxGort = Math.max(maxGort, gortThreads());
                maxOs = Math.max(maxOs, osThreads());
                try {
                    Thread.sleep(2); // sampling, not synchronization
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sampler");
        sampler.setDaemon(true);
        Go.main(() -> {
            try {
                serve(n, sampler);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    static void print(String s) {
        System.out.println(s);
        System.out.flush();
    }

    static void serve(int n, Thread sampler) throws IOException, InterruptedException {
        int baseline = Go.numGoroutine();
        int osBefore = osThreads();
        int gortBefore = gortThreads();
        sampler.start();
        Listener ln = Net.listen("tcp", "127.0.0.1:0");
        print("port " + ln.addr().getPort());
        Conn[] conns = new Conn[n];
        AtomicInteger eof = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        ConcurrentLinkedQueue<String> other = new ConcurrentLinkedQueue<>();
        WaitGroup first = new WaitGroup();
        WaitGroup second = new WaitGroup();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Conn c = ln.accept();
            conns[i] = c;
            WaitGroup wg = i < n / 2 ? first : second;
            wg.add(1);
            Go.go(() -> {
                try {
                    int r = c.read(new byte[1]);
                    if (r == -1) {
                        eof.incrementAndGet();
                    } else {
                        other.add("read returned " + r);
                    }
                } catch (SocketException e) {
                    if ("use of closed network connection".equals(e.getMessage())) {
                        closed.incrementAndGet();
                    } else {
                        other.add(e.toString());
                    }
                } catch (Throwable e) {
                    other.add(e.toString());
                } finally {
                    wg.done();
                }
            });
        }
        long acceptMs = (System.nanoTime() - t0) / 1_000_000;
        int parked;
        while ((parked = ioWait()) < n) {
            Go.sleep(Duration.ofMillis(20)); // polling until every reader is parked
        }
        print("parked n=" + parked + " goroutines=" + Go.numGoroutine() + " gortThreads=" + gortThreads()
                + " osThreads=" + osThreads() + " gortBefore=" + gortBefore + " osBefore=" + osBefore
                + " acceptMs=" + acceptMs);

        for (int i = 0; i < n / 2; i++) {
            conns[i].close();
        }
        first.await();
        print("half closed");
        second.await();
        ln.close();
        long end = System.nanoTime() + 20_000_000_000L;
        while (Go.numGoroutine() != baseline && System.nanoTime() < end) {
            Go.sleep(Duration.ofMillis(5));
        }
        int after = Go.numGoroutine();
        for (int i = n / 2; i < n; i++) {
            conns[i].close();
        }
        sampling = false;
        sampler.join();
        print("result eof=" + eof.get() + " closed=" + closed.get() + " other=" + other.size() + " goroutinesAfter="
                + after + " baseline=" + baseline + " maxGortThreads=" + maxGort + " maxOsThreads=" + maxOs
                + (other.isEmpty() ? "" : " firstOther=" + other.peek().replace(' ', '_')));
    }

    /** Goroutines in "IO wait" (read and accept park with it). */
    static int ioWait() {
        String d = Go.stack(true);
        int n = 0;
        for (int i = d.indexOf("[IO wait"); i >= 0; i = d.indexOf("[IO wait", i + 1)) {
            n++;
        }
        return n;
    }

    /** The runtime's threads: its Ms (gort-m*) and sysmon. */
    static int gortThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 64];
        int k = root.enumerate(all, true);
        int n = 0;
        for (int i = 0; i < k; i++) {
            if (all[i].isAlive() && all[i].getName().startsWith("gort-")) {
                n++;
            }
        }
        return n;
    }

    /** Every thread of the process, the JVM's own included (Linux: /proc/self/status). */
    static int osThreads() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Threads:")) {
                    return Integer.parseInt(l.substring(8).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }
}
