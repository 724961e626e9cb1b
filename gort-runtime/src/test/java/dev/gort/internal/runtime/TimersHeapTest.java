package dev.gort.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * White-box test of a P's 4-ary timer heap ({@link Timers}): random adds, removals from the middle
 * and firings against a plain list model. Checks that timers fire in {@code when} order, each
 * exactly once, that a removed timer never fires, and that {@code minWhen} always names the
 * earliest pending timer (the heap keeps each slot's when in a parallel array, which must stay in
 * step with the timers through every sift). The runtime is not started: check() calls f here.
 */
class TimersHeapTest {
    @Test
    void randomAddsRemovesAndFiringsKeepHeapOrder() {
        Random rnd = new Random(12345);
        Timers ts = new Timers();
        List<Timer> pending = new ArrayList<>();
        List<Timer> fired = new ArrayList<>();
        Timer.Func record = (arg, seq, delay) -> fired.add((Timer) arg);
        long now = 1;
        for (int op = 0; op < 200_000; op++) {
            int k = rnd.nextInt(10);
            if (k < 5 || pending.isEmpty()) {
                Timer t = new Timer(record, null, null);
                t.arg = t;
                t.when = now + 1 + rnd.nextInt(1000); // ties are common
                ts.mu.lock();
                try {
                    ts.add(t);
                } finally {
                    ts.mu.unlock();
                }
                pending.add(t);
            } else if (k < 7) {
                Timer t = pending.remove(rnd.nextInt(pending.size()));
                ts.mu.lock();
                try {
                    ts.remove(t);
                } finally {
                    ts.mu.unlock();
                }
                assertEquals(-1, t.heapIndex);
            } else {
                now += rnd.nextInt(40);
                fired.clear();
                long next = ts.check(now, null);
                long last = Long.MIN_VALUE;
                for (Timer t : fired) {
                    assertTrue(t.when <= now, "fired early");
                    assertTrue(t.when >= last, "fired out of order");
                    last = t.when;
                    assertTrue(pending.remove(t), "fired a timer that was not pending (removed, or twice)");
                }
                long min = pending.stream().mapToLong(t -> t.when).min().orElse(0);
                assertEquals(min, next, "check's next wake time");
                assertTrue(min == 0 || min > now, "a due timer did not fire");
            }
            long min = pending.stream().mapToLong(t -> t.when).min().orElse(0);
            assertEquals(min, ts.minWhen, "minWhen after op " + op);
            assertEquals(pending.size(), ts.size());
        }
    }
}
