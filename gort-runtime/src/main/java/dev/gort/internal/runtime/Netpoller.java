package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.G._Grunnable;
import static dev.gort.internal.runtime.G._Gwaiting;
import static dev.gort.internal.runtime.Sched.sched;

import java.util.Arrays;

/**
 * The scheduler's side of the netpoller (Go: netpoll.go {@code netpollGenericInit},
 * {@code netpollinited}, {@code netpoll} as called by findRunnable and sysmon,
 * {@code injectglist}; proc.go {@code netpollBreak} plumbing).
 *
 * <p>The platform seam ({@link Netpoll}: epoll or a Selector) is made on first use, when the first
 * socket is opened; until then the idle M that waits for the next timer just sleeps (see
 * Proc.findRunnable). Who polls, as in Go:
 * <ul>
 *   <li>findRunnable, without blocking, when anyone waits on the network and no M is blocked
 *       polling;</li>
 *   <li>the last M to go idle, blocking until the next timer ({@code sched.lastpoll == 0} while
 *       it does: at most one at a time); {@link Proc#netpollBreak} wakes it;</li>
 *   <li>sysmon, when nobody has polled for 10 ms.</li>
 * </ul>
 * {@link #poll} must be called by one thread at a time: every poller holds {@link #pollingNet}
 * (Go: sched.pollingNet), and the blocking one also {@code lastpoll == 0}, which keeps the
 * non-blocking ones away while it sleeps.
 */
final class Netpoller {
    private Netpoller() {}

    /** The seam, once initialised (Go: netpollInited); read racily, written once under INIT. */
    private static volatile Netpoll netpoll;
    /** Serializes non-blocking polls (Go: sched.pollingNet); 0/1, CAS. */
    static final java.util.concurrent.atomic.AtomicInteger pollingNet = new java.util.concurrent.atomic.AtomicInteger();

    /** Go: netpollGenericInit. The seam, made (and initialised) on first use. */
    static Netpoll get() {
        Netpoll np = netpoll;
        if (np == null) {
            // Plain threads may use sockets before any goroutine exists: the Ms (and sysmon)
            // that poll for them must be there.
            Proc.ensureStarted();
            np = Netpoll.get();
            netpoll = np;
        }
        return np;
    }

    /** Go: netpollinited. */
    static boolean inited() {
        return netpoll != null;
    }

    /** Go: netpollBreak's platform half. */
    static void wakeup() {
        Netpoll np = netpoll;
        if (np != null) {
            np.wakeup();
        }
    }

    /** Goroutines readied by one poll, in event order; threads are unparked on the spot. */
    static final class GList {
        G[] gs = new G[8];
        int n;

        void add(Object w) {
            if (w == null) {
                return;
            }
            if (w instanceof G gp) {
                sched.netpollWaiters.decrementAndGet();
                if (n == gs.length) {
                    gs = Arrays.copyOf(gs, n * 2);
                }
                gs[n++] = gp;
            } else {
                PollDesc.wake(w);
            }
        }

        boolean empty() {
            return n == 0;
        }

        /** Takes the first G (to run now). */
        G pop() {
            G gp = gs[0];
            System.arraycopy(gs, 1, gs, 0, n - 1);
            gs[--n] = null;
            return gp;
        }
    }

    /**
     * Go: netpoll(delay). delay < 0 blocks until an event or {@link #wakeup}, 0 does not block,
     * else at most delay ns. Returns the goroutines it readied (still _Gwaiting; see
     * {@link #injectglist}). The caller guarantees one poller at a time.
     */
    static GList poll(long delay) {
        GList list = new GList();
        Netpoll np = netpoll;
        if (np == null) {
            return list;
        }
        np.poll(delay, (token, mode) -> ((PollDesc) token).netpollready(mode, list));
        return list;
    }

    /**
     * A non-blocking poll by a scheduler that is looking for work (findRunnable step 9, sysmon):
     * only if anyone waits, nobody is blocked polling, and we win {@link #pollingNet}.
     */
    static GList pollNonBlocking() {
        if (netpoll == null || sched.netpollWaiters.get() <= 0 || sched.lastpoll.get() == 0
                || !pollingNet.compareAndSet(0, 1)) {
            return null;
        }
        try {
            GList l = poll(0);
            return l.empty() ? null : l;
        } finally {
            pollingNet.set(0);
        }
    }

    /**
     * Go: injectglist. Makes the polled goroutines runnable. Without a P: all onto the global
     * queue, starting an M per idle P. With one: as many onto the global queue as there are idle
     * Ps, each with an M started for it, and the rest onto our own queue, which we run next (an
     * M we start takes a while to wake; we are already running). Then wakep, in case a P went
     * idle after we read npidle.
     */
    static void injectglist(GList list, M mp) {
        if (list == null || list.n == 0) {
            return;
        }
        int n = list.n;
        Object[] gs = list.gs;
        for (int i = 0; i < n; i++) {
            ((G) gs[i]).casgstatus(_Gwaiting, _Grunnable);
            if (Trace.on()) {
                Trace.goUnblock(mp, (G) gs[i]);
            }
        }
        P pp = mp != null ? mp.p : null;
        if (pp == null || pp.m != mp || pp.retaken) {
            putGlobal(gs, n);
            startIdle(n);
        } else {
            int g = Math.min(n, sched.npidle.get());
            if (g > 0) {
                putGlobal(gs, g);
                startIdle(g);
            }
            for (int i = g; i < n; i++) {
                pp.runqput(gs[i], false); // overflows to the global queue itself
            }
        }
        Arrays.fill(gs, 0, n, null);
        list.n = 0;
        Proc.wakep();
    }

    private static void putGlobal(Object[] gs, int n) {
        sched.lock.lock();
        try {
            sched.globrunqputbatch(gs, n);
        } finally {
            sched.lock.unlock();
        }
    }

    /** Go: injectglist's startIdle. Starts an M for each of up to n idle Ps. */
    private static void startIdle(int n) {
        for (; n > 0; n--) {
            sched.lock.lock();
            P pp = Proc.pidlegetSpinning();
            if (pp == null) {
                sched.lock.unlock();
                return;
            }
            Proc.startm(pp, false, true);
            sched.lock.unlock();
        }
    }

    /**
     * A goroutine or plain thread just started waiting on a socket: make sure some M will poll.
     * An idle M sleeping until a timer outside netpoll (there were no network waiters when it
     * went to sleep) is woken, so it comes back and blocks in netpoll instead. For a plain thread
     * (Go has no such waiter) with nobody polling, a spinning M is started: it will end up polling.
     * A goroutine's own M goes on to findRunnable and polls itself.
     */
    static void waiterAdded(boolean plainThread) {
        if (sched.pollerThread != null) {
            Proc.netpollBreak();
        } else if (plainThread && sched.lastpoll.get() != 0) {
            Proc.wakep();
        }
    }
}
