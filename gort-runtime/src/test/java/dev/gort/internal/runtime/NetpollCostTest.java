package dev.gort.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * A micro-measure, not an assertion: what one system call costs through java.lang.foreign
 * (epoll_wait with a zero timeout, recv on an empty socket), raw and through the seam's wrappers,
 * beside the nio backend's equivalents. Printed as ns per call after a warm-up.
 */
class NetpollCostTest {
    private static final int WARMUP = 200_000;
    private static final int ITERS = 500_000;

    @FunctionalInterface
    private interface Op {
        int run() throws IOException;
    }

    private static double measure(Op op, int expect) throws IOException {
        for (int i = 0; i < WARMUP; i++) {
            assertEquals(expect, op.run());
        }
        long t0 = System.nanoTime();
        int bad = 0;
        for (int i = 0; i < ITERS; i++) {
            bad += op.run() == expect ? 0 : 1;
        }
        long t = System.nanoTime() - t0;
        assertEquals(0, bad);
        return (double) t / ITERS;
    }

    @Test
    void syscallCosts() throws IOException {
        StringBuilder out = new StringBuilder("netpoll syscall costs (ns/call):\n");
        try (NetHarness h = new NetHarness("epoll"); Arena arena = Arena.ofConfined()) {
            NetFD[] p = h.pair("c", "s");
            EpollNetFD s = (EpollNetFD) p[1];
            MemorySegment st = arena.allocate(Libc.STATE_LAYOUT);
            MemorySegment events = arena.allocate(Libc.EPOLL_EVENT_SIZE * 128, 8);
            MemorySegment buf = arena.allocate(64);
            int ep = Libc.epollCreate1(st, Libc.EPOLL_CLOEXEC);
            try {
                out.append(String.format("  epoll_wait(0), raw FFM downcall:   %6.0f%n",
                        measure(() -> Libc.epollWait(st, ep, events, 128, 0), 0)));
            } finally {
                Libc.close(st, ep);
            }
            out.append(String.format("  Netpoll.poll(0), epoll:            %6.0f%n",
                    measure(() -> h.np.poll(0, (t, m) -> { }), 0)));
            out.append(String.format("  recv -> EAGAIN, raw FFM downcall:  %6.0f%n",
                    measure(() -> (int) Libc.recv(st, s.fd, buf, 64, 0) < 0 ? Libc.errno(st) : -1, NetError.EAGAIN)));
            byte[] b = new byte[64];
            out.append(String.format("  NetFD.read -> EAGAIN, epoll:       %6.0f%n",
                    measure(() -> s.read(b, 0, b.length), NetFD.EAGAIN)));
        }
        try (NetHarness h = new NetHarness("nio")) {
            NetFD[] p = h.pair("c", "s");
            NetFD s = p[1];
            out.append(String.format("  Netpoll.poll(0), nio (selectNow):  %6.0f%n",
                    measure(() -> h.np.poll(0, (t, m) -> { }), 0)));
            byte[] b = new byte[64];
            out.append(String.format("  NetFD.read -> EAGAIN, nio:         %6.0f%n",
                    measure(() -> s.read(b, 0, b.length), NetFD.EAGAIN)));
        }
        System.out.print(out);
    }
}
