package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A P's timers (Go: runtime/time.go {@code timers}): a 4-ary min-heap on {@code when}
 * ({@code timerHeapN = 4}), run by the P's own M in findRunnable and by spinning Ms that steal from
 * other Ps, so an idle P's timers still fire.
 *
 * <p>{@link #mu} protects the heap. {@link #minWhen} mirrors the head's {@code when} (0 = empty)
 * for lock-free peeks by findRunnable and checkTimersNoP.
 *
 * <p>As in Go 1.23 ({@code timerWhen}), each slot keeps its timer's {@code when} beside it
 * ({@link #whens}, a parallel array): sifting compares contiguous longs instead of loading
 * four scattered Timer objects per level. With 100,000 sleeping goroutines the heap outgrows
 * the caches, and the loads made siftDown a quarter of the timers benchmark's CPU. Invariant
 * (under mu): {@code whens[i] == heap[i].when} for {@code i < len}.
 *
 * <p>Deviation from Go: stop and reset remove the timer from its heap directly, under the owning
 * heap's lock, instead of marking it and letting the owner clean up lazily (Go's
 * timerZombie/timerModified). Simpler, and the same results; it costs a lock of another P's heap
 * on a cross-P stop.
 */
final class Timers {
    static final int timerHeapN = 4;

    final Lock mu = new Lock();
    /** The heap; under mu. */
    private Timer[] heap = new Timer[16];
    /** whens[i] == heap[i].when; under mu. */
    private long[] whens = new long[16];
    /** Heap size; under mu. */
    private int len;
    /** The earliest when, or 0 if the heap is empty; written under mu, read racily. */
    volatile long minWhen;

    // ---------------------------------------------------------------- adding

    /**
     * Go: maybeAdd. Puts t (its mu held, in no heap) on the current P's heap; from a plain thread
     * or an M without a P, on a random P's heap. Returns whether t is now its heap's earliest
     * timer: only then may an M asleep until that heap's old head need waking (Go: maybeAdd's
     * {@code when < wakeTime} test before wakeNetPoller).
     */
    static boolean addToCurrentP(Timer t) {
        M mp = Proc.getm();
        P pp = mp != null ? mp.p : null;
        boolean own = pp != null && pp.m == mp;
        for (;;) {
            if (!own) {
                // A plain thread is not stopped by stop-the-world: the P it picks may be removed
                // meanwhile. The dead mark, set under the heap lock when procresize empties a
                // removed P's heap, tells it to pick again.
                P[] ps = Proc.allp;
                pp = ps[ThreadLocalRandom.current().nextInt(ps.length)];
            }
            Timers ts = pp.timers;
            ts.mu.lock();
            try {
                if (!ts.dead) {
                    ts.add(t);
                    return t.heapIndex == 0;
                }
            } finally {
                ts.mu.unlock();
            }
            own = false;
        }
    }

    /** Adds t to the heap. mu must be held. */
    void add(Timer t) {
        if (len == heap.length) {
            heap = Arrays.copyOf(heap, len * 2);
            whens = Arrays.copyOf(whens, len * 2);
        }
        heap[len] = t;
        whens[len] = t.when;
        t.heapIndex = len;
        t.ts = this;
        len++;
        siftUp(len - 1);
        minWhen = whens[0];
    }

    /** Removes t (which is in this heap). mu must be held. */
    void remove(Timer t) {
        int i = t.heapIndex;
        int last = len - 1;
        Timer moved = heap[last];
        heap[last] = null;
        len = last;
        // ts last, and volatile: Timer.removeLocked reads ts without our lock, and a timer it
        // sees out of every heap may at once be added to another heap, which sets heapIndex. Our
        // own write of heapIndex must not land after that (it did when ts was cleared first).
        t.heapIndex = -1;
        t.ts = null;
        if (i != last) {
            heap[i] = moved;
            whens[i] = whens[last];
            moved.heapIndex = i;
            siftDown(i);
            siftUp(moved.heapIndex);
        }
        minWhen = len == 0 ? 0 : whens[0];
    }

    /**
     * Go: wakeNetPoller. A timer for {@code when} was added: if an M is asleep as the poller until
     * later than that, wake it so it recomputes its deadline; if none is, start a spinner, which
     * will take that role if it finds nothing else to do.
     */
    static void wakeNetPoller(long when) {
        if (sched.lastpoll.get() == 0) {
            long pu = sched.pollUntil;
            if (pu == 0 || pu > when) {
                Proc.netpollBreak();
            }
        } else {
            Proc.wakep();
        }
    }

    // ---------------------------------------------------------------- running

    /**
     * Go: (*timers).check. Runs the timers due at {@code now} (their functions run with no lock
     * held, on this M, usually with a P; sysmon runs overdue ones without) and returns the next
     * wake time, or 0 if the heap is empty.
     * Sets {@code ran[0]} if any timer ran.
     */
    long check(long now, boolean[] ran) {
        if (minWhen == 0 || minWhen > now) {
            return minWhen;
        }
        for (;;) {
            Timer t;
            long seq;
            long when;
            mu.lock();
            try {
                if (len == 0) {
                    return 0;
                }
                t = heap[0];
                when = whens[0];
                if (when > now) {
                    return when;
                }
                seq = t.seq;
                if (t.chan != null) {
                    // Before remove() clears t.ts: stop reads ts == null without our lock, and must
                    // then see this mark (both volatile: the order of the two writes is kept).
                    t.inFlightSeq = seq; // until this firing's SEND_TIME runs (Timer.removeLocked)
                }
                if (t.period > 0) {
                    // Go: skip the ticks we missed. when + period * (1 + delay/period). The timer
                    // stays in the heap, re-sorted in place (so does Go's): taking it
                    // out and adding it back would show ts == null to a stop or reset between the
                    // two, which would then take it for fired and leave it ticking, or add it to
                    // a second heap.
                    long delay = now - when;
                    long next = when + t.period * (1 + delay / t.period);
                    t.when = next < when ? Long.MAX_VALUE : next; // saturate on overflow
                    whens[t.heapIndex] = t.when;
                    siftDown(t.heapIndex);
                    minWhen = whens[0];
                } else {
                    remove(t);
                }
            } finally {
                mu.unlock();
            }
            if (ran != null) {
                ran[0] = true;
            }
            t.f.run(t.arg, seq, now - when);
        }
    }

    /**
     * Go: (*timers).take. Moves every timer of a removed P to this heap and marks src dead, so no
     * timer is added to it afterwards. Both mu are taken here, src first; only procresize (world
     * stopped) and sysmon filling a replacement P that nobody can see yet hold two heap locks, so
     * the order cannot deadlock. A moved timer's {@code ts} goes straight from src to this heap,
     * never through null: Timer.removeLocked reads ts without a lock and takes null to mean
     * "fired".
     */
    void take(Timers src) {
        src.mu.lock();
        mu.lock();
        try {
            for (int i = 0; i < src.len; i++) {
                Timer t = src.heap[i];
                src.heap[i] = null;
                add(t); // sets t.ts = this
            }
            src.len = 0;
            src.minWhen = 0;
            src.dead = true;
        } finally {
            mu.unlock();
            src.mu.unlock();
        }
    }

    /** Set (under mu) when this P was removed and its timers moved; cleared when it is reused. */
    boolean dead;

    // ---------------------------------------------------------------- the 4-ary heap

    private void siftUp(int i) {
        Timer[] h = heap;
        long[] w = whens;
        Timer t = h[i];
        long when = w[i];
        while (i > 0) {
            int p = (i - 1) / timerHeapN;
            long pw = w[p];
            if (pw <= when) {
                break;
            }
            Timer pt = h[p];
            h[i] = pt;
            w[i] = pw;
            pt.heapIndex = i;
            i = p;
        }
        h[i] = t;
        w[i] = when;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        Timer[] h = heap;
        long[] w = whens;
        int n = len;
        Timer t = h[i];
        long when = w[i];
        for (;;) {
            int c = i * timerHeapN + 1;
            if (c >= n) {
                break;
            }
            int best = c;
            long bw = w[c];
            int end = Math.min(c + timerHeapN, n);
            for (int k = c + 1; k < end; k++) {
                if (w[k] < bw) {
                    best = k;
                    bw = w[k];
                }
            }
            if (bw >= when) {
                break;
            }
            Timer bt = h[best];
            h[i] = bt;
            w[i] = bw;
            bt.heapIndex = i;
            i = best;
        }
        h[i] = t;
        w[i] = when;
        t.heapIndex = i;
    }

    int size() {
        return len;
    }
}
