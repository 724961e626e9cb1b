package dev.gort.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** sync.Cond (Go: sync/cond_test.go TestCondSignal, TestCondSignalGenerations, TestCondBroadcast, TestCondSignalStealing). */
class CondTest {

    /** Waiters registered so far (protected by the Cond's mutex). */
    private int waiting;

    /** Waits, from the test's plain thread, until n waiters have taken their tickets. */
    private void awaitWaiting(Mutex mu, int n) {
        Workers.eventually(n + " waiters in Cond.await", () -> {
            mu.lock();
            try {
                return waiting == n; // each waiter counted itself and took a ticket under mu
            } finally {
                mu.unlock();
            }
        });
    }

    /**
     * Go: TestCondSignal and TestCondSignalGenerations. Waiters queue one after another (goroutines
     * and plain threads alternating); each signal wakes exactly one, the longest waiting.
     */
    @Test
    void signalWakesOneInArrivalOrder() {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        assertSame(mu, c.l());
        waiting = 0;
        int n = 10;
        List<Integer> wokeOrder = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger woken = new AtomicInteger();
        Workers w = new Workers();
        for (int i = 0; i < n; i++) {
            int id = i;
            Runnable waiter = () -> {
                mu.lock();
                waiting++;
                c.await();
                wokeOrder.add(id);
                woken.incrementAndGet();
                mu.unlock();
            };
            if (i % 3 == 2) {
                w.thread(waiter);
            } else {
                w.go(waiter);
            }
            awaitWaiting(mu, i + 1); // the next waiter queues behind this one
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i, woken.get(), "woken before signal " + i);
            if (i % 2 == 0) {
                mu.lock();
                c.signal(); // holding L is allowed
                mu.unlock();
            } else {
                c.signal(); // and not required
            }
            int expect = i + 1;
            Workers.eventually("signal " + i + " wakes a waiter", () -> woken.get() >= expect);
            assertEquals(expect, woken.get(), "one signal woke more than one waiter");
        }
        w.await();
        List<Integer> order = new ArrayList<>(wokeOrder);
        for (int i = 0; i < n; i++) {
            assertEquals(i, order.get(i), "wake-up order " + order);
        }
    }

    /** Go: TestCondBroadcast. One broadcast wakes every waiter, goroutines and threads. */
    @Test
    void broadcastWakesAll() {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        waiting = 0;
        int goroutines = 40;
        int threads = 3;
        AtomicInteger woken = new AtomicInteger();
        boolean[] ready = {false};
        Workers w = new Workers();
        Runnable waiter = () -> {
            mu.lock();
            waiting++;
            while (!ready[0]) { // the usual loop around Wait
                c.await();
            }
            woken.incrementAndGet();
            mu.unlock();
        };
        for (int i = 0; i < goroutines; i++) {
            w.go(waiter);
        }
        for (int i = 0; i < threads; i++) {
            w.thread(waiter);
        }
        awaitWaiting(mu, goroutines + threads);
        Workers.eventually("goroutines parked in sync.Cond.Wait",
                () -> Workers.waitingIn("sync.Cond.Wait") == goroutines);
        assertEquals(0, woken.get());
        mu.lock();
        ready[0] = true;
        c.broadcast();
        mu.unlock();
        w.await();
        assertEquals(goroutines + threads, woken.get());
        c.broadcast(); // nobody waits: a no-op
        c.signal();
    }

    /**
     * Go: TestCondSignalStealing. A signal belongs to a waiter that took its ticket before it; a
     * waiter arriving after the signal must not steal it.
     */
    @Test
    void signalIsNotStolenByLaterWaiter() {
        Mutex mu = new Mutex();
        Cond c = new Cond(mu);
        waiting = 0;
        AtomicInteger firstWoke = new AtomicInteger();
        AtomicInteger secondWoke = new AtomicInteger();
        Workers w = new Workers();
        w.go(() -> {
            mu.lock();
            waiting++;
            c.await();
            firstWoke.incrementAndGet();
            mu.unlock();
        });
        awaitWaiting(mu, 1);
        mu.lock();
        c.signal(); // for the first waiter, which may not even have parked yet
        mu.unlock();
        w.go(() -> {
            mu.lock();
            waiting++;
            c.await();
            secondWoke.incrementAndGet();
            mu.unlock();
        });
        awaitWaiting(mu, 2);
        Workers.eventually("first waiter woken", () -> firstWoke.get() == 1);
        Workers.eventually("second waiter parked", () -> Workers.waitingIn("sync.Cond.Wait") == 1);
        assertEquals(0, secondWoke.get(), "the later waiter stole the signal");
        c.broadcast();
        w.await();
        assertEquals(1, secondWoke.get());
    }

    /** Signals and broadcasts racing many waiters that loop on a predicate: nobody is left behind. */
    @Test
    void producerConsumerStress() {
        Mutex mu = new Mutex();
        Cond notEmpty = new Cond(mu);
        int[] queued = {0};
        int items = 20_000;
        int consumers = 8;
        AtomicInteger consumed = new AtomicInteger();
        boolean[] closed = {false};
        Workers w = new Workers();
        for (int i = 0; i < consumers; i++) {
            Runnable consumer = () -> {
                for (;;) {
                    mu.lock();
                    while (queued[0] == 0 && !closed[0]) {
                        notEmpty.await();
                    }
                    if (queued[0] == 0) {
                        mu.unlock();
                        return;
                    }
                    queued[0]--;
                    mu.unlock();
                    consumed.incrementAndGet();
                }
            };
            if (i == 0) {
                w.thread(consumer);
            } else {
                w.go(consumer);
            }
        }
        w.go(() -> {
            for (int i = 0; i < items; i++) {
                mu.lock();
                queued[0]++;
                notEmpty.signal();
                mu.unlock();
            }
            mu.lock();
            closed[0] = true;
            notEmpty.broadcast();
            mu.unlock();
        });
        w.await();
        assertEquals(items, consumed.get());
    }

    @Test
    void needsAMutex() {
        assertThrows(NullPointerException.class, () -> new Cond(null));
        Cond c = new Cond(new Mutex());
        c.signal(); // nobody waits: no-ops
        c.broadcast();
    }
}
