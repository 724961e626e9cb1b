package dev.gort.bench.peers;

import dev.gort.bench.anchors.NetMemClient;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDK side of {@code netmem} (see {@code GortAnchors.benchNetmem}): the same client process,
 * sizes and three states, with plain java.net sockets. {@code NETMEM_N} (10,000) connections are
 * accepted by a {@link ServerSocket} and held ({@code netmem_socket}: the java.net Socket itself),
 * then one virtual thread per socket blocks in {@code getInputStream().read} into a
 * {@code NETMEM_BUF}-byte (64) buffer ({@code netmem_parked}: what a parked virtual-thread reader
 * costs beyond the socket); {@code netmem_rss} is the RSS growth per connection. Prints the anchors'
 * {@code RESULT} lines with {@code impl=vt}. The same warm-up ({@code NETMEM_WARM}, 20,000
 * connections in rounds of up to 2,000).
 *
 * <pre>java -Xmx8g -cp benchmarks.jar dev.gort.bench.peers.JdkNetMem netmem 2</pre>
 */
public final class JdkNetMem {
    private JdkNetMem() {}

    static int procs;

    static void result(String bench, double value, String unit) {
        System.out.printf(Locale.ROOT, "RESULT bench=%s impl=vt procs=%d value=%.3f unit=%s%n", bench, procs, value, unit);
        System.out.flush();
    }

    static void fail(String msg) {
        System.err.println("VERIFY FAILED: " + msg);
        System.err.flush();
        Runtime.getRuntime().halt(2);
    }

    static int envInt(String name, int def) {
        String s = System.getenv(name);
        return s == null || s.isEmpty() ? def : Integer.parseInt(s);
    }

    static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.trim().split("\\s+")[1]) * 1024;
            }
        }
        return 0;
    }

    static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static void main(String[] args) throws Exception {
        procs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int n = envInt("NETMEM_N", 10_000);
        int bufSize = envInt("NETMEM_BUF", 64);
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            try (NetMemClient.Handle client = NetMemClient.start(ss.getLocalPort())) {
                for (int left = envInt("NETMEM_WARM", 20_000); left > 0; left -= 2000) {
                    round(ss, client, Math.min(left, 2000), bufSize, false); // warm-up
                }
                long[] r = round(ss, client, n, bufSize, true);
                result("netmem_socket", (double) (r[1] - r[0]) / n, "bytes_per_conn");
                result("netmem_parked", (double) (r[2] - r[1]) / n, "bytes_per_conn");
                result("netmem_rss", (double) (r[4] - r[3]) / n, "bytes_per_conn");
            }
        }
        System.exit(0);
    }

    static long[] round(ServerSocket ss, NetMemClient.Handle client, int n, int bufSize, boolean print) throws Exception {
        long heap0 = heapUsedAfterGc();
        long rss0 = rssBytes();
        client.send("connect " + n);
        Socket[] socks = new Socket[n];
        for (int i = 0; i < n; i++) {
            socks[i] = ss.accept();
        }
        client.expect("connected " + n);
        Thread.sleep(200);
        long heap1 = heapUsedAfterGc();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch done = new CountDownLatch(n);
        AtomicLong eof = new AtomicLong();
        AtomicLong other = new AtomicLong();
        for (int i = 0; i < n; i++) {
            Socket s = socks[i];
            socks[i] = null; // from here on, the virtual thread holds its socket
            Thread.startVirtualThread(() -> {
                try (s) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[bufSize];
                    ready.countDown();
                    if (in.read(buf) < 0) {
                        eof.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                } catch (IOException e) {
                    other.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }
        ready.await();
        Thread.sleep(300); // every reader reaches read and parks
        long rss1 = rssBytes();
        long heap2 = heapUsedAfterGc();
        long rss2 = rssBytes();
        if (print) {
            System.err.printf(Locale.ROOT, "  netmem n=%d buf=%d: heap %d -> %d (accepted) -> %d (parked); rss %d -> %d (after gc %d)%n",
                    n, bufSize, heap0, heap1, heap2, rss0, rss1, rss2);
        }
        client.send("close");
        client.expect("closed");
        done.await();
        if (eof.get() != n || other.get() != 0) {
            fail("netmem: " + eof.get() + " readers saw end of stream, " + other.get() + " something else; want " + n);
        }
        return new long[] {heap0, heap1, heap2, rss0, rss1};
    }
}
