package dev.gort.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The ticket-based wait list behind sync.Cond (Go: runtime/sema.go {@code notifyList},
 * {@code notifyListAdd}, {@code notifyListWait}, {@code notifyListNotifyOne},
 * {@code notifyListNotifyAll}).
 *
 * <p>A waiter first takes a ticket ({@link #add}, an atomic increment of {@code wait}, done while
 * the caller still holds the Cond's lock), then releases the Cond's lock and waits for its ticket
 * ({@link #await}). {@code notify} is the next ticket to wake. Signal wakes exactly the waiter
 * holding ticket {@code notify} (it may not have queued yet: then it finds its ticket already
 * notified and does not sleep); broadcast wakes every ticket taken so far. So a wake-up is never
 * lost between releasing the Cond's lock and sleeping, and Signal wakes the longest waiter. Ticket
 * arithmetic wraps, compared as Go does ({@link #less}).
 */
final class NotifyList {
    /** The next ticket to hand out; atomic (WAIT), incremented without the lock. */
    private volatile int wait;
    /** The next ticket to notify; written under lock, read without it. */
    private volatile int notify;
    /** Protects the list and the writes of notify. */
    private final Lock lock = new Lock();
    /** Waiters in ticket order (tickets are taken in order, queued roughly in order); under lock. */
    private Sema.Waiter head;
    private Sema.Waiter tail;

    /** Go: notifyListAdd. Takes the caller's ticket; call while holding the Cond's lock. */
    int add() {
        return (int) WAIT.getAndAdd(this, 1);
    }

    /** Go: notifyListWait. Waits until ticket t is notified (at once if it already was). */
    void await(int t) {
        lock.lock();
        if (less(t, notify)) {
            lock.unlock(); // notified between add and now
            return;
        }
        Sema.Waiter w = Sema.Waiter.current();
        w.ticket = t;
        w.acquiretime = System.nanoTime();
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        w.parkUnlock(lock, WaitReason.SyncCondWait);
    }

    /** Go: notifyListNotifyAll. Wakes every waiter that has a ticket. */
    void notifyAllTickets() {
        // Fast path: no ticket taken since the last notification.
        if (wait == notify) {
            return;
        }
        lock.lock();
        Sema.Waiter s = head;
        head = null;
        tail = null;
        notify = wait;
        lock.unlock();
        while (s != null) {
            Sema.Waiter next = s.next;
            s.next = null;
            s.ready();
            s = next;
        }
    }

    /** Go: notifyListNotifyOne. Wakes the waiter with the oldest unnotified ticket. */
    void notifyOne() {
        if (wait == notify) {
            return;
        }
        lock.lock();
        int t = notify;
        if (t == wait) {
            lock.unlock();
            return;
        }
        notify = t + 1;
        // Find ticket t. It may not be queued yet (its owner is between add and await): then the
        // owner sees notify > t in await and does not sleep.
        for (Sema.Waiter p = null, s = head; s != null; p = s, s = s.next) {
            if (s.ticket == t) {
                Sema.Waiter n = s.next;
                if (p != null) {
                    p.next = n;
                } else {
                    head = n;
                }
                if (n == null) {
                    tail = p;
                }
                lock.unlock();
                s.next = null;
                s.ready();
                return;
            }
        }
        lock.unlock();
    }

    /** Go: less. Whether ticket a comes before b, with wrap-around. */
    static boolean less(int a, int b) {
        return a - b < 0;
    }

    private static final VarHandle WAIT;

    static {
        try {
            WAIT = MethodHandles.lookup().findVarHandle(NotifyList.class, "wait", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
