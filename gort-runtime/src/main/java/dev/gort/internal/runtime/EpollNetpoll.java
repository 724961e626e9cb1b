package dev.gort.internal.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Linux netpoller (Go: runtime/netpoll_epoll.go), on epoll through java.lang.foreign.
 *
 * <h2>Registration</h2>
 * {@link #open} adds the socket once with {@code EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET}:
 * edge-triggered, so the kernel reports each readiness change once and nothing needs re-arming
 * ({@link #arm} is a no-op). The event's 64-bit data cannot hold a Java reference, so it holds a
 * tag, {@code seq << 32 | slot}, into {@link #tokens}: Go's tagged pointer with fdseq. close frees
 * the slot and bumps its seq, so an event harvested for a closed socket, or for a slot that a new
 * socket took since, no longer matches and is dropped.
 *
 * <h2>netpollBreak</h2>
 * An eventfd registered level-triggered for EPOLLIN. {@link #wakeup} writes to it only if it wins
 * the CAS of {@link #wakeSig} from 0 to 1 (Go: netpollWakeSig), so concurrent breaks coalesce. A
 * blocking poll that sees it drains it and stores 0; a non-blocking poll leaves it (it stays
 * readable), so the next blocking poll returns at once.
 *
 * <h2>Threads</h2>
 * One poll at a time (the caller's rule): {@link #events} and {@link #pollScratch} are the
 * poller's. {@link #lock} guards the slot table; poll holds it only to translate a batch of tags
 * into tokens, and calls the sink after releasing it.
 */
final class EpollNetpoll extends Netpoll {
    private static final long EVENTFD_TAG = -1L;
    private static final int REGISTER = Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP | Libc.EPOLLET;

    /** The epoll and eventfd descriptors; written by init before any other call, then read-only. */
    private volatile int epfd = -1;
    private volatile int eventfd = -1;
    /** Go: netpollWakeSig; atomic. */
    private final AtomicInteger wakeSig = new AtomicInteger();

    /** MAX_EVENTS epoll_events; the poller's. */
    private final MemorySegment events;
    /** The poller's errno state and eventfd drain buffer. */
    private final Scratch pollScratch = Scratch.get(1);
    /** A batch translated to tokens and modes, handed to the sink after the lock is released; poller's. */
    private final Object[] readyTokens = new Object[MAX_EVENTS];
    private final int[] readyModes = new int[MAX_EVENTS];

    /** Slot table: token and seq per slot, a free list; all under lock. */
    private final Lock lock = new Lock();
    private Object[] tokens = new Object[64];
    private int[] seqs = new int[64];
    private int[] free = new int[64];
    private int nfree;
    private int used;

    EpollNetpoll() {
        events = Arena.ofAuto().allocate(Libc.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public void init() throws IOException {
        MemorySegment st = pollScratch.state;
        int ep = Libc.epollCreate1(st, Libc.EPOLL_CLOEXEC);
        if (ep < 0) {
            throw new SocketException("epoll_create1: " + NetError.errnoText(Libc.errno(st)));
        }
        int efd = Libc.eventfd(st, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (efd < 0) {
            int e = Libc.errno(st);
            Libc.close(st, ep);
            throw new SocketException("eventfd: " + NetError.errnoText(e));
        }
        MemorySegment ev = pollScratch.sockaddr; // any 16 free bytes
        ev.set(JAVA_INT, 0, Libc.EPOLLIN);
        ev.set(JAVA_LONG.withByteAlignment(4), Libc.EPOLL_DATA_OFFSET, EVENTFD_TAG);
        if (Libc.epollCtl(st, ep, Libc.EPOLL_CTL_ADD, efd, ev) < 0) {
            int e = Libc.errno(st);
            Libc.close(st, efd);
            Libc.close(st, ep);
            throw new SocketException("epoll_ctl: " + NetError.errnoText(e));
        }
        eventfd = efd;
        epfd = ep;
    }

    @Override
    void netpollopen(NetFD nfd, Object token) throws IOException {
        EpollNetFD fd = (EpollNetFD) nfd;
        long tag;
        lock.lock();
        try {
            if (fd.pollSlot >= 0 || fd.poller != null) {
                throw new IllegalStateException("netpollopen: fd " + fd.fd + " is already registered");
            }
            int slot = allocSlot(token);
            fd.pollSlot = slot;
            fd.poller = this;
            tag = ((long) seqs[slot] << 32) | slot;
        } finally {
            lock.unlock();
        }
        Scratch s = Scratch.get(fd.fd);
        try {
            s.sockaddr.set(JAVA_INT, 0, REGISTER);
            s.sockaddr.set(JAVA_LONG.withByteAlignment(4), Libc.EPOLL_DATA_OFFSET, tag);
            if (Libc.epollCtl(s.state, epfd, Libc.EPOLL_CTL_ADD, fd.fd, s.sockaddr) < 0) {
                int e = Libc.errno(s.state);
                forget(fd);
                throw new SocketException("netpollopen: epoll_ctl: " + NetError.errnoText(e));
            }
        } finally {
            s.release(fd.fd);
        }
    }

    @Override
    public void close(NetFD nfd) {
        EpollNetFD fd = (EpollNetFD) nfd;
        if (!forget(fd)) {
            return;
        }
        // Go: netpollclose. After forget, a racing poll drops this socket's events (seq moved on).
        Scratch s = Scratch.get(fd.fd);
        try {
            Libc.epollCtl(s.state, epfd, Libc.EPOLL_CTL_DEL, fd.fd, s.sockaddr);
        } finally {
            s.release(fd.fd);
        }
    }

    /** Frees fd's slot and bumps its seq; false if fd was not registered here. */
    private boolean forget(EpollNetFD fd) {
        lock.lock();
        try {
            int slot = fd.pollSlot;
            if (slot < 0 || fd.poller != this) {
                return false;
            }
            fd.pollSlot = -1;
            fd.poller = null;
            tokens[slot] = null;
            seqs[slot]++;
            free[nfree++] = slot;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private int allocSlot(Object token) {
        int slot;
        if (nfree > 0) {
            slot = free[--nfree];
        } else {
            if (used == tokens.length) {
                int n = tokens.length * 2;
                tokens = java.util.Arrays.copyOf(tokens, n);
                seqs = java.util.Arrays.copyOf(seqs, n);
                free = java.util.Arrays.copyOf(free, n);
            }
            slot = used++;
        }
        tokens[slot] = token;
        return slot;
    }

    @Override
    public void arm(NetFD fd, int mode) {
        // Edge-triggered: the next readiness change is reported without re-arming.
    }

    @Override
    public int poll(long delay, ReadySink sink) {
        int waitms;
        if (delay < 0) {
            waitms = -1;
        } else if (delay == 0) {
            waitms = 0;
        } else if (delay < 1_000_000L) {
            waitms = 1;
        } else if (delay < 1_000_000_000_000_000L) { // 1e15 ns
            waitms = (int) (delay / 1_000_000L); // at most 1e9 ms: fits an int
        } else {
            waitms = 1_000_000_000; // Go: about 11.5 days is as long as it waits in one call
        }
        MemorySegment st = pollScratch.state;
        int n;
        for (;;) {
            n = Libc.epollWait(st, epfd, events, MAX_EVENTS, waitms);
            if (n >= 0) {
                break;
            }
            int e = Libc.errno(st);
            if (e != NetError.EINTR) {
                System.err.println("runtime: epollwait on fd " + epfd + " failed with " + e);
                throw Proc.fatal("runtime: netpoll failed");
            }
            if (waitms > 0) {
                return 0; // Go: a timed sleep was interrupted; the caller recomputes the delay
            }
        }
        int k = 0;
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                long base = i * Libc.EPOLL_EVENT_SIZE;
                int ev = events.get(JAVA_INT, base);
                long tag = events.get(JAVA_LONG.withByteAlignment(4), base + Libc.EPOLL_DATA_OFFSET);
                if (tag == EVENTFD_TAG) {
                    if (ev != Libc.EPOLLIN) {
                        System.err.println("runtime: netpoll: eventfd ready for " + ev);
                        throw Proc.fatal("runtime: netpoll: eventfd ready for something unexpected");
                    }
                    if (delay != 0) {
                        drainEventfd();
                    }
                    continue;
                }
                int mode = 0;
                if ((ev & (Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0) {
                    mode |= READ;
                }
                if ((ev & (Libc.EPOLLOUT | Libc.EPOLLHUP | Libc.EPOLLERR)) != 0) {
                    mode |= WRITE;
                }
                if (mode == 0) {
                    continue;
                }
                if (ev == Libc.EPOLLERR) {
                    mode |= ERROR;
                }
                int slot = (int) tag;
                if (slot < 0 || slot >= used || seqs[slot] != (int) (tag >>> 32) || tokens[slot] == null) {
                    continue; // Go: a stale fdseq; the socket was closed (and maybe the slot reused)
                }
                readyTokens[k] = tokens[slot];
                readyModes[k] = mode;
                k++;
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < k; i++) {
            Object t = readyTokens[i];
            readyTokens[i] = null;
            sink.ready(t, readyModes[i]);
        }
        return k;
    }

    /** Go: the read of netpollEventFd in netpoll, then netpollWakeSig = 0. Under lock (harmless). */
    private void drainEventfd() {
        Libc.read(pollScratch.state, eventfd, pollScratch.word, 8);
        wakeSig.set(0);
    }

    @Override
    public void wakeup() {
        if (!wakeSig.compareAndSet(0, 1)) {
            return;
        }
        Scratch s = Scratch.get(eventfd);
        try {
            s.word.set(JAVA_LONG, 0, 1L);
            for (;;) {
                long n = Libc.write(s.state, eventfd, s.word, 8);
                if (n == 8) {
                    return;
                }
                int e = Libc.errno(s.state);
                if (e == NetError.EAGAIN) {
                    return; // the counter is full: a break is pending anyway
                }
                if (e != NetError.EINTR) {
                    System.err.println("runtime: netpollBreak write failed with " + e);
                    throw Proc.fatal("runtime: netpollBreak write failed");
                }
            }
        } finally {
            s.release(eventfd);
        }
    }

    @Override
    public void shutdown() {
        MemorySegment st = pollScratch.state;
        if (eventfd >= 0) {
            Libc.close(st, eventfd);
        }
        if (epfd >= 0) {
            Libc.close(st, epfd);
        }
    }

    @Override
    public NetFD listen(String net, java.net.InetSocketAddress laddr) throws IOException {
        return EpollNetFD.listen(net, laddr);
    }

    @Override
    public NetFD dial(String net, java.net.InetSocketAddress raddr) throws IOException {
        return EpollNetFD.dial(net, raddr);
    }
}
