package dev.gort.examples;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Select;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.time.Ticker;
import dev.gort.time.Time;
import java.time.Duration;
import dev.gort.sync.WaitGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./gort demo}: a short tour of the scheduler. Runs the seed programs and shows what the
 * G-M-P scheduler did with them. Uses only the public API.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) {
        int procs = Go.gomaxprocs(0);
        System.out.println("Gort: Go's runtime for Java. GOMAXPROCS=" + procs + ", NumCPU=" + Go.numCPU());
        System.out.println();

        section("1. The seed program (GOMAXPROCS=1, so the order is the scheduler's alone)");
        Go.gomaxprocs(1);
        Go.main(() -> Seeds.loop(System.out));
        System.out.println();
        System.out.println("   Why 10 first? A new goroutine goes into its creator's P.runnext slot, kicking the");
        System.out.println("   previous occupant to the tail of the P's local run queue. When main parks in");
        System.out.println("   wg.Wait, the P runs runnext (goroutine 10) and then the queue in order: 0..9.");
        System.out.println();

        section("2. The same program on " + procs + " Ps: idle Ps steal half of a busy P's queue");
        Go.gomaxprocs(procs);
        Map<String, Integer> byThread = new TreeMap<>();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i <= 10; i++) {
                int n = i;
                wg.go(() -> lines.add("loop i is - " + n + "   (on " + Thread.currentThread().getName() + ")"));
            }
            wg.await();
        });
        lines.forEach(l -> System.out.println("   " + l));
        System.out.println("   Hello, Welcome to Go");
        System.out.println();

        section("3. A million goroutines, spread over the Ms (worker threads) by work stealing");
        Map<String, AtomicLong> perM = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 1_000_000; i++) {
                wg.go(() -> perM.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicLong()).incrementAndGet());
            }
            wg.await();
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        perM.forEach((m, n) -> byThread.put(m, (int) n.get()));
        System.out.println("   1,000,000 goroutines created, run and joined in " + ms + " ms; goroutines per M:");
        byThread.forEach((m, n) -> System.out.printf("     %-10s %,9d%n", m, n));
        System.out.println("   The spawning goroutine's P fills its 256-slot queue; overflow moves half to the");
        System.out.println("   global queue; the other Ps take batches from it or steal half of the local queue.");
        System.out.println();

        section("4. Gosched: two goroutines yielding to each other on one P (Gosched -> global queue)");
        Go.gomaxprocs(1);
        List<String> turns = Collections.synchronizedList(new ArrayList<>());
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (String name : new String[] {"ping", "pong"}) {
                wg.go(() -> {
                    for (int i = 0; i < 3; i++) {
                        turns.add(name);
                        Go.gosched();
                    }
                });
            }
            wg.await();
        });
        System.out.println("   " + String.join(" ", turns));
        Go.gomaxprocs(procs);
        System.out.println();

        section("5. A goroutine dump (runtime.Stack): parked goroutines and their wait reasons");
        Go.main(() -> {
            WaitGroup gate = new WaitGroup();
            gate.add(1);
            WaitGroup parked = new WaitGroup();
            for (int i = 0; i < 2; i++) {
                parked.go(gate::await);
            }
            // Give them a moment to park (they are runnable until they reach gate.await()).
            for (int i = 0; i < 100; i++) {
                Go.gosched();
            }
            for (String line : Go.stack(true).split("\n")) {
                System.out.println("   " + line);
            }
            gate.done();
            parked.await();
        });
        System.out.println();

        section("6. GOMAXPROCS can change while goroutines run (stop the world, resize, restart)");
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            AtomicLong ran = new AtomicLong();
            for (int i = 0; i < 100_000; i++) {
                wg.go(ran::incrementAndGet);
                if (i == 50_000) {
                    int prev = Go.gomaxprocs(1);
                    System.out.println("   GOMAXPROCS " + prev + " -> 1 with " + Go.numGoroutine() + " goroutines alive");
                }
            }
            wg.await();
            System.out.println("   all " + ran.get() + " goroutines ran; GOMAXPROCS back to " + procs);
            Go.gomaxprocs(procs);
        });
        System.out.println();

        section("7. Channels: an unbuffered ping-pong hands each value straight to the parked receiver");
        Go.main(() -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Go.go(() -> {
                for (int v : ping) {
                    pong.send(v + 1);
                }
                pong.close();
            });
            int n = 200_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ping.send(i);
                pong.recv();
            }
            long ns = (System.nanoTime() - start) / n;
            ping.close();
            System.out.println("   " + n + " round trips, about " + ns + " ns each: the sender readies the receiver into");
            System.out.println("   its own P's runnext, so the pair runs back to back on one P, sharing a time slice.");
        });
        System.out.println();

        section("8. select with a timeout (time.After), and a ticker");
        Go.main(() -> {
            Chan<String> slow = Chan.make();
            Go.go(() -> {
                Go.sleep(Duration.ofMillis(200));
                slow.trySend("too late");
            });
            long start = System.nanoTime();
            Select.select(
                    Select.recv(slow, v -> System.out.println("   got " + v)),
                    Select.recv(Time.after(Duration.ofMillis(50)), t -> System.out.println(
                            "   timed out after " + (System.nanoTime() - start) / 1_000_000 + " ms (select chose the timer's channel)")));
            Ticker tk = Ticker.newTicker(Duration.ofMillis(20));
            int ticks = 0;
            for (java.time.Instant ignored : tk.c()) {
                if (++ticks == 3) {
                    break;
                }
            }
            tk.stop();
            System.out.println("   a 20 ms ticker ticked " + ticks + " times; stopped, it sends nothing more");
        });
        System.out.println();

        section("9. 10,000 goroutines sleeping 100 ms on ONE P: timers park goroutines, not threads");
        Go.gomaxprocs(1);
        Go.main(() -> {
            long start = System.nanoTime();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 10_000; i++) {
                wg.go(() -> Go.sleep(Duration.ofMillis(100)));
            }
            wg.await();
            System.out.println("   all woke up after " + (System.nanoTime() - start) / 1_000_000
                    + " ms of wall time (the P's 4-ary timer heap, run by its M between goroutines)");
        });
        Go.gomaxprocs(procs);
        System.out.println();

        section("10. HTTP on the netpoller: the example server, one goroutine per connection");
        Go.main(Demo::http);
        System.out.println("   A goroutine blocked in read or accept is parked on the netpoller and holds no thread.");
        System.out.println("   Serve it yourself: ./gort run dev.gort.examples.HttpServer 127.0.0.1:8080");
    }

    /**
     * Starts {@link HttpServer} on 127.0.0.1:0 in a goroutine, makes three requests with
     * {@link Net#dial} from goroutines (two at once, then /stats), prints what came back, and closes
     * the listener, which ends the accept loop.
     */
    private static void http() {
        long t0 = System.nanoTime();
        try {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = ln.addr().getHostString() + ":" + ln.addr().getPort();
            System.out.println("   listening on http://" + addr + "/");
            HttpServer server = new HttpServer();
            WaitGroup served = new WaitGroup();
            served.go(() -> {
                try {
                    server.serve(ln);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String[] paths = {"/", "/no-such-page"};
            String[] got = new String[paths.length];
            WaitGroup clients = new WaitGroup();
            for (int i = 0; i < paths.length; i++) {
                int k = i;
                clients.go(() -> got[k] = get(addr, paths[k]));
            }
            clients.await();
            for (int i = 0; i < paths.length; i++) {
                System.out.printf("   GET %-14s -> %s%n", paths[i], got[i].lines().findFirst().orElse("(nothing)"));
            }
            String[] stats = new String[1];
            WaitGroup last = new WaitGroup();
            last.go(() -> stats[0] = get(addr, "/stats"));
            last.await();
            String[] parts = stats[0].split("\r\n\r\n", 2);
            System.out.printf("   GET %-14s -> %s%n", "/stats", parts[0].lines().findFirst().orElse("(nothing)"));
            System.out.println("     " + (parts.length > 1 ? parts[1].trim() : "(no body)"));
            ln.close();
            served.await();
            System.out.println("   listener closed, accept loop ended; " + (System.nanoTime() - t0) / 1_000_000
                    + " ms from listen to here");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One HTTP/1.1 request on its own connection ({@code Connection: close}); the whole response. */
    private static String get(String addr, String path) {
        try (Conn c = Net.dial("tcp", addr)) {
            c.setDeadline(Instant.now().plusSeconds(5));
            c.write(("GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(c.inputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "error: " + e.getMessage();
        }
    }

    private static void section(String title) {
        System.out.println("== " + title);
    }
}
