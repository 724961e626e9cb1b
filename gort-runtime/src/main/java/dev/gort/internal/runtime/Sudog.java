package dev.gort.internal.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * A waiter on a channel (Go: runtime2.go {@code sudog}): one goroutine (or plain Java thread)
 * blocked in one channel operation; a select has one per case.
 *
 * <p>Fields are protected by the lock of the channel whose queue holds the sudog ({@code c.lock});
 * the waiter reads them after it is woken, which the wake-up publishes (goready's status CAS, or
 * the volatile {@link #ready} for a plain thread).
 *
 * <p>Recycled through a per-P cache (Go: {@code p.sudogcache}, acquireSudog/releaseSudog).
 */
final class Sudog {
    /** The parked goroutine, or null for a plain thread. */
    G g;
    /** The blocked plain thread when g is null. */
    Thread thread;
    /** Set (volatile) to wake a plain thread; goroutines are woken by goready instead. */
    volatile boolean ready;
    /** A send's value, or the value a receive got (Go: elem, a pointer into the waiter's stack). */
    Object elem;
    /** True if woken by a real value (or a real receiver), false if by close (Go: success). */
    boolean success;
    /** Wait-queue links (Go: next, prev). */
    Sudog next;
    Sudog prev;
    /** Non-null for a select's sudog: the state all its sudogs share (Go: isSelect + g.selectDone). */
    SelectState sel;
    /** The select case this sudog stands for. */
    int caseIndex;

    /** Wakes the waiter: goready for a goroutine, unpark for a plain thread. Call without c.lock. */
    void wake() {
        wake(Proc.getm());
    }

    /** wake() for a caller that already has the current M (or null on a plain thread). */
    void wake(M mp) {
        G gp = g;
        if (gp != null) {
            Proc.goready(gp, mp);
        } else {
            Thread t = thread;
            ready = true;
            SelectState st = sel;
            if (st != null) {
                st.ready = true;
            }
            LockSupport.unpark(t);
        }
    }

    /** Go: acquireSudog. From this P's cache when on an M with a P, else new. */
    static Sudog acquire(M mp) {
        P pp = mp != null ? mp.p : null;
        if (pp != null && pp.m == mp && pp.sudogcacheSize > 0) {
            int n = --pp.sudogcacheSize;
            Sudog sg = pp.sudogcache[n];
            pp.sudogcache[n] = null;
            return sg;
        }
        return new Sudog();
    }

    /** Go: releaseSudog. Clears it and returns it to this P's cache if there is room. */
    static void release(Sudog sg) {
        release(sg, Proc.getm());
    }

    /** release() for a caller that already has the current M (or null on a plain thread). */
    static void release(Sudog sg, M mp) {
        sg.g = null;
        sg.thread = null;
        sg.ready = false;
        sg.elem = null;
        sg.success = false;
        sg.next = null;
        sg.prev = null;
        sg.sel = null;
        P pp = mp != null ? mp.p : null;
        if (pp != null && pp.m == mp && pp.sudogcacheSize < pp.sudogcache.length) {
            pp.sudogcache[pp.sudogcacheSize++] = sg;
        }
    }
}
