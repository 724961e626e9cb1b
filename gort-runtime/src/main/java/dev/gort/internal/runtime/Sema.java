package dev.gort.internal.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * A counting semaphore that parks goroutines (never their M) and blocks plain Java threads
 * (Go: runtime/sema.go {@code semacquire}/{@code semrelease}, reduced to one FIFO wait list per
 * semaphore; Go hashes addresses into a 251-root treap, which the channels-and-sync issue ports).
 *
 * <p>Release with waiters hands the unit directly to the first waiter (Go's {@code handoff}), so
 * a releaser cannot barge back in ahead of a woken waiter. {@link #lock} protects {@code count} and
 * the list; a parking goroutine releases it from its M after it has yielded (goparkunlock), so a
 * releaser never sees a half-parked waiter.
 */
final class Sema {
    private final Lock lock = new Lock();
    /** Available units; protected by lock. */
    private int count;
    /** FIFO of waiters; protected by lock. */
    private Waiter head;
    private Waiter tail;

    private static final class Waiter {
        G g; // a parked goroutine, or
        Thread thread; // a blocked plain thread
        volatile boolean granted;
        Waiter next;
    }

    Sema(int initial) {
        this.count = initial;
    }

    /** Takes one unit, waiting if there is none. {@code reason} shows in goroutine dumps. */
    void acquire(int reason) {
        lock.lock();
        if (count > 0) {
            count--;
            lock.unlock();
            return;
        }
        Waiter w = new Waiter();
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        G gp = Proc.getg();
        if (gp != null) {
            w.g = gp;
            Proc.gopark(Proc.PARKUNLOCK, lock, reason);
            // Woken by release, which handed us the unit.
            return;
        }
        w.thread = Proc.carrier();
        lock.unlock();
        boolean interrupted = false;
        while (!w.granted) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true; // a runtime wait is not interruptible; keep the flag for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns one unit, handing it to the first waiter if there is one. */
    void release() {
        lock.lock();
        Waiter w = head;
        if (w == null) {
            count++;
            lock.unlock();
            return;
        }
        head = w.next;
        if (head == null) {
            tail = null;
        }
        lock.unlock();
        if (w.g != null) {
            Proc.goready(w.g);
        } else {
            w.granted = true;
            LockSupport.unpark(w.thread);
        }
    }
}
