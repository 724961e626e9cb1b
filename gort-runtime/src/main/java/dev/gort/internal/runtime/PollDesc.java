package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A socket's readiness and deadlines (Go: runtime/netpoll.go {@code pollDesc},
 * {@code poll_runtime_pollWait}, {@code netpollblock}, {@code netpollunblock},
 * {@code poll_runtime_pollSetDeadline}, {@code poll_runtime_pollUnblock}).
 *
 * <h2>The two binary semaphores</h2>
 * {@link #rg} (readers) and {@link #wg} (writers) each hold one of:
 * <pre>
 *  null      pdNil    nothing pending
 *  pdReady            a readiness notification is pending; the next waiter takes it without parking
 *  pdWait             a waiter is about to park (it CASes pdWait to itself in the park's commit)
 *  a G                a goroutine is parked
 *  a Waiter           a plain Java thread is blocked (Gort's addition)
 * </pre>
 * I/O readiness ({@link #netpollready}) swaps in pdReady; a deadline or close swaps in null; either
 * hands back the parked waiter, which is then woken. Every change is a CAS, so a readiness event
 * and a goroutine about to park never miss each other: if the event comes between the waiter's
 * "pdNil -> pdWait" and its commit "pdWait -> G", the commit's CAS fails and the park is abandoned
 * (gopark's unlock function returns false). At most one reader and one writer wait at a time (the
 * net layer serializes them; a second waiter is Go's fatal {@code runtime: double wait}).
 *
 * <h2>Errors</h2>
 * {@link #info} summarises, lock-free, what a waiter must check before and after waiting
 * (Go: atomicInfo): closing, an event error, an expired read or write deadline.
 *
 * <h2>Deadlines</h2>
 * Under {@link #lock}: {@code rd}/{@code wd} are absolute nanotimes (0 none, -1 expired), each with
 * a runtime timer. A timer that fires checks that its deadline is still due (Go checks a sequence
 * number; a pollDesc is never reused here, so the deadline itself tells a stale firing apart),
 * marks it expired (-1) and unblocks the waiter with pdNil; the waiter then sees the timeout. A
 * deadline set in the past unblocks at once. Go shares one timer when both deadlines are equal;
 * Gort keeps two.
 */
final class PollDesc {
    static final Object pdReady = new Object() {
        @Override
        public String toString() {
            return "pdReady";
        }
    };
    static final Object pdWait = new Object() {
        @Override
        public String toString() {
            return "pdWait";
        }
    };

    // Go: internal/poll's error codes.
    static final int pollNoError = 0;
    static final int pollErrClosing = 1;
    static final int pollErrTimeout = 2;
    static final int pollErrNotPollable = 3;

    // info bits (Go: pollClosing, pollEventErr, pollExpiredReadDeadline, pollExpiredWriteDeadline)
    private static final int CLOSING = 1;
    private static final int EVENT_ERR = 2;
    private static final int EXPIRED_READ = 4;
    private static final int EXPIRED_WRITE = 8;

    final NetFD fd;
    final Netpoll poller;

    /** The reader's and the writer's semaphore; atomic (RG, WG); see the class comment. */
    volatile Object rg;
    volatile Object wg;
    /** Lock-free summary for waiters; written under lock (and by netpollready for EVENT_ERR). */
    volatile int info;

    /** Protects the fields below. A runtime lock: timers and wakers take it from any M. */
    final Lock lock = new Lock();
    boolean closing;
    long rd;
    long wd;
    private Timer rt;
    private Timer wt;

    PollDesc(NetFD fd, Netpoll poller) {
        this.fd = fd;
        this.poller = poller;
    }

    /** A plain thread blocked on a pollDesc. */
    static final class Waiter {
        final Thread thread = Thread.currentThread(); // plain thread only: its identity is stable
        volatile boolean woken;
    }

    // ---------------------------------------------------------------- waiting

    /** Go: netpollcheckerr. */
    int checkerr(int mode) {
        int i = info;
        if ((i & CLOSING) != 0) {
            return pollErrClosing;
        }
        if ((mode == Netpoll.READ && (i & EXPIRED_READ) != 0) || (mode == Netpoll.WRITE && (i & EXPIRED_WRITE) != 0)) {
            return pollErrTimeout;
        }
        // Report an event scanning error only on a read event; an error on a write event is
        // reported by the write itself (Go's rule).
        if (mode == Netpoll.READ && (i & EVENT_ERR) != 0) {
            return pollErrNotPollable;
        }
        return pollNoError;
    }

    /**
     * Go: poll_runtime_pollWait. Waits until the socket is ready for mode (READ or WRITE), or a
     * deadline passes, or it is closed; returns one of the poll* codes. A goroutine parks (wait
     * reason {@code IO wait}); a plain thread blocks itself.
     */
    int pollWait(int mode) {
        int err = checkerr(mode);
        if (err != pollNoError) {
            return err;
        }
        while (!netpollblock(mode)) {
            err = checkerr(mode);
            if (err != pollNoError) {
                return err;
            }
            // A timeout or close that was then undone (a deadline reset): wait again.
        }
        return pollNoError;
    }

    private VarHandle sem(int mode) {
        return mode == Netpoll.READ ? RG : WG;
    }

    /**
     * Go: netpollblock. Returns true if I/O is ready, false if woken by a timeout or close (the
     * caller checks which).
     */
    private boolean netpollblock(int mode) {
        VarHandle gpp = sem(mode);
        for (;;) {
            if (gpp.compareAndSet(this, pdReady, null)) {
                return true; // a notification was pending: consume it
            }
            if (gpp.compareAndSet(this, null, pdWait)) {
                break;
            }
            Object v = gpp.getVolatile(this);
            if (v != pdReady && v != null) {
                throw Proc.fatal("runtime: double wait");
            }
        }
        // Re-check errors after setting pdWait: a timeout or close between the check in pollWait
        // and here has already tried to unblock (finding pdNil) and would not again.
        if (checkerr(mode) == pollNoError) {
            poller.arm(fd, mode); // a level-triggered backend re-enables the interest now
            M mp = Proc.getm();
            if (mp != null && mp.curg != null) {
                Proc.gopark(mp, mode == Netpoll.READ ? COMMIT_READ : COMMIT_WRITE, this, WaitReason.IOWait);
            } else {
                Waiter w = new Waiter();
                if (gpp.compareAndSet(this, pdWait, w)) {
                    sched.netpollWaiters.incrementAndGet();
                    Netpoller.waiterAdded(true);
                    boolean interrupted = false;
                    while (!w.woken) {
                        LockSupport.park(this);
                        if (Thread.interrupted()) {
                            interrupted = true;
                        }
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
        Object old = gpp.getAndSet(this, null);
        if (old != pdReady && old != pdWait && old != null) {
            throw Proc.fatal("runtime: corrupted polldesc");
        }
        return old == pdReady;
    }

    /** Go: netpollblockcommit. Publishes the parked G, unless readiness or a timeout came first. */
    private static final Proc.Unlockf COMMIT_READ = (gp, l) -> commit(PollDesc.RG, (PollDesc) l, gp);
    private static final Proc.Unlockf COMMIT_WRITE = (gp, l) -> commit(PollDesc.WG, (PollDesc) l, gp);

    private static boolean commit(VarHandle gpp, PollDesc pd, G gp) {
        if (gpp.compareAndSet(pd, pdWait, gp)) {
            // Bump the waiter count only when committing: an uncommitted waiter is not counted
            // and findRunnable would not poll for it.
            sched.netpollWaiters.incrementAndGet();
            Netpoller.waiterAdded(false);
            return true;
        }
        return false;
    }

    /**
     * Go: netpollunblock. Sets the semaphore to pdReady (I/O) or pdNil (timeout, close) and
     * returns the parked waiter to wake, or null.
     */
    private Object netpollunblock(int mode, boolean ioready) {
        VarHandle gpp = sem(mode);
        for (;;) {
            Object old = gpp.getVolatile(this);
            if (old == pdReady) {
                return null;
            }
            if (old == null && !ioready) {
                // Only set pdReady for I/O; pollWait checks for timeout or close before waiting.
                return null;
            }
            Object nw = ioready ? pdReady : null;
            if (gpp.compareAndSet(this, old, nw)) {
                if (old == pdWait || old == null) {
                    return null; // nobody parked yet: the waiter sees the new state itself
                }
                return old;
            }
        }
    }

    /** Wakes what netpollunblock returned: goready for a goroutine, unpark for a thread. */
    static void wake(Object w) {
        if (w == null) {
            return;
        }
        sched.netpollWaiters.decrementAndGet();
        if (w instanceof G gp) {
            Proc.goready(gp);
        } else {
            Waiter pw = (Waiter) w;
            pw.woken = true;
            LockSupport.unpark(pw.thread);
        }
    }

    /**
     * Go: netpollready, for one event: the waiters it releases (a G or Waiter per mode), handed
     * to {@code out} (goroutines to inject, threads unparked at once). Called by the polling M.
     */
    void netpollready(int mode, Netpoller.GList out) {
        if ((mode & Netpoll.ERROR) != 0) {
            setEventErr();
        }
        if ((mode & Netpoll.READ) != 0) {
            out.add(netpollunblock(Netpoll.READ, true));
        }
        if ((mode & Netpoll.WRITE) != 0) {
            out.add(netpollunblock(Netpoll.WRITE, true));
        }
    }

    private void setEventErr() {
        lock.lock();
        try {
            info |= EVENT_ERR;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- deadlines and close

    /**
     * Go: poll_runtime_pollSetDeadline. {@code d} is a duration from now in ns: > 0 a deadline,
     * 0 none, < 0 already passed. mode: READ, WRITE or both.
     */
    void setDeadline(long d, int mode) {
        Object rw = null;
        Object ww = null;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            if (d > 0) {
                d = Proc.whenAfter(d);
            } else if (d < 0) {
                d = -1;
            }
            if ((mode & Netpoll.READ) != 0) {
                rd = d;
                rt = arm(rt, d, READ_DEADLINE);
            }
            if ((mode & Netpoll.WRITE) != 0) {
                wd = d;
                wt = arm(wt, d, WRITE_DEADLINE);
            }
            publishInfo();
            // A deadline in the past unblocks pending I/O now.
            if (rd < 0) {
                rw = netpollunblock(Netpoll.READ, false);
            }
            if (wd < 0) {
                ww = netpollunblock(Netpoll.WRITE, false);
            }
        } finally {
            lock.unlock();
        }
        wake(rw);
        wake(ww);
    }

    private Timer arm(Timer t, long when, Timer.Func f) {
        if (when > 0) {
            if (t == null) {
                t = new Timer(f, this, null);
            }
            t.reset(when, 0);
        } else if (t != null) {
            t.stop();
        }
        return t;
    }

    /** Under lock: mirrors closing and the expired deadlines into info. */
    private void publishInfo() {
        int i = info & EVENT_ERR;
        if (closing) {
            i |= CLOSING;
        }
        if (rd < 0) {
            i |= EXPIRED_READ;
        }
        if (wd < 0) {
            i |= EXPIRED_WRITE;
        }
        info = i;
    }

    private static final Timer.Func READ_DEADLINE = (arg, seq, delay) -> ((PollDesc) arg).deadlineFired(true);
    private static final Timer.Func WRITE_DEADLINE = (arg, seq, delay) -> ((PollDesc) arg).deadlineFired(false);

    /** Go: netpolldeadlineimpl. */
    private void deadlineFired(boolean read) {
        Object w;
        lock.lock();
        try {
            long dl = read ? rd : wd;
            if (dl <= 0 || dl > Proc.nanotime()) {
                return; // moved, cleared or already expired since this firing was due
            }
            if (read) {
                rd = -1;
            } else {
                wd = -1;
            }
            publishInfo();
            w = netpollunblock(read ? Netpoll.READ : Netpoll.WRITE, false);
        } finally {
            lock.unlock();
        }
        wake(w);
    }

    /**
     * Go: poll_runtime_pollUnblock (called by close before the descriptor goes away): marks the
     * pollDesc closing, wakes both waiters (they fail with "use of closed network connection")
     * and stops the deadline timers.
     */
    void evict() {
        Object rw;
        Object ww;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            publishInfo();
            rw = netpollunblock(Netpoll.READ, false);
            ww = netpollunblock(Netpoll.WRITE, false);
            if (rt != null) {
                rt.stop();
            }
            if (wt != null) {
                wt.stop();
            }
        } finally {
            lock.unlock();
        }
        wake(rw);
        wake(ww);
    }

    private static final VarHandle RG;
    private static final VarHandle WG;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RG = l.findVarHandle(PollDesc.class, "rg", Object.class);
            WG = l.findVarHandle(PollDesc.class, "wg", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
