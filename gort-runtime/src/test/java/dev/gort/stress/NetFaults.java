package dev.gort.stress;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.net.TimeoutException;
import dev.gort.sync.WaitGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network fault cases of the stress tier: peers that reset connections in the middle of a
 * read, peers that never read (the write blocks until its deadline fires), and listeners closed
 * while clients keep dialing. Servers are goroutines on the netpoller; the misbehaving peers are
 * JDK sockets on plain threads. Every case checks what each side saw, not just that it ended.
 */
final class NetFaults {
    private NetFaults() {}

    private static final String CLOSED = "use of closed network connection";

    /** Reads exactly b.length bytes; false at end of stream first. */
    private static boolean readFully(Conn c, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = c.read(b, off, b.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    private static boolean isReset(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.endsWith("connection reset by peer") || m.endsWith("broken pipe");
    }

    /**
     * Echo servers (goroutines) and JDK clients (plain threads): the good clients send messages and
     * check each echo; the bad ones send half a message, read its echo (so their server goroutine
     * is parked in read again) and close with SO_LINGER 0, a reset. Each server must see a clean
     * end of stream from a good client and "connection reset by peer" from a bad one.
     */
    static void resetMidRead(Random rng, Stress.Errors errors) throws Exception {
        int clients = 4 + rng.nextInt(28);
        boolean[] bad = new boolean[clients];
        int badCount = 0;
        for (int i = 0; i < clients; i++) {
            bad[i] = rng.nextInt(3) == 0;
            badCount += bad[i] ? 1 : 0;
        }
        int msgs = 1 + rng.nextInt(20);
        int size = 1 + rng.nextInt(8192);
        AtomicLong cleanEnds = new AtomicLong();
        AtomicLong resets = new AtomicLong();
        AtomicLong echoed = new AtomicLong();
        WaitGroup servers = new WaitGroup();
        try (Listener ln = Net.listen("tcp", "127.0.0.1:0")) {
            int port = ln.addr().getPort();
            servers.add(1);
            Go.go(() -> {
                try {
                    for (int i = 0; i < clients; i++) {
                        Conn c = ln.accept();
                        servers.add(1);
                        Go.go(() -> {
                            try (c) {
                                byte[] buf = new byte[4096];
                                int n;
                                while ((n = c.read(buf)) >= 0) {
                                    c.write(buf, 0, n);
                                    echoed.addAndGet(n);
                                    Tier.PROGRESS.increment();
                                }
                                cleanEnds.incrementAndGet();
                            } catch (IOException e) {
                                if (isReset(e)) {
                                    resets.incrementAndGet();
                                } else {
                                    errors.add("echo server", e);
                                }
                            } finally {
                                servers.done();
                            }
                        });
                    }
                } catch (IOException e) {
                    errors.add("accept", e);
                } finally {
                    servers.done();
                }
            });
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                boolean isBad = bad[i];
                long seed = rng.nextLong();
                Thread t = new Thread(() -> {
                    Random r = new Random(seed);
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        s.setSoTimeout(60_000); // a hang becomes an error, not a stuck thread
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        byte[] msg = new byte[size];
                        byte[] back = new byte[size];
                        for (int m = 0; m < msgs; m++) {
                            r.nextBytes(msg);
                            int len = isBad && m == msgs - 1 ? Math.max(1, size / 2) : size;
                            out.write(msg, 0, len);
                            in.readNBytes(back, 0, len);
                            if (!Arrays.equals(msg, 0, len, back, 0, len)) {
                                errors.fail("reset client", "echo differs");
                            }
                            Tier.OPS.increment();
                        }
                        if (isBad) {
                            s.setSoLinger(true, 0); // close sends RST: the server is parked in read
                        }
                    } catch (IOException e) {
                        errors.add("reset client", e);
                    }
                }, "stress-reset-client-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                Go.syscall(() -> t.join(120_000));
            }
            servers.await();
        }
        errors.check("reset mid-read");
        if (resets.get() != badCount || cleanEnds.get() != clients - badCount) {
            throw new AssertionError("reset mid-read: " + badCount + " resetting clients of " + clients + ", but servers saw "
                    + resets.get() + " resets and " + cleanEnds.get() + " clean ends");
        }
        Tier.FAULTS.add(badCount);
        Tier.VALUES.add(echoed.get() / Math.max(1, size) + clients);
    }

    /**
     * Goroutines write to JDK peers that never read: the socket buffers fill, the write parks in
     * the netpoller, and its deadline must fail it with {@code i/o timeout}; some read from peers
     * that never write, with a read deadline. Meanwhile a ping-pong workload runs, so a parked
     * write that held a thread or a P would show.
     */
    static void peersThatNeverRead(Random rng, Stress.Errors errors) throws Exception {
        int conns = 1 + rng.nextInt(8);
        AtomicLong timeouts = new AtomicLong();
        List<Socket> peers = new ArrayList<>();
        try (ServerSocket ss = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            WaitGroup wg = new WaitGroup();
            List<Conn> cs = new ArrayList<>();
            for (int i = 0; i < conns; i++) {
                Conn c = Net.dial("tcp", "127.0.0.1:" + ss.getLocalPort());
                cs.add(c);
                peers.add(ss.accept()); // accepted, then never read from or written to
            }
            for (int i = 0; i < conns; i++) {
                Conn c = cs.get(i);
                boolean write = rng.nextInt(4) != 0;
                long ms = 50 + rng.nextInt(500);
                wg.go(() -> {
                    byte[] chunk = new byte[64 << 10];
                    long t0 = System.nanoTime();
                    try (c) {
                        if (write) {
                            c.setWriteDeadline(Instant.now().plusMillis(ms));
                            for (long total = 0; total < (1L << 30); total += chunk.length) {
                                c.write(chunk);
                            }
                            errors.fail("never-read peer", "1 GiB written to a peer that never reads");
                        } else {
                            c.setReadDeadline(Instant.now().plusMillis(ms));
                            int n = c.read(chunk);
                            errors.fail("never-write peer", "read returned " + n);
                        }
                    } catch (TimeoutException e) {
                        if (!"i/o timeout".equals(e.getMessage())) {
                            errors.fail("deadline", "message " + e.getMessage());
                        }
                        if (System.nanoTime() - t0 < ms * 1_000_000L - 50_000_000L) {
                            errors.fail("deadline", "fired early");
                        }
                        timeouts.incrementAndGet();
                        Tier.PROGRESS.increment();
                    } catch (IOException e) {
                        errors.add("deadline", e);
                    }
                });
            }
            int pingPongs = 500 + rng.nextInt(2000);
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            wg.go(() -> {
                for (Integer v : ping) {
                    pong.send(v);
                }
            });
            for (int i = 0; i < pingPongs; i++) {
                ping.send(i);
                if (pong.recv() != i) {
                    errors.fail("ping-pong", "mixed up");
                }
                Tier.PROGRESS.increment();
                Tier.OPS.increment();
            }
            ping.close();
            wg.await();
        } finally {
            for (Socket s : peers) {
                s.close();
            }
        }
        errors.check("peers that never read");
        if (timeouts.get() != conns) {
            throw new AssertionError("peers that never read: " + conns + " deadlines, " + timeouts.get() + " fired");
        }
        Tier.FAULTS.add(conns);
        Tier.VALUES.add(conns + 1);
    }

    /**
     * Accepting goroutines serve one request per connection while goroutine and JDK clients keep
     * dialing; after a random number of accepts the listener closes. Every accepter must get
     * {@code use of closed network connection} at once; every client either completes its exchange
     * (and then a server served it) or fails to connect or is cut off, never hangs; served
     * exchanges are at least the completed ones.
     */
    static void listenerClosedUnderLoad(Random rng, Stress.Errors errors) throws Exception {
        int accepters = 1 + rng.nextInt(4);
        int closeAfter = 5 + rng.nextInt(100);
        int goClients = 2 + rng.nextInt(12);
        int threadClients = rng.nextInt(4);
        AtomicLong accepted = new AtomicLong();
        AtomicLong served = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong closedSeen = new AtomicLong();
        Listener ln = Net.listen("tcp", "127.0.0.1:0");
        String addr = "127.0.0.1:" + ln.addr().getPort();
        int port = ln.addr().getPort();
        Chan<Integer> closeNow = Chan.make(1);
        WaitGroup servers = new WaitGroup();
        for (int a = 0; a < accepters; a++) {
            servers.go(() -> {
                while (true) {
                    Conn c;
                    try {
                        c = ln.accept();
                    } catch (IOException e) {
                        if (String.valueOf(e.getMessage()).endsWith(CLOSED) && e instanceof SocketException) {
                            closedSeen.incrementAndGet();
                        } else {
                            errors.add("accept", e);
                        }
                        return;
                    }
                    if (accepted.incrementAndGet() == closeAfter) {
                        closeNow.trySend(1);
                    }
                    servers.go(() -> {
                        try (c) {
                            c.setDeadline(Instant.now().plusSeconds(60));
                            byte[] b = new byte[8];
                            if (readFully(c, b)) {
                                c.write(b);
                                served.incrementAndGet();
                                Tier.PROGRESS.increment();
                            }
                        } catch (IOException e) {
                            if (!isReset(e)) {
                                errors.add("server conn", e);
                            }
                        }
                    });
                }
            });
        }
        WaitGroup clients = new WaitGroup();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int i = 0; i < goClients; i++) {
            clients.go(() -> {
                while (!stop.get()) {
                    try (Conn c = Net.dial("tcp", addr)) {
                        c.setDeadline(Instant.now().plusSeconds(60));
                        byte[] b = {1, 2, 3, 4, 5, 6, 7, 8};
                        c.write(b);
                        byte[] back = new byte[8];
                        if (readFully(c, back) && Arrays.equals(b, back)) {
                            completed.incrementAndGet();
                        }
                    } catch (TimeoutException e) {
                        errors.add("client (hung)", e);
                        return;
                    } catch (IOException e) {
                        refused.incrementAndGet(); // refused after the close, or cut off by it
                    }
                    Tier.OPS.increment();
                }
            });
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < threadClients; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        s.setSoTimeout(60_000);
                        s.getOutputStream().write(new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
                        if (s.getInputStream().readNBytes(8).length == 8) {
                            completed.incrementAndGet();
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        errors.add("thread client (hung)", e);
                        return;
                    } catch (IOException e) {
                        refused.incrementAndGet();
                    }
                    Tier.OPS.increment();
                }
            }, "stress-dialer-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        closeNow.recv();
        ln.close();
        servers.await(); // the accepters return at once; the connections they took finish
        // Clients keep dialing a closed port for a moment: every attempt must fail, not hang.
        long refusedAtClose = refused.get();
        while (refused.get() < refusedAtClose + goClients + threadClients && errors.isEmpty()) {
            Go.sleep(Duration.ofMillis(1));
        }
        stop.set(true);
        clients.await();
        for (Thread t : threads) {
            Go.syscall(() -> t.join(120_000));
        }
        errors.check("listener closed under load");
        if (closedSeen.get() != accepters) {
            throw new AssertionError("listener closed: " + accepters + " accepters, " + closedSeen.get()
                    + " saw '" + CLOSED + "'");
        }
        if (served.get() < completed.get()) {
            throw new AssertionError("listener closed: clients completed " + completed.get() + " exchanges, servers served "
                    + served.get());
        }
        Tier.FAULTS.add(accepters + refused.get());
        Tier.VALUES.add(completed.get() + accepters);
    }
}
