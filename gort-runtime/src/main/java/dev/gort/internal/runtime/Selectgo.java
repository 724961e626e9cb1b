package dev.gort.internal.runtime;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code select} (Go: runtime/select.go {@code selectgo}, {@code sellock}, {@code selunlock},
 * {@code selparkcommit}).
 *
 * <ol>
 *   <li>Poll order: a uniformly random permutation of the cases with a non-nil channel (an
 *       inside-out Fisher-Yates), so among ready cases each is equally likely to fire. Cases on
 *       nil channels never fire.</li>
 *   <li>Lock order: the same cases sorted by channel (Go sorts by hchan address, Gort by a
 *       creation id); each distinct channel is locked once, in that order, so two selects can
 *       never deadlock on each other's locks.</li>
 *   <li>Pass 1, all channels locked, in poll order: the first case that can proceed now wins.
 *       With a default case and none ready, return -1.</li>
 *   <li>Pass 2: a sudog on every channel's queue, sharing one {@link SelectState}; park, unlocking
 *       every channel once the goroutine has yielded.</li>
 *   <li>Wake-up: the waker that wins {@link SelectState#tryWin} completes its case; other wakers
 *       skip this select's sudogs. Pass 3: relock, remove the losing sudogs from their queues.</li>
 * </ol>
 * Sending on a closed channel panics {@code send on closed channel}, in pass 1 or after waking.
 *
 * <p>Go's selectgo works in arrays the compiler puts on the selecting goroutine's stack. Here they
 * are a {@link Scratch} cached on the G ({@code G.selScratch}) and reused by its next select, so a
 * select allocates nothing but what its callbacks do. Reuse is safe because a select touches its
 * scratch only between entry and return, no user code runs in between, and by the time it returns
 * every sudog it enqueued has left every queue (pass 3, under the channels' locks), so no waker
 * can still reach its {@link SelectState}. A plain thread gets a fresh one each time.
 */
public final class Selectgo {
    private Selectgo() {}

    /**
     * One select's working arrays. The caller fills {@link #c}, {@link #send} and {@link #sendv}
     * for its cases; selectgo leaves a receive's value in {@link #recv}. Owned by one goroutine
     * (or one plain thread's call).
     */
    public static final class Scratch {
        /** Case i's channel (null: never fires). */
        public final Hchan[] c;
        /** Whether case i sends. */
        public final boolean[] send;
        /** Case i's value to send. */
        public final Object[] sendv;
        /** After a receive case fired: its value, or {@link Hchan#CLOSED}. */
        public Object recv;
        final int[] pollorder;
        final int[] lockorder;
        final Sudog[] sgs;
        final SelectState st = new SelectState();
        /** Cases with a channel, for the unlock after parking (selparkcommit). */
        int norder;

        Scratch(int n) {
            c = new Hchan[n];
            send = new boolean[n];
            sendv = new Object[n];
            pollorder = new int[n];
            lockorder = new int[n];
            sgs = new Sudog[n];
        }

        /** Drops the references of the last select (ncases of them), so they do not outlive it. */
        void clear(int ncases) {
            for (int i = 0; i < ncases; i++) {
                c[i] = null;
                sendv[i] = null;
                sgs[i] = null;
            }
        }
    }

    /** Scratch arrays kept on a G are sized for at least this many cases. */
    private static final int SCRATCH_MIN = 4;
    /**
     * Selects with more cases get a scratch of their own: a G is kept for reuse when its goroutine
     * ends, and one huge select should not leave huge arrays on it for good.
     */
    private static final int SCRATCH_MAX = 64;

    /**
     * A scratch for a select of n cases: the current goroutine's own, grown if too small, or a
     * new one on a plain thread or for more than SCRATCH_MAX cases. Its arrays are clean (no
     * case filled).
     */
    public static Scratch scratch(int n) {
        G gp = Proc.getg();
        if (gp == null || n > SCRATCH_MAX) {
            return new Scratch(n);
        }
        Scratch s = gp.selScratch;
        if (s == null || s.c.length < n) {
            s = new Scratch(Math.max(n, SCRATCH_MIN));
            gp.selScratch = s;
        }
        s.recv = null;
        java.util.Arrays.fill(s.send, 0, n, false);
        return s;
    }

    /** Go: selparkcommit. Unlocks every distinct channel once. */
    private static final Proc.Unlockf SELPARKCOMMIT = (gp, l) -> {
        Scratch s = (Scratch) l;
        selunlock(s.c, s.lockorder, s.norder);
        return true;
    };

    /**
     * Go: selectgo. Case i uses channel {@code s.c[i]} (null: never fires), sends
     * {@code s.sendv[i]} if {@code s.send[i]}, else receives. Returns the index of the case that
     * fired, or -1 if none was ready and {@code block} is false. For a receive, {@code s.recv}
     * gets the value, or {@link Hchan#CLOSED}. The scratch's case slots are cleared on return.
     */
    public static int selectgo(Scratch s, int ncases, boolean block) {
        try {
            return selectgo0(s, ncases, block);
        } finally {
            s.clear(ncases);
        }
    }

    private static int selectgo0(Scratch s, int ncases, boolean block) {
        Hchan[] c = s.c;
        boolean[] send = s.send;
        Object[] sendv = s.sendv;
        // Poll order: inside-out Fisher-Yates over the non-nil cases.
        int[] pollorder = s.pollorder;
        int norder = 0;
        M mp = Proc.getmPreemptible(); // a safe point
        for (int i = 0; i < ncases; i++) {
            if (c[i] == null) {
                continue;
            }
            int r = mp != null ? mp.cheaprand() : ThreadLocalRandom.current().nextInt();
            int j = (int) (((r & 0xffffffffL) * (norder + 1)) >>> 32); // Go: cheaprandn(norder+1)
            pollorder[norder] = pollorder[j];
            pollorder[j] = i;
            norder++;
        }
        // Lock order: by channel id (insertion sort: selects are small), duplicates adjacent.
        int[] lockorder = s.lockorder;
        for (int k = 0; k < norder; k++) {
            int i = pollorder[k];
            int m = k;
            while (m > 0 && c[lockorder[m - 1]].id > c[i].id) {
                lockorder[m] = lockorder[m - 1];
                m--;
            }
            lockorder[m] = i;
        }

        sellock(c, lockorder, norder);

        // Pass 1: look for something already waiting.
        for (int k = 0; k < norder; k++) {
            int i = pollorder[k];
            Hchan ch = c[i];
            if (send[i]) {
                if (ch.closed) {
                    selunlock(c, lockorder, norder);
                    throw Hchan.panic("send on closed channel");
                }
                Sudog sg = ch.recvq.dequeue();
                if (sg != null) {
                    sg.elem = sendv[i];
                    sg.success = true;
                    selunlock(c, lockorder, norder);
                    sg.wake(mp);
                    return i;
                }
                if (ch.qcount < ch.dataqsiz) {
                    ch.bufsend(sendv[i]);
                    selunlock(c, lockorder, norder);
                    return i;
                }
            } else {
                Sudog sg = ch.sendq.dequeue();
                if (sg != null) {
                    Object v = ch.takeFromSender(sg);
                    selunlock(c, lockorder, norder);
                    sg.wake(mp);
                    s.recv = v;
                    return i;
                }
                if (ch.qcount > 0) {
                    Object v = ch.bufrecv();
                    selunlock(c, lockorder, norder);
                    s.recv = v;
                    return i;
                }
                if (ch.closed) {
                    selunlock(c, lockorder, norder);
                    s.recv = Hchan.CLOSED;
                    return i;
                }
            }
        }

        if (!block) {
            selunlock(c, lockorder, norder);
            return -1;
        }

        // Pass 2: enqueue on all channels, in lock order.
        SelectState st = s.st;
        st.reset();
        G gp = mp != null ? mp.curg : null;
        Thread self = gp == null ? Proc.carrier() : null;
        Sudog[] sgs = s.sgs;
        for (int k = 0; k < norder; k++) {
            int i = lockorder[k];
            Sudog sg = Sudog.acquire(mp);
            sg.g = gp;
            sg.thread = self;
            sg.sel = st;
            sg.caseIndex = i;
            if (send[i]) {
                sg.elem = sendv[i];
                c[i].sendq.enqueue(sg);
            } else {
                c[i].recvq.enqueue(sg);
            }
            sgs[i] = sg;
        }

        // Park; every channel is unlocked once we have yielded.
        if (gp != null) {
            int reason = ncases == 0 ? WaitReason.SelectNoCases : WaitReason.Select;
            s.norder = norder;
            Proc.gopark(mp, SELPARKCOMMIT, s, reason);
        } else {
            selunlock(c, lockorder, norder);
            boolean interrupted = false;
            while (!st.ready) {
                LockSupport.park(st);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        // Pass 3: dequeue from the channels that did not fire.
        sellock(c, lockorder, norder);
        Sudog winner = st.winner;
        for (int k = 0; k < norder; k++) {
            int i = lockorder[k];
            Sudog sg = sgs[i];
            if (sg == winner) {
                continue;
            }
            if (send[i]) {
                c[i].sendq.remove(sg);
            } else {
                c[i].recvq.remove(sg);
            }
        }
        selunlock(c, lockorder, norder);
        if (winner == null) {
            throw Proc.fatal("selectgo: bad wakeup");
        }
        M now = Proc.getm(); // after parking, the goroutine may be on another M
        for (int k = 0; k < norder; k++) {
            int i = lockorder[k];
            if (sgs[i] != winner) {
                Sudog.release(sgs[i], now);
            }
        }
        int i = winner.caseIndex;
        boolean success = winner.success;
        Object v = winner.elem;
        Sudog.release(winner, now);
        if (send[i]) {
            if (!success) {
                throw Hchan.panic("send on closed channel");
            }
        } else {
            s.recv = success ? v : Hchan.CLOSED;
        }
        return i;
    }

    /** Go: sellock. Locks each distinct channel once, in lock order. */
    private static void sellock(Hchan[] c, int[] lockorder, int n) {
        Hchan last = null;
        for (int k = 0; k < n; k++) {
            Hchan ch = c[lockorder[k]];
            if (ch != last) {
                last = ch;
                ch.lock.lock();
            }
        }
    }

    /** Go: selunlock. Unlocks each distinct channel once, in reverse lock order. */
    private static void selunlock(Hchan[] c, int[] lockorder, int n) {
        for (int k = n - 1; k >= 0; k--) {
            Hchan ch = c[lockorder[k]];
            if (k > 0 && ch == c[lockorder[k - 1]]) {
                continue; // a duplicate: unlock the channel at its first position only
            }
            ch.lock.unlock();
        }
    }

    /** Go: block. {@code select {}}: parks forever. */
    public static void block() {
        selectgo(new Scratch(0), 0, true);
    }
}
