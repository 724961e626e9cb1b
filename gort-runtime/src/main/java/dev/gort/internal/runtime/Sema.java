package dev.gort.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The runtime semaphore behind package sync (Go: runtime/sema.go {@code semacquire1},
 * {@code semrelease1}, {@code cansemacquire}): a sleep/wake-up primitive used like a futex. Every
 * acquire is paired with one release, even when the release comes first. Parks goroutines (never
 * their M) and blocks plain Java threads.
 *
 * <p>State, as in Go: {@code count} (Go: {@code *addr}), an atomic count of available units;
 * {@code nwait}, an atomic count of waiters, so a release with nobody waiting never touches the
 * lock; and a FIFO of waiters under a runtime {@link Lock}.
 *
 * <p>Acquire: take a unit with a CAS if there is one ({@link #cansemacquire}); else, under the
 * lock, count yourself in {@code nwait}, retry once, and enqueue and park (goparkunlock). Woken,
 * you own a unit if the releaser handed one over ({@code ticket}); else you compete for it again
 * and may go back to sleep. Release: add a unit; if {@code nwait} is 0, done; else dequeue the
 * first waiter and wake it. With {@code handoff} the releaser takes the unit back out on the
 * waiter's behalf ({@code ticket = 1}), and, on a goroutine, yields its time slice: the woken
 * goroutine went into this P's runnext and the releaser to the tail of the local queue, so the
 * waiter runs next, on this P (Go issue 33747).
 *
 * <p>No lost wake-up: the acquirer increments {@code nwait} and then re-reads {@code count},
 * both under the lock; the releaser increments {@code count} and then reads {@code nwait}
 * (volatile accesses, sequentially consistent): one of them sees the other. If the releaser sees a
 * waiter, it takes the lock, under which {@code nwait} equals the queue's length, so the waiter is
 * queued and fully parked (a parking goroutine's M releases the lock only after the continuation
 * yielded).
 *
 * <p>Deviation from Go: Go keys semaphores by address into a table of 251 roots, each a treap of
 * per-address wait lists. Java has no addresses, so every sync object owns its Sema with its own
 * lock and list (no false sharing of a root between unrelated objects, one object more per
 * contended sync object). A blocking acquire allocates its {@link Waiter} (Go recycles sudogs
 * through per-P caches; here the allocation is small next to a park). Plain Java threads wait here
 * too (Go has no such callers).
 */
final class Sema {
    /** Available units (Go: the uint32 at addr); atomic (COUNT). */
    private volatile int count;
    /** Waiters queued or about to queue (Go: semaRoot.nwait); written under lock, read without. */
    private volatile int nwait;
    /** Protects the wait list (Go: semaRoot.lock). */
    private final Lock lock = new Lock();
    /** FIFO of waiters; protected by lock. */
    private Waiter head;
    private Waiter tail;

    /** How {@link #acquire0} got its unit (for tests and the jcstress litmus tests). */
    static final int ACQ_FAST = 1; // the first CAS, no lock
    static final int ACQ_RETRY = 2; // the re-check under the lock, after counting in nwait
    static final int ACQ_HANDOFF = 3; // woken with the unit handed over (ticket)
    static final int ACQ_WOKEN = 4; // woken without a ticket, then won the CAS

    Sema(int initial) {
        this.count = initial;
    }

    /**
     * A waiting goroutine or plain thread (Go: the fields of {@code sudog} a semaphore and a
     * notify list use). Fields other than {@link #woken} are written by the waker under the list's
     * lock or before it wakes the waiter, and read by the waiter after it is woken: goready's
     * status CAS publishes them to a goroutine, the volatile {@code woken} to a plain thread.
     */
    static final class Waiter {
        /** The parked goroutine, or null for a plain thread. */
        final G g;
        /** The blocked plain thread when g is null. */
        final Thread thread;
        /** Sema: 1 once a releaser handed a unit over. NotifyList: the waiter's ticket number. */
        int ticket;
        /** When the waiter first queued (nanoTime; Go: sudog.acquiretime). */
        long acquiretime;
        /** Wakes a plain thread; goroutines are woken by goready. */
        volatile boolean woken;
        /** Wait-list link; protected by the list's lock. */
        Waiter next;

        Waiter(G g, Thread thread) {
            this.g = g;
            this.thread = thread;
        }

        /** The current goroutine's or plain thread's waiter. */
        static Waiter current() {
            G gp = Proc.getg();
            return gp != null ? new Waiter(gp, null) : new Waiter(null, Proc.carrier());
        }

        /**
         * Releases {@code lock} and sleeps until {@link #ready}: a goroutine parks (goparkunlock), a
         * plain thread blocks. Call with lock held, after putting this waiter on the list it guards.
         */
        void parkUnlock(Lock lock, int reason) {
            if (g != null) {
                Proc.gopark(Proc.PARKUNLOCK, lock, reason);
                return;
            }
            lock.unlock();
            boolean interrupted = false;
            while (!woken) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true; // a runtime wait is not interruptible; keep the flag for the caller
                }
            }
            if (interrupted) {
                thread.interrupt();
            }
        }

        /** Wakes the waiter (Go: readyWithTime). Call without the list's lock (never ready under a lock). */
        void ready() {
            if (g != null) {
                Proc.goready(g);
            } else {
                Thread t = thread;
                woken = true;
                LockSupport.unpark(t);
            }
        }
    }

    /** Go: cansemacquire. Takes a unit if one is available, without waiting. */
    boolean cansemacquire() {
        for (;;) {
            int v = count;
            if (v == 0) {
                return false;
            }
            if (COUNT.compareAndSet(this, v, v - 1)) {
                return true;
            }
        }
    }

    /** Takes one unit, waiting at the tail of the queue if there is none. */
    void acquire(int reason) {
        acquire0(false, reason);
    }

    /**
     * Go: semacquire1. Takes one unit, waiting if there is none; {@code lifo} queues at the front
     * (a sync.Mutex waiter that has waited before). {@code reason} shows in goroutine dumps.
     */
    void acquire(boolean lifo, int reason) {
        acquire0(lifo, reason);
    }

    /** {@link #acquire(boolean, int)}, returning how the unit was obtained (ACQ_*). */
    int acquire0(boolean lifo, int reason) {
        if (cansemacquire()) {
            return ACQ_FAST;
        }
        Waiter w = Waiter.current();
        w.acquiretime = System.nanoTime();
        for (;;) {
            lock.lock();
            nwait = nwait + 1; // under lock: a plain volatile store is an atomic increment here
            // Re-check after counting in: a release that added its unit before it could see us.
            if (cansemacquire()) {
                nwait = nwait - 1;
                lock.unlock();
                return ACQ_RETRY;
            }
            enqueue(w, lifo);
            w.parkUnlock(lock, reason);
            if (w.ticket != 0) {
                return ACQ_HANDOFF;
            }
            if (cansemacquire()) {
                return ACQ_WOKEN;
            }
            // Someone barged in ahead of us: wait again (Go re-queues with the same lifo).
            w.woken = false;
        }
    }

    /**
     * Returns one unit with direct hand-off to the first waiter but without yielding: Go's
     * startTheWorld releases worldsema so (semrelease1 with handoff, under acquirem so it does not
     * give away its time slice), to be as fair as possible to the next stop-the-world.
     */
    void release() {
        release0(true, false);
    }

    /**
     * Go: semrelease1. Returns one unit and wakes the first waiter, if any. With {@code handoff}
     * the unit goes directly to that waiter, and a releasing goroutine yields so the waiter runs
     * at once on this P, in this time slice. Without it, the woken waiter competes for the unit.
     */
    void release(boolean handoff) {
        release0(handoff, true);
    }

    private void release0(boolean handoff, boolean yieldToWaiter) {
        COUNT.getAndAdd(this, 1);
        if (nwait == 0) {
            return; // nobody waits, or a waiter will find our unit on its re-check
        }
        lock.lock();
        if (nwait == 0) {
            lock.unlock(); // the waiters took units on their own
            return;
        }
        Waiter w = head;
        if (w == null) {
            lock.unlock();
            throw Proc.fatal("semrelease: nwait " + nwait + " with no waiter queued");
        }
        head = w.next;
        if (head == null) {
            tail = null;
        }
        w.next = null;
        nwait = nwait - 1;
        lock.unlock();
        if (w.ticket != 0) {
            throw Proc.fatal("corrupted semaphore ticket");
        }
        boolean handed = handoff && cansemacquire();
        if (handed) {
            w.ticket = 1; // the waiter owns this unit; published by the wake-up below
        }
        boolean goroutineWaiter = w.g != null;
        w.ready();
        // Direct G hand-off: the waiter is in our runnext; go to the local queue's tail so it runs
        // now. Only for a goroutine waiter (a plain thread does not run on our P) and only on a
        // goroutine (a plain thread or an M's scheduler code has no time slice to give).
        if (handed && yieldToWaiter && goroutineWaiter && Proc.getg() != null) {
            Proc.goyield();
        }
    }

    private void enqueue(Waiter w, boolean lifo) {
        if (head == null) {
            head = w;
            tail = w;
        } else if (lifo) {
            w.next = head;
            head = w;
        } else {
            tail.next = w;
            tail = w;
        }
    }

    // ---- for tests

    /** The available units (racy snapshot). */
    int count() {
        return count;
    }

    /** The waiter count (racy snapshot). */
    int nwait() {
        return nwait;
    }

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(Sema.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
