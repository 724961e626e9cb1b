package dev.gort.internal.runtime;

/**
 * A runtime timer (Go: runtime/time.go {@code timer}): at {@code when} (and every {@code period}
 * after, if non-zero) the scheduler calls {@code f(arg, seq, delay)} on an M, outside any
 * goroutine. f must not block: it readies a goroutine, sends without blocking on a timer channel,
 * or starts a goroutine.
 *
 * <p>Locks: {@link #mu} protects this timer's fields while it is in no heap, and serializes
 * stop/reset with a concurrent firing. A timer in a heap is also protected by that heap's
 * {@code Timers.mu}. Order: {@code t.mu} before {@code ts.mu}; the heap's runner never holds
 * {@code ts.mu} while it takes {@code t.mu}.
 *
 * <p>{@link #seq} is bumped by every stop and reset; f receives the seq of the firing that called
 * it, and a channel timer's send is dropped if the seq has moved on (Go 1.23: after stop or reset
 * returns, no stale value is received).
 */
final class Timer {
    @FunctionalInterface
    interface Func {
        /** Called on an M with a P, without locks held. delay = how late the call is, in ns. */
        void run(Object arg, long seq, long delay);
    }

    final Lock mu = new Lock();
    /**
     * When to fire (Proc.nanotime units); under mu while in no heap, under ts.mu while heaped (a
     * ticker's firing moves it forward in place, Timers.check).
     */
    long when;
    /** Re-fire interval, or 0 for a one-shot timer. */
    long period;
    final Func f;
    /** f's argument; set once before the timer is first armed. */
    Object arg;
    /** Bumped by stop and reset; under mu. */
    long seq;
    /** The heap holding this timer, or null; written under that heap's mu, read under mu. */
    volatile Timers ts;
    /** Index in ts's heap; under ts.mu. */
    int heapIndex = -1;
    /**
     * The seq of a timer channel's firing that was taken off the heap and whose send has not run
     * yet, else -1: set by Timers.check (under ts.mu), cleared by that firing's SEND_TIME (under
     * mu) — only if it is still its own, so a stale firing cannot clear a newer one's mark.
     * Volatile: read under mu by stop and reset.
     */
    volatile long inFlightSeq = -1;
    /** A timer channel's channel (Go: isChan), for the stop/reset drain; else null. */
    final Hchan chan;

    Timer(Func f, Object arg, Hchan chan) {
        this.f = f;
        this.arg = arg;
        this.chan = chan;
    }

    /**
     * Go: (*timer).modify / reset. Arms the timer for {@code when} (and {@code period}); returns
     * whether it was pending before (not yet fired, not stopped).
     */
    boolean reset(long when, long period) {
        mu.lock();
        boolean pending;
        boolean first;
        try {
            pending = removeLocked();
            seq++;
            boolean drained = drainLocked();
            pending |= drained;
            this.when = when;
            this.period = period;
            first = Timers.addToCurrentP(this);
        } finally {
            mu.unlock();
        }
        if (first) {
            Timers.wakeNetPoller(when);
        }
        return pending;
    }

    /**
     * Go: (*timer).stop. Returns whether this call stopped the timer before it fired (with Go
     * 1.23's timer channels: a value that fired but was never received is taken back, and counts
     * as stopped).
     */
    boolean stop() {
        mu.lock();
        try {
            boolean pending = removeLocked();
            seq++;
            if (drainLocked()) {
                pending = true;
            }
            return pending;
        } finally {
            mu.unlock();
        }
    }

    /**
     * Removes this timer from its heap if it is in one; for a timer channel, also counts a firing
     * whose send has not happened yet as pending (the seq bump that follows cancels that send).
     * mu must be held.
     */
    private boolean removeLocked() {
        for (;;) {
            Timers h = ts;
            if (h == null) {
                // Not in a heap: pending only if the current arming's firing is still in flight.
                return chan != null && inFlightSeq == seq;
            }
            h.mu.lock();
            try {
                if (ts == h) {
                    h.remove(this);
                    return true;
                }
            } finally {
                h.mu.unlock();
            }
            // Between our read and the lock it fired, or procresize moved it to another P's heap
            // (Timers.take): look again.
        }
    }

    /** For a timer channel, takes back a value sent but not received. mu must be held. */
    private boolean drainLocked() {
        if (chan == null) {
            return false;
        }
        return chan.chanrecv(false) != Hchan.NOT_READY;
    }

    /**
     * The send of a timer channel (Go: sendTime): drops the value if the timer was stopped or reset
     * since this firing; never blocks (a ticker's tick is lost if the last one was not received).
     */
    static final Func SEND_TIME = (arg, seq, delay) -> {
        Timer t = (Timer) arg;
        t.mu.lock();
        try {
            if (t.inFlightSeq == seq) {
                t.inFlightSeq = -1;
            }
            if (t.seq != seq) {
                return; // stopped or reset since this firing: no stale value
            }
            t.chan.chansend(java.time.Instant.now().minusNanos(delay), false);
        } finally {
            t.mu.unlock();
        }
    };
}
