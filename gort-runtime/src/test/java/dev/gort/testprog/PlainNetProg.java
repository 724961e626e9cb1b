package dev.gort.testprog;

import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.net.TimeoutException;
import java.net.SocketException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * dev.gort.net used only by plain Java threads, in a process that never starts a goroutine (no
 * Go.main, no Go.go): the runtime must still wake threads blocked on the netpoller. An echo
 * server thread per connection and 4 client threads, a read deadline, and a close waking a
 * blocked reader. Prints "ok" and exits 0, or prints the failures and exits 1.
 */
public final class PlainNetProg {
    static final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    static Thread thread(String name, Body b) {
        Thread t = new Thread(() -> {
            try {
                b.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        }, name);
        t.start();
        return t;
    }

    interface Body {
        void run() throws Exception;
    }

    static void step(String s) {
        System.out.println(s);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        final int clients = 4;
        final int messages = 100;
        Listener ln = Net.listen("tcp", "127.0.0.1:0");
        String addr = "127.0.0.1:" + ln.addr().getPort();
        step("listening");
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        threads.add(thread("accept", () -> {
            for (int i = 0; i < clients; i++) {
                Conn s = ln.accept();
                threads.add(thread("echo-" + i, () -> {
                    try (s) {
                        byte[] b = new byte[1024];
                        for (int n; (n = s.read(b)) >= 0; ) {
                            s.write(b, 0, n);
                        }
                    }
                }));
            }
        }));
        List<Thread> cs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int id = i;
            cs.add(thread("client-" + i, () -> {
                try (Conn c = Net.dial("tcp", addr)) {
                    for (int j = 0; j < messages; j++) {
                        byte[] m = ("client " + id + " message " + j).getBytes();
                        c.write(m);
                        byte[] r = new byte[m.length];
                        for (int off = 0; off < r.length; ) {
                            int n = c.read(r, off, r.length - off);
                            if (n < 0) {
                                throw new AssertionError("end of stream in message " + j);
                            }
                            off += n;
                        }
                        if (!java.util.Arrays.equals(m, r)) {
                            throw new AssertionError("echo mismatch: " + new String(r));
                        }
                    }
                }
            }));
        }
        for (Thread t : cs) {
            t.join();
        }
        step("echo done");

        // A read deadline on a plain thread.
        Conn c = Net.dial("tcp", addr);
        c.setReadDeadline(Instant.now().plusMillis(200));
        long t0 = System.nanoTime();
        try {
            c.read(new byte[1]);
            throw new AssertionError("read returned despite the deadline");
        } catch (TimeoutException e) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms < 150) {
                throw new AssertionError("timed out early: " + ms + " ms");
            }
        }
        step("deadline done");

        // A close by another thread wakes a blocked reader.
        c.setReadDeadline(null);
        Thread reader = thread("reader", () -> {
            try {
                c.read(new byte[1]);
                throw new AssertionError("read returned after close");
            } catch (SocketException e) {
                if (!e.getMessage().endsWith("use of closed network connection")) {
                    throw e;
                }
            }
        });
        while (!inPoll(reader)) {
            Thread.onSpinWait();
        }
        c.close();
        reader.join();
        step("close done");
        ln.close();
        threads.get(0).join(); // the accept thread, which started the echo threads
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            for (Throwable e : errors) {
                e.printStackTrace();
            }
            System.exit(1);
        }
        step("ok");
    }

    /** True once t is parked inside the netpoller's wait (or finished, to not spin forever). */
    static boolean inPoll(Thread t) {
        if (!t.isAlive()) {
            return true;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getMethodName().equals("netpollblock")) {
                return t.getState() == Thread.State.WAITING;
            }
        }
        return false;
    }
}
