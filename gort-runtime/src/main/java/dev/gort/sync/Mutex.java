package dev.gort.sync;

import dev.gort.internal.runtime.Linkname;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@code sync.Mutex}: a mutual exclusion lock. The zero value (a new Mutex) is unlocked. Not
 * reentrant, and not owned: one goroutine (or thread) may lock it and another unlock it, as in Go.
 * A goroutine waiting for it parks (its thread runs other goroutines); a plain Java thread waiting
 * for it blocks.
 *
 * <p>Go's algorithm (internal/sync/mutex.go), with its two modes.
 *
 * <p><b>Normal mode.</b> Waiters queue in FIFO order on a semaphore, but a woken waiter does not
 * own the mutex: it competes with goroutines just arriving, which have the advantage of already
 * running on a CPU and usually win. A woken waiter that loses is queued again at the front. While
 * the mutex is held and other Ps are busy, a locker first spins briefly (at most 4 rounds of 30
 * pause instructions) in case the holder is about to unlock. Normal mode performs best: a goroutine
 * can take the mutex several times in a row even with waiters queued.
 *
 * <p><b>Starvation mode.</b> A waiter that has failed to get the mutex for more than 1 ms switches
 * the mutex to starvation mode. Then Unlock hands ownership directly to the waiter at the front of
 * the queue, which runs at once on the unlocker's P in its time slice; newcomers neither spin nor
 * try to take the mutex, they queue at the tail. The waiter that receives the mutex switches back
 * to normal mode if it is the last waiter or if it waited less than 1 ms. Starvation mode keeps
 * tail latency bounded.
 *
 * <p>State word: bit 0 locked, bit 1 woken (a waiter has been woken or a spinner is about to take
 * the mutex, so Unlock need not wake anyone), bit 2 starving, bits 3 and up the number of queued
 * waiters.
 */
public final class Mutex {
    static final int mutexLocked = 1;
    static final int mutexWoken = 1 << 1;
    static final int mutexStarving = 1 << 2;
    static final int mutexWaiterShift = 3;
    /** Go: starvationThresholdNs. A waiter that waited longer than this starves the mutex. */
    static final long starvationThresholdNs = 1_000_000;

    /** locked | woken | starving | waiters << mutexWaiterShift; atomic (STATE). */
    private volatile int state;
    /** The semaphore waiters sleep on; made on first contention (SEMA). */
    private volatile Object sema;

    /** Locks the mutex, waiting (parking the goroutine) until it is available. */
    public void lock() {
        // Fast path: an unlocked mutex with nobody waiting.
        if (STATE.compareAndSet(this, 0, mutexLocked)) {
            return;
        }
        lockSlow();
    }

    /**
     * Takes the mutex if it is free, without waiting. As Go's documentation says, correct uses of
     * this are rare.
     */
    public boolean tryLock() {
        int old = state;
        if ((old & (mutexLocked | mutexStarving)) != 0) {
            return false;
        }
        // There may be waiters wanting the mutex, but we are running now and may try to take it
        // before one of them wakes up.
        return STATE.compareAndSet(this, old, old | mutexLocked);
    }

    private void lockSlow() {
        long waitStartTime = 0;
        boolean starving = false;
        boolean awoke = false; // we were woken (or claimed the woken bit while spinning)
        int iter = 0;
        int old = state;
        for (;;) {
            // Spin only while the mutex is held in normal mode: in starvation mode it goes to the
            // waiters, so spinning cannot win it.
            if ((old & (mutexLocked | mutexStarving)) == mutexLocked && Linkname.canSpin(iter)) {
                // Set the woken bit if nobody else is woken and someone waits, so Unlock does not
                // wake a waiter that would only compete with us.
                if (!awoke && (old & mutexWoken) == 0 && (old >>> mutexWaiterShift) != 0
                        && STATE.compareAndSet(this, old, old | mutexWoken)) {
                    awoke = true;
                }
                Linkname.doSpin();
                iter++;
                old = state;
                continue;
            }
            int next = old;
            if ((old & mutexStarving) == 0) {
                next |= mutexLocked; // never take a starving mutex: newcomers queue
            }
            if ((old & (mutexLocked | mutexStarving)) != 0) {
                next += 1 << mutexWaiterShift; // we are going to wait
            }
            // Switch to starvation mode if we have waited too long, but only while the mutex is
            // held: an unlocked mutex in starvation mode would be waiting for an Unlock that never
            // comes to hand it over.
            if (starving && (old & mutexLocked) != 0) {
                next |= mutexStarving;
            }
            if (awoke) {
                // We are the woken one: whatever happens next, clear the bit.
                if ((next & mutexWoken) == 0) {
                    throw Linkname.fatal("sync: inconsistent mutex state");
                }
                next &= ~mutexWoken;
            }
            if (!STATE.compareAndSet(this, old, next)) {
                old = state;
                continue;
            }
            if ((old & (mutexLocked | mutexStarving)) == 0) {
                return; // took the free mutex with the CAS
            }
            // Wait on the semaphore; a waiter that waited before goes back to the front.
            boolean queueLifo = waitStartTime != 0;
            if (waitStartTime == 0) {
                waitStartTime = System.nanoTime();
            }
            Linkname.semacquireMutex(sema(), queueLifo);
            starving = starving || System.nanoTime() - waitStartTime > starvationThresholdNs;
            old = state;
            if ((old & mutexStarving) != 0) {
                // Starvation mode: Unlock handed the mutex to us. It left the state inconsistent
                // (locked is clear, we are still counted as a waiter): fix that.
                if ((old & (mutexLocked | mutexWoken)) != 0 || (old >>> mutexWaiterShift) == 0) {
                    throw Linkname.fatal("sync: inconsistent mutex state");
                }
                int delta = mutexLocked - (1 << mutexWaiterShift);
                if (!starving || (old >>> mutexWaiterShift) == 1) {
                    // Leave starvation mode: we did not wait long, or nobody else waits. Staying in
                    // it would force a hand-off on every Unlock, which is slow, and a last waiter
                    // in starvation mode would leave newcomers queueing behind nobody.
                    delta -= mutexStarving;
                }
                STATE.getAndAdd(this, delta);
                return;
            }
            awoke = true;
            iter = 0;
        }
    }

    /**
     * Unlocks the mutex. Unlocking a mutex that is not locked is a fatal error
     * ({@code fatal error: sync: unlock of unlocked mutex}, exit status 2), as in Go: it cannot be
     * caught.
     */
    public void unlock() {
        // Fast path: drop the locked bit.
        int next = (int) STATE.getAndAdd(this, -mutexLocked) - mutexLocked;
        if (next != 0) {
            // Waiters, or a misuse: the slow path sorts it out (kept out of line so the fast path
            // stays small enough to inline).
            unlockSlow(next);
        }
    }

    private void unlockSlow(int next) {
        if (((next + mutexLocked) & mutexLocked) == 0) {
            throw Linkname.fatal("sync: unlock of unlocked mutex");
        }
        if ((next & mutexStarving) != 0) {
            // Starvation mode: hand ownership to the first waiter and yield our time slice to it.
            // The locked bit stays clear; the waiter sets it. Newcomers see the starving bit and
            // queue, so nobody takes the mutex in between.
            Linkname.semrelease(sema(), true);
            return;
        }
        int old = next;
        for (;;) {
            // Nobody to wake, or someone already woken, or the mutex already re-taken (then that
            // locker will unlock and wake), or starvation mode started (the hand-off happens then).
            if ((old >>> mutexWaiterShift) == 0 || (old & (mutexLocked | mutexWoken | mutexStarving)) != 0) {
                return;
            }
            // Take one waiter off the count and mark it woken, then wake it.
            int woken = (old - (1 << mutexWaiterShift)) | mutexWoken;
            if (STATE.compareAndSet(this, old, woken)) {
                Linkname.semrelease(sema(), false);
                return;
            }
            old = state;
        }
    }

    private Object sema() {
        Object s = sema;
        if (s == null) {
            s = Linkname.newSema();
            if (!SEMA.compareAndSet(this, null, s)) {
                s = sema;
            }
        }
        return s;
    }

    /** The state word (tests). */
    int state() {
        return state;
    }

    @Override
    public String toString() {
        int s = state;
        return "Mutex[" + ((s & mutexLocked) != 0 ? "locked" : "unlocked")
                + ((s & mutexStarving) != 0 ? ", starving" : "")
                + ", waiters=" + (s >>> mutexWaiterShift) + "]";
    }

    private static final VarHandle STATE;
    private static final VarHandle SEMA;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Mutex.class, "state", int.class);
            SEMA = l.findVarHandle(Mutex.class, "sema", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
