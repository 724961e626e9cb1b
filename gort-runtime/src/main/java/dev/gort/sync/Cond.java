package dev.gort.sync;

import dev.gort.internal.runtime.Linkname;

/**
 * {@code sync.Cond}: a rendezvous point for goroutines waiting for or announcing an event. Each
 * Cond has a {@link Mutex} {@code L}, held while changing the condition and while calling
 * {@link #await}. Waiting parks goroutines (and blocks plain threads).
 *
 * <p>As in Go (sync/cond.go over runtime/sema.go's notifyList), waiters take a ticket before they
 * release {@code L}; {@link #signal} wakes the waiter with the oldest unnotified ticket and
 * {@link #broadcast} every ticket taken so far. A wake-up that comes between {@code L}'s release
 * and the waiter's sleep is not lost. There are no spurious wake-ups, but as in Go the condition
 * must still be re-checked in a loop: another goroutine may change it between the wake-up and
 * re-locking {@code L}.
 * <pre>
 * c.l().lock();            // or keep your own reference to the Mutex
 * while (!condition()) {
 *     c.await();
 * }
 * ... use the condition ...
 * c.l().unlock();
 * </pre>
 */
public final class Cond {
    private final Mutex l;
    private final Object notify = Linkname.newNotifyList();

    /** Go: {@code sync.NewCond(l)}. */
    public Cond(Mutex l) {
        if (l == null) {
            throw new NullPointerException("l");
        }
        this.l = l;
    }

    /** The Mutex held while observing or changing the condition (Go: {@code c.L}). */
    public Mutex l() {
        return l;
    }

    /**
     * {@code c.Wait()}: atomically unlocks {@code L} and suspends the caller; after a
     * {@link #signal} or {@link #broadcast} wakes it, locks {@code L} again before returning.
     * The caller must hold {@code L}.
     */
    public void await() {
        int t = Linkname.notifyListAdd(notify);
        l.unlock();
        Linkname.notifyListWait(notify, t);
        l.lock();
    }

    /** {@code c.Signal()}: wakes one waiting goroutine, if there is any. Holding L is allowed, not required. */
    public void signal() {
        Linkname.notifyListNotifyOne(notify);
    }

    /** {@code c.Broadcast()}: wakes all waiting goroutines. Holding L is allowed, not required. */
    public void broadcast() {
        Linkname.notifyListNotifyAll(notify);
    }
}
