package dev.gort.bench.anchors;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Select;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.sync.WaitGroup;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * Gort's side of the peer anchor benchmarks ({@code ../shared/anchors}): the same workloads, sizes,
 * warm-up/measure scheme and output as the Go, virtual-thread and Kotlin programs there, written
 * with Gort's API.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Xmx8g -Dgort.gomaxprocs=N \
 *      -cp gort-bench/target/benchmarks.jar dev.gort.bench.anchors.GortAnchors &lt;bench&gt; &lt;N&gt;
 * </pre>
 *
 * Prints {@code RESULT bench=<name> impl=gort procs=<N> value=<number> unit=<unit>} lines, checks
 * every result, and exits with status 2 on a wrong one ({@code VERIFY FAILED: ...} on stderr).
 * Benchmarks: skynet, spawn, pingpong, threadring, mpmc, select, syscallmix, timers, mem, echo,
 * netmem, hog. As in the Go peer, the whole benchmark runs in the main goroutine ({@link Go#main}); per-iteration
 * values go to stderr and the reported value is the median of the iterations after the warm-up
 * ones.
 *
 * <p>{@code syscallmix}: two compute goroutines (an xorshift loop of {@code COMPUTE_K} steps each)
 * timed alone, then again while 64 goroutines loop on a real 1 ms blocking call: {@code usleep(1000)}
 * through an FFM downcall, as in the vt and Kotlin peers, wrapped in {@link Go#syscall}. Reports the
 * compute slowdown ({@code syscallmix}, ratio), the blocking calls completed per second of the mixed
 * phase ({@code syscallmix_blockcalls}) and the CPU cores busy ({@code syscallmix_cpu}); the blockers
 * give up at 5x the baseline, so a starved compute reads about 6 instead of hanging. Diagnostics
 * only, not for the table: {@code BLOCKER=block} wraps the call in {@link Go#syscallBlock},
 * {@code BLOCKER=raw} makes the downcall unwrapped, {@code BLOCKER=park} sleeps with
 * {@link Go#sleep} (no OS call, as the Go peer's {@code BLOCKER=park}).
 *
 * <p>{@code hog} (run with procs 1): the main goroutine prints {@code HOG start <epoch ms>}, starts a
 * goroutine that prints {@code goroutine ran <epoch ms>}, and spins forever in a loop without calls.
 * It prints no RESULT line and never exits: the caller judges it from outside and kills it, as the
 * anchors' {@code run.sh} does (ran within 2 s; latency = ran - start).
 *
 * <p>{@code select} is not an anchor: two goroutines each send {@code SELECT_N / 2} values on their
 * own unbuffered channel, and the main goroutine runs {@code SELECT_N} two-case selects receiving
 * from both; the value is wall time per select. Sizes come from the anchors' environment variables
 * ({@code PINGPONG_N}, {@code THREADRING_HOPS}, {@code MPMC_N}, {@code COMPUTE_K}, {@code TIMERS_N})
 * plus {@code SELECT_N}.
 */
public final class GortAnchors {
    private GortAnchors() {}

    static int procs;

    static void result(String bench, double value, String unit) {
        System.out.printf(Locale.ROOT, "RESULT bench=%s impl=gort procs=%d value=%.3f unit=%s%n", bench, procs, value, unit);
        System.out.flush();
    }

    static void fail(String msg) {
        System.err.println("VERIFY FAILED: " + msg);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(2);
    }

    static int envInt(String name, int def) {
        String s = System.getenv(name);
        return s == null || s.isEmpty() ? def : Integer.parseInt(s);
    }

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Runs warm + meas iterations of f; returns the median of the last meas values. */
    static double measure(String name, int warm, int meas, DoubleSupplier f) {
        List<Double> vals = new ArrayList<>();
        for (int i = 0; i < warm + meas; i++) {
            double v = f.getAsDouble();
            System.err.printf(Locale.ROOT, "  %s iter %d: %.3f%n", name, i, v);
            if (i >= warm) {
                vals.add(v);
            }
        }
        return median(vals);
    }

    // ------------------------------------------------------------ skynet

    static void skynet(Chan<Long> c, long num, int size, int div) {
        if (size == 1) {
            c.send(num);
            return;
        }
        Chan<Long> rc = Chan.make();
        for (int i = 0; i < div; i++) {
            long sub = num + (long) i * (size / div);
            Go.go(() -> skynet(rc, sub, size / div, div));
        }
        long sum = 0;
        for (int i = 0; i < div; i++) {
            sum += rc.recv();
        }
        c.send(sum);
    }

    static void benchSkynet() {
        double v = measure("skynet", 3, 5, () -> {
            long t0 = System.nanoTime();
            Chan<Long> c = Chan.make();
            Go.go(() -> skynet(c, 0, 1_000_000, 10));
            long sum = c.recv();
            long el = System.nanoTime() - t0;
            if (sum != 499_999_500_000L) {
                fail("skynet sum " + sum);
            }
            return el / 1e6;
        });
        result("skynet", v, "ms");
    }

    // ------------------------------------------------------------ spawn

    static void benchSpawn() {
        final int n = 1_000_000;
        double v = measure("spawn", 3, 5, () -> {
            long t0 = System.nanoTime();
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            Runnable body = wg::done;
            for (int i = 0; i < n; i++) {
                Go.go(body);
            }
            wg.await();
            return (double) (System.nanoTime() - t0) / n;
        });
        result("spawn", v, "ns_per_task");
    }

    // ------------------------------------------------------------ pingpong

    static void benchPingpong() {
        int n = envInt("PINGPONG_N", 1_000_000);
        double v = measure("pingpong", 2, 3, () -> {
            Chan<Integer> a = Chan.make(), b = Chan.make();
            Chan<Boolean> done = Chan.make();
            Go.go(() -> {
                for (Integer x : a) {
                    b.send(x + 1);
                }
                done.close();
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                a.send(i);
                int r = b.recv();
                if (r != i + 1) {
                    fail("pingpong got " + r + " want " + (i + 1));
                }
            }
            long el = System.nanoTime() - t0;
            a.close();
            done.recv();
            return (double) el / n;
        });
        result("pingpong", v, "ns_per_roundtrip");
    }

    // ------------------------------------------------------------ threadring

    static void benchThreadring() {
        final int ring = 503;
        int hops = envInt("THREADRING_HOPS", 10_000_000);
        int want = hops % ring + 1;
        double v = measure("threadring", 1, 3, () -> {
            List<Chan<Integer>> chans = new ArrayList<>(ring);
            for (int i = 0; i < ring; i++) {
                chans.add(Chan.make());
            }
            Chan<Integer> winner = Chan.make(1);
            WaitGroup wg = new WaitGroup();
            wg.add(ring);
            for (int i = 0; i < ring; i++) {
                int id = i + 1;
                Chan<Integer> in = chans.get(i), out = chans.get((i + 1) % ring);
                Go.go(() -> {
                    try {
                        for (;;) {
                            int x = in.recv();
                            if (x > 0) {
                                out.send(x - 1);
                                continue;
                            }
                            if (x == 0) { // token exhausted: report, then a termination lap
                                winner.send(id);
                                out.send(-1);
                                in.recv();
                                return;
                            }
                            out.send(-1);
                            return;
                        }
                    } finally {
                        wg.done();
                    }
                });
            }
            long t0 = System.nanoTime();
            chans.get(0).send(hops);
            int w = winner.recv();
            wg.await();
            long el = System.nanoTime() - t0;
            if (w != want) {
                fail("threadring winner " + w + " want " + want);
            }
            return (double) el / hops;
        });
        result("threadring", v, "ns_per_hop");
    }

    // ------------------------------------------------------------ mpmc

    static void benchMpmc() {
        int total = envInt("MPMC_N", 10_000_000);
        final int producers = 4, consumers = 4;
        final int per = total / producers;
        double v = measure("mpmc", 2, 3, () -> {
            Chan<Long> ch = Chan.make(1024);
            long[] sums = new long[consumers];
            WaitGroup wg = new WaitGroup();
            wg.add(producers + consumers);
            long t0 = System.nanoTime();
            for (int p = 0; p < producers; p++) {
                long base = (long) p * per;
                Go.go(() -> {
                    try {
                        for (int i = 0; i < per; i++) {
                            ch.send(base + i);
                        }
                    } finally {
                        wg.done();
                    }
                });
            }
            for (int c = 0; c < consumers; c++) {
                int cc = c;
                Go.go(() -> {
                    try {
                        long s = 0;
                        for (int i = 0; i < per; i++) {
                            s += ch.recv();
                        }
                        sums[cc] = s;
                    } finally {
                        wg.done();
                    }
                });
            }
            wg.await();
            long el = System.nanoTime() - t0;
            long s = 0;
            for (long x : sums) {
                s += x;
            }
            long n = (long) per * producers;
            if (s != n * (n - 1) / 2) {
                fail("mpmc sum " + s + " want " + n * (n - 1) / 2);
            }
            return (double) el / n;
        });
        result("mpmc", v, "ns_per_msg");
    }

    // ------------------------------------------------------------ select (not an anchor)

    static void benchSelect() {
        int total = envInt("SELECT_N", 1_000_000);
        final int half = total / 2;
        final long n = 2L * half;
        double v = measure("select", 2, 3, () -> {
            Chan<Long> a = Chan.make(), b = Chan.make();
            Go.go(() -> {
                for (int i = 0; i < half; i++) {
                    a.send((long) i);
                }
            });
            Go.go(() -> {
                for (int i = 0; i < half; i++) {
                    b.send((long) (half + i));
                }
            });
            long[] acc = new long[3]; // sum, from a, from b
            Select.Case fromA = Select.recv(a, x -> {
                acc[0] += x;
                acc[1]++;
            });
            Select.Case fromB = Select.recv(b, x -> {
                acc[0] += x;
                acc[2]++;
            });
            long t0 = System.nanoTime();
            for (long i = 0; i < n; i++) {
                Select.select(fromA, fromB);
            }
            long el = System.nanoTime() - t0;
            if (acc[1] != half || acc[2] != half || acc[0] != n * (n - 1) / 2) {
                fail("select sum " + acc[0] + " from a " + acc[1] + " from b " + acc[2]);
            }
            return (double) el / n;
        });
        result("select", v, "ns_per_select");
    }

    // ------------------------------------------------------------ syscallmix

    /**
     * {@code int usleep(useconds_t)}, the blocking call of the vt and Kotlin peers; in a holder, so
     * only syscallmix links it.
     */
    static final class Native {
        private Native() {}

        static final MethodHandle USLEEP = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("usleep").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    static void usleep(int us) {
        int r;
        try {
            r = (int) Native.USLEEP.invokeExact(us);
        } catch (Throwable t) {
            throw new RuntimeException(t);
        }
        if (r != 0) {
            fail("usleep returned " + r);
        }
    }

    static long compute(long k) {
        long x = 88172645463325252L;
        for (long i = 0; i < k; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    static volatile long checksum;

    /** Two compute goroutines started from the main goroutine; wall ms until both are done. */
    static double twoComputes(long k) {
        long[] res = new long[2];
        WaitGroup wg = new WaitGroup();
        wg.add(2);
        long t0 = System.nanoTime();
        for (int j = 0; j < 2; j++) {
            int jj = j;
            Go.go(() -> {
                res[jj] = compute(k);
                wg.done();
            });
        }
        wg.await();
        long el = System.nanoTime() - t0;
        if (res[0] != res[1]) {
            fail("compute mismatch");
        }
        checksum = res[0];
        return el / 1e6;
    }

    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    static void benchSyscallmix() {
        long k = envInt("COMPUTE_K", 600_000_000);
        String blocker = System.getenv().getOrDefault("BLOCKER", "syscall");
        Runnable block = switch (blocker) {
            case "syscall", "" -> () -> Go.syscall(() -> usleep(1000));
            case "block" -> () -> Go.syscallBlock(() -> usleep(1000)); // diagnostic: hand the P off at once
            case "raw" -> () -> usleep(1000); // diagnostic: the downcall without Go.syscall
            case "park" -> () -> Go.sleep(Duration.ofMillis(1)); // diagnostic: no OS call
            default -> null;
        };
        if (block == null) {
            fail("BLOCKER=" + blocker + ": want syscall, block, raw or park");
        }
        if (!blocker.equals("syscall")) {
            System.err.println("  DIAGNOSTIC: BLOCKER=" + blocker);
        }
        // Load the MXBean now: its first use takes tens of ms, and in the vt and Kotlin peers that
        // first use falls between the two reads of the call counter, outside the timed compute,
        // which inflates their calls/s (Go's getrusage has no such cost).
        cpuSeconds();
        double base = measure("syscallmix_base", 1, 2, () -> twoComputes(k));
        // blockers give up after 5x the baseline, so a starved compute shows up as ratio ~6 instead of a hang
        long capMs = (long) (5 * base);
        System.err.println("  compute checksum " + Long.toUnsignedString(checksum));
        AtomicLong calls = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + (200L + capMs) * 1_000_000L;
        WaitGroup wg = new WaitGroup();
        wg.add(64);
        for (int b = 0; b < 64; b++) {
            Go.go(() -> {
                try {
                    while (!stop.get() && System.nanoTime() - deadline < 0) {
                        block.run();
                        calls.incrementAndGet();
                    }
                } finally {
                    wg.done();
                }
            });
        }
        Go.sleep(Duration.ofMillis(200));
        long c0 = calls.get();
        double cpu0 = cpuSeconds();
        double mix = twoComputes(k);
        double cpu1 = cpuSeconds();
        long c1 = calls.get();
        stop.set(true);
        wg.await();
        System.err.printf(Locale.ROOT, "  base %.1f ms, with blockers %.1f ms, cpu util %.2f cores%n",
                base, mix, (cpu1 - cpu0) / (mix / 1000));
        result("syscallmix", mix / base, "ratio");
        result("syscallmix_blockcalls", (c1 - c0) / (mix / 1000), "calls_per_s");
        result("syscallmix_cpu", (cpu1 - cpu0) / (mix / 1000), "cores_busy");
    }

    // ------------------------------------------------------------ timers

    static long splitmixOut(long s) {
        long z = s;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static void benchTimers() {
        int n = envInt("TIMERS_N", 100_000);
        final int rounds = 5;
        List<Double> walls = new ArrayList<>(), p99s = new ArrayList<>(), p50s = new ArrayList<>();
        for (int it = 0; it < 4; it++) {
            long[] late = new long[n * rounds];
            AtomicLong sumD = new AtomicLong();
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int ii = i;
                Go.go(() -> {
                    try {
                        long st = 42 + ii;
                        long sd = 0;
                        for (int r = 0; r < rounds; r++) {
                            st += 0x9E3779B97F4A7C15L;
                            long d = 1 + Long.remainderUnsigned(splitmixOut(st), 100);
                            sd += d;
                            long s = System.nanoTime();
                            Go.sleep(Duration.ofMillis(d));
                            late[ii * rounds + r] = System.nanoTime() - s - d * 1_000_000L;
                        }
                        sumD.addAndGet(sd);
                    } finally {
                        wg.done();
                    }
                });
            }
            wg.await();
            double wall = (System.nanoTime() - t0) / 1e6;
            Arrays.sort(late);
            if (late[0] < 0) { // Go.sleep promises at least d: report, but do not fail the run
                int early = 0;
                while (early < late.length && late[early] < 0) {
                    early++;
                }
                System.err.printf(Locale.ROOT, "  WARNING: %d sleeps returned early, the earliest by %d ns%n", early, -late[0]);
            }
            double p99 = late[late.length * 99 / 100] / 1e6, p50 = late[late.length / 2] / 1e6;
            System.err.printf(Locale.ROOT, "  timers iter %d: wall %.1f ms p50 %.3f p99 %.3f ms (sum of sleeps %d ms)%n",
                    it, wall, p50, p99, sumD.get());
            if (it >= 1) {
                walls.add(wall);
                p99s.add(p99);
                p50s.add(p50);
            }
        }
        result("timers_wall", median(walls), "ms");
        result("timers_p99late", median(p99s), "ms");
        result("timers_p50late", median(p50s), "ms");
    }

    // ------------------------------------------------------------ mem

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.trim().split("\\s+")[1]) * 1024;
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return 0;
    }

    static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void benchMem() {
        final int n = 1_000_000;
        // warm the runtime a little so class loading and the first Gs are not counted
        {
            Chan<Integer> w = Chan.make();
            WaitGroup wd = new WaitGroup();
            wd.add(1000);
            for (int i = 0; i < 1000; i++) {
                Go.go(() -> {
                    w.recv();
                    wd.done();
                });
            }
            w.close();
            wd.await();
        }
        long heap0 = heapUsedAfterGc();
        Go.sleep(Duration.ofMillis(100));
        long rss0 = rssBytes();
        Chan<Integer> ch = Chan.make();
        WaitGroup ready = new WaitGroup(), done = new WaitGroup();
        ready.add(n);
        done.add(n);
        for (int i = 0; i < n; i++) {
            Go.go(() -> {
                ready.done();
                ch.recv();
                done.done();
            });
        }
        ready.await();
        Go.sleep(Duration.ofMillis(300));
        long rss1 = rssBytes();
        long heap1 = heapUsedAfterGc();
        long rss2 = rssBytes();
        int live = Go.numGoroutine();
        System.err.printf(Locale.ROOT, "  rss %d -> %d (after gc %d), heap used %d -> %d, goroutines %d%n",
                rss0, rss1, rss2, heap0, heap1, live);
        if (live < n) {
            fail("mem: only " + live + " goroutines alive, want at least " + n);
        }
        ch.close();
        done.await();
        result("mem_rss", (double) (rss1 - rss0) / n, "bytes_per_task");
        result("mem_heap", (double) (heap1 - heap0) / n, "bytes_per_task");
    }

    // ------------------------------------------------------------ echo

    /** Go: io.ReadFull; false at end of stream before the buffer is full. */
    static boolean readFull(Conn c, byte[] b) throws IOException {
        for (int have = 0; have < b.length; ) {
            int n = c.read(b, have, b.length - have);
            if (n < 0) {
                return false;
            }
            have += n;
        }
        return true;
    }

    /**
     * The anchors' echo: a listener on 127.0.0.1:0 with one goroutine per accepted connection
     * echoing 64-byte messages (deadline 120 s); per run, {@code ECHO_CONNS} goroutines each dial,
     * do {@code ECHO_RT} round trips of 64 bytes (bytes 0-3 carry the round trip and connection
     * numbers and are checked) and close. One warm-up run of {@code ECHO_WARM_RT} round trips, then
     * the median of 2 full runs, in round trips per second. TCP_NODELAY is on, as in Go.
     */
    static void benchEcho() {
        int conns = envInt("ECHO_CONNS", 64);
        int rts = envInt("ECHO_RT", 20000);
        Listener ln;
        try {
            ln = Net.listen("tcp", "127.0.0.1:0");
        } catch (IOException e) {
            fail("listen " + e);
            return;
        }
        Go.go(() -> {
            for (;;) {
                Conn c;
                try {
                    c = ln.accept();
                } catch (IOException e) {
                    return; // the listener was closed
                }
                Go.go(() -> {
                    try (c) {
                        c.setDeadline(Instant.now().plusSeconds(120));
                        byte[] buf = new byte[64];
                        while (readFull(c, buf)) {
                            c.write(buf);
                        }
                    } catch (IOException e) {
                        // the client went away
                    }
                });
            }
        });
        String addr = "127.0.0.1:" + ln.addr().getPort();
        IntToDoubleFunction run = n -> {
            WaitGroup wg = new WaitGroup();
            wg.add(conns);
            long t0 = System.nanoTime();
            for (int k = 0; k < conns; k++) {
                int kk = k;
                Go.go(() -> {
                    try (Conn c = Net.dial("tcp", addr)) {
                        c.setDeadline(Instant.now().plusSeconds(120));
                        byte[] req = new byte[64];
                        byte[] resp = new byte[64];
                        for (int i = 0; i < n; i++) {
                            req[0] = (byte) i;
                            req[1] = (byte) (i >> 8);
                            req[2] = (byte) kk;
                            req[3] = (byte) (i >> 16);
                            c.write(req);
                            if (!readFull(c, resp)) {
                                fail("read: end of stream after " + i + " round trips");
                            }
                            if (resp[0] != req[0] || resp[1] != req[1] || resp[2] != req[2] || resp[3] != req[3]) {
                                fail("echo mismatch");
                            }
                        }
                    } catch (IOException e) {
                        fail("echo client: " + e);
                    } finally {
                        wg.done();
                    }
                });
            }
            wg.await();
            return conns * (double) n / ((System.nanoTime() - t0) / 1e9);
        };
        System.err.printf(Locale.ROOT, "  echo netpoll=%s warm-up: %.0f%n", System.getProperty("gort.netpoll", "(default)"),
                run.applyAsDouble(envInt("ECHO_WARM_RT", 2000)));
        double v = measure("echo", 0, 2, () -> run.applyAsDouble(rts));
        try {
            ln.close();
        } catch (IOException e) {
            fail("close " + e);
        }
        result("echo", v, "roundtrips_per_s");
    }

    // ------------------------------------------------------------ netmem

    /**
     * Heap per idle connection: {@code NETMEM_N} (10,000) connections from a client in another
     * process ({@link NetMemClient}, plain java.net sockets, so each process holds about N
     * descriptors), measured in three states, each after a full GC: before (baseline), accepted and
     * held in an array (the socket itself: Conn, its poll descriptor and file descriptor objects),
     * and with one goroutine per connection parked in {@code read} into a {@code NETMEM_BUF}-byte
     * (64) buffer. Reports {@code netmem_socket} (accepted - baseline) / N, {@code netmem_parked}
     * (parked - accepted) / N (what a parked reader costs beyond the socket) and {@code netmem_rss}
     * (RSS growth from baseline to parked) / N. The client then closes every connection and every
     * reader must read end of stream. Warm-up rounds of up to 2,000 connections, {@code NETMEM_WARM}
     * (20,000) in all, go first, so that the read path is JIT-compiled: a parked goroutine's frames
     * are frozen as they are, and interpreted frames are several times larger (with a 200-connection
     * warm-up, the parked cost was about 1.9 KB instead of about 0.6 KB).
     */
    static void benchNetmem() {
        int n = envInt("NETMEM_N", 10_000);
        int bufSize = envInt("NETMEM_BUF", 64);
        try (Listener ln = Net.listen("tcp", "127.0.0.1:0");
                NetMemClient.Handle client = Go.syscall(() -> NetMemClient.start(ln.addr().getPort()))) {
            for (int left = envInt("NETMEM_WARM", 20_000); left > 0; left -= 2000) {
                netmemRound(ln, client, Math.min(left, 2000), bufSize, false); // warm-up
            }
            long[] r = netmemRound(ln, client, n, bufSize, true);
            result("netmem_socket", (double) (r[1] - r[0]) / n, "bytes_per_conn");
            result("netmem_parked", (double) (r[2] - r[1]) / n, "bytes_per_conn");
            result("netmem_rss", (double) (r[4] - r[3]) / n, "bytes_per_conn");
        } catch (IOException e) {
            fail("netmem: " + e);
        }
    }

    /**
     * Diagnostic: with {@code NETMEM_HOLD_MS} set, the measured round says {@code hold <state> pid}
     * on stderr and waits that long, time for {@code jcmd <pid> GC.class_histogram}.
     */
    static void netmemHold(boolean measured, String state) {
        int ms = envInt("NETMEM_HOLD_MS", 0);
        if (measured && ms > 0) {
            System.err.println("  hold " + state + " " + ProcessHandle.current().pid());
            Go.sleep(Duration.ofMillis(ms));
        }
    }

    /** One round; returns {heap before, heap accepted, heap parked, rss before, rss parked}. */
    static long[] netmemRound(Listener ln, NetMemClient.Handle client, int n, int bufSize, boolean print)
            throws IOException {
        long heap0 = heapUsedAfterGc();
        long rss0 = rssBytes();
        Go.syscall(() -> client.send("connect " + n));
        Conn[] conns = new Conn[n];
        for (int i = 0; i < n; i++) {
            conns[i] = ln.accept();
        }
        Go.syscall(() -> client.expect("connected " + n));
        Go.sleep(Duration.ofMillis(200));
        long heap1 = heapUsedAfterGc();
        netmemHold(print, "accepted");
        WaitGroup ready = new WaitGroup();
        WaitGroup done = new WaitGroup();
        AtomicLong eof = new AtomicLong();
        AtomicLong other = new AtomicLong();
        ready.add(n);
        done.add(n);
        for (int i = 0; i < n; i++) {
            Conn c = conns[i];
            conns[i] = null; // from here on, the goroutine holds its connection
            Go.go(() -> {
                try (c) {
                    byte[] buf = new byte[bufSize];
                    ready.done();
                    if (c.read(buf) < 0) {
                        eof.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                } catch (IOException e) {
                    other.incrementAndGet();
                } finally {
                    done.done();
                }
            });
        }
        ready.await();
        Go.sleep(Duration.ofMillis(300)); // every reader reaches read and parks on the netpoller
        long rss1 = rssBytes();
        long heap2 = heapUsedAfterGc();
        long rss2 = rssBytes();
        netmemHold(print, "parked");
        int live = Go.numGoroutine();
        if (print) {
            System.err.printf(Locale.ROOT, "  netmem netpoll=%s n=%d buf=%d: heap %d -> %d (accepted) -> %d (parked);"
                    + " rss %d -> %d (after gc %d); goroutines %d%n", System.getProperty("gort.netpoll", "(default)"),
                    n, bufSize, heap0, heap1, heap2, rss0, rss1, rss2, live);
        }
        if (live < n) {
            fail("netmem: " + live + " goroutines alive, want at least " + n);
        }
        Go.syscall(() -> client.send("close"));
        Go.syscall(() -> client.expect("closed"));
        done.await();
        if (eof.get() != n || other.get() != 0) {
            fail("netmem: " + eof.get() + " readers saw end of stream, " + other.get() + " something else; want " + n);
        }
        return new long[] {heap0, heap1, heap2, rss0, rss1};
    }

    // ------------------------------------------------------------ hog

    /**
     * GOMAXPROCS=1: the main goroutine starts a goroutine and then spins without a single call, as
     * the peers' main task does. Never returns; the caller kills the process.
     */
    static void benchHog() {
        System.out.println("HOG start " + System.currentTimeMillis());
        System.out.flush();
        Go.go(() -> {
            System.out.println("goroutine ran " + System.currentTimeMillis());
            System.out.flush();
        });
        long x = 0;
        for (;;) {
            x++;
        }
    }

    // ------------------------------------------------------------ main

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: GortAnchors <skynet|spawn|pingpong|threadring|mpmc|select|syscallmix|timers|mem|echo|netmem|hog> <procs>");
            System.exit(1);
        }
        procs = Integer.parseInt(args[1]);
        Runnable bench = switch (args[0]) {
            case "skynet" -> GortAnchors::benchSkynet;
            case "spawn" -> GortAnchors::benchSpawn;
            case "pingpong" -> GortAnchors::benchPingpong;
            case "threadring" -> GortAnchors::benchThreadring;
            case "mpmc" -> GortAnchors::benchMpmc;
            case "select" -> GortAnchors::benchSelect;
            case "syscallmix" -> GortAnchors::benchSyscallmix;
            case "timers" -> GortAnchors::benchTimers;
            case "mem" -> GortAnchors::benchMem;
            case "hog" -> GortAnchors::benchHog;
            case "echo" -> GortAnchors::benchEcho;
            case "netmem" -> GortAnchors::benchNetmem;
            default -> null;
        };
        if (bench == null) {
            System.err.println("unknown bench " + args[0]);
            System.exit(1);
        }
        Go.gomaxprocs(procs);
        if (Go.gomaxprocs(0) != procs) {
            fail("GOMAXPROCS is " + Go.gomaxprocs(0) + ", want " + procs);
        }
        try {
            Go.main(bench); // the whole benchmark runs in the main goroutine, as in the Go peer
        } catch (Throwable e) {
            e.printStackTrace();
            fail("exception " + e);
        }
        System.exit(0);
    }
}
