package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * White-box tests of the local run queue (Go: proc_runtime_test / export_test's
 * RunSchedLocalQueueTest, RunSchedLocalQueueStealTest). The runtime is not started: these Gs are
 * plain records and nothing runs them. Rings are shrunk (tokio's trick) so overflow, wrap-around
 * and stealing happen constantly.
 */
class RunqTest {
    private static long nextId = 1;

    private static G g() {
        G gp = new G();
        gp.goid = nextId++;
        return gp;
    }

    @AfterEach
    void drainGlobal() {
        sched.lock.lock();
        try {
            while (sched.globrunqpop() != null) {
                // the global queue is process-wide: leave it empty for the next test
            }
        } finally {
            sched.lock.unlock();
        }
    }

    private static List<G> drainGlobalList() {
        List<G> out = new ArrayList<>();
        sched.lock.lock();
        try {
            G gp;
            while ((gp = (G) sched.globrunqpop()) != null) {
                out.add(gp);
            }
        } finally {
            sched.lock.unlock();
        }
        return out;
    }

    /** Go: TestSchedLocalQueue. Put i, get i, in FIFO order, for every fill level. */
    @Test
    void putGetFifo() {
        P pp = new P(0);
        assertTrue(pp.runqempty());
        for (int i = 0; i < pp.runqsize(); i++) {
            List<G> gs = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                G gp = g();
                gs.add(gp);
                pp.runqput(gp, false);
            }
            assertEquals(i, pp.runqlen());
            for (int j = 0; j < i; j++) {
                assertSame(gs.get(j), pp.runqget(), "FIFO order");
                assertFalse(pp.runqgetInherit);
            }
            assertNull(pp.runqget());
            assertTrue(pp.runqempty());
        }
    }

    @Test
    void runnextFirstAndKicksOldToTail() {
        P pp = new P(0, 8);
        G a = g(), b = g(), c = g();
        pp.runqput(a, false);
        pp.runqput(b, true);
        assertSame(b, pp.runnext);
        pp.runqput(c, true); // b is kicked to the ring's tail, behind a
        assertSame(c, pp.runnext);
        assertFalse(pp.runqempty());
        assertSame(c, pp.runqget());
        assertTrue(pp.runqgetInherit, "runnext inherits the time slice");
        assertSame(a, pp.runqget());
        assertFalse(pp.runqgetInherit);
        assertSame(b, pp.runqget());
        assertNull(pp.runqget());
    }

    @Test
    void runnextAloneIsNotEmpty() {
        P pp = new P(0, 4);
        pp.runqput(g(), true);
        assertFalse(pp.runqempty(), "a G in runnext is work");
        assertEquals(0, pp.runqlen());
    }

    /** Go: runqputslow. A full ring moves half of itself plus the new G to the global queue. */
    @Test
    void overflowMovesHalfPlusOneToGlobal() {
        for (int size : new int[] {4, 8, P.RUNQ_SIZE}) {
            P pp = new P(0, size);
            List<G> put = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                G gp = g();
                put.add(gp);
                pp.runqput(gp, false);
            }
            assertEquals(size, pp.runqlen());
            assertEquals(0, sched.runqsize());
            G extra = g();
            put.add(extra);
            pp.runqput(extra, false);
            assertEquals(size / 2 + 1, sched.runqsize(), "half the ring plus the new G");
            assertEquals(size / 2, pp.runqlen());
            List<G> global = drainGlobalList();
            // The oldest half went to global, in order, followed by the new G.
            assertEquals(put.subList(0, size / 2), global.subList(0, size / 2));
            assertSame(extra, global.get(size / 2));
            for (int i = size / 2; i < size; i++) {
                assertSame(put.get(i), pp.runqget());
            }
            assertTrue(pp.runqempty());
        }
    }

    /** A goroutine that has not started: a {@code go} statement's function, as newproc queues it. */
    private static final class Unstarted implements Runnable {
        @Override
        public void run() {}
    }

    /**
     * Gort's one change to the global queue (Sched, "in two parts"): a spill from a full ring sends
     * the goroutines that have run to runqSpilled and the unstarted ones to runq, and a batch take
     * serves runqSpilled first, so a woken G no longer waits behind every unstarted goroutine.
     */
    @Test
    void spillPutsStartedGoroutinesAheadOfUnstartedOnes() {
        List<Object> older = new ArrayList<>();
        sched.lock.lock();
        try {
            for (int i = 0; i < 100; i++) {
                Unstarted u = new Unstarted();
                older.add(u);
                sched.globrunqput(u);
            }
        } finally {
            sched.lock.unlock();
        }
        P pp = new P(0, 4);
        G g1 = g(), g2 = g(), g3 = g();
        Unstarted u1 = new Unstarted(), u2 = new Unstarted();
        for (Object gp : new Object[] {g1, u1, g2, u2}) {
            pp.runqput(gp, false);
        }
        pp.runqput(g3, false); // full: the oldest half (g1, u1) and g3 spill
        assertEquals(103, sched.runqsize(), "both parts count");
        assertSame(g2, pp.runqget());
        assertSame(u2, pp.runqget());

        P taker = new P(1);
        List<Object> got = new ArrayList<>();
        sched.lock.lock();
        try {
            got.add(sched.globrunqgetbatch(taker, 1)); // takes min(103, 103/1+1, 128, 128): all
        } finally {
            sched.lock.unlock();
        }
        for (Object gp; (gp = taker.runqget()) != null; ) {
            got.add(gp);
        }
        List<Object> want = new ArrayList<>(List.of(g1, g3)); // spilled and started: first, in order
        want.addAll(older); // then the global queue as Go keeps it
        want.add(u1); // the unstarted one from the spill, at its tail
        assertEquals(want, got);
        assertEquals(0, sched.runqsize());
    }

    /** The fairness take (every 61st schedtick) serves runq first: unstarted goroutines always move. */
    @Test
    void fairnessTakeServesTheUnstartedPartFirst() {
        P pp = new P(0, 4);
        G g1 = g(), g2 = g(), g3 = g(), g4 = g(), g5 = g();
        for (G gp : new G[] {g1, g2, g3, g4, g5}) {
            pp.runqput(gp, false); // the fifth spills g1, g2 and itself to runqSpilled
        }
        Unstarted u = new Unstarted();
        sched.lock.lock();
        try {
            sched.globrunqput(u);
            assertSame(u, sched.globrunqget(), "runq before runqSpilled");
            assertSame(g1, sched.globrunqget());
            assertSame(g2, sched.globrunqget());
            assertSame(g5, sched.globrunqget());
            assertNull(sched.globrunqget());
        } finally {
            sched.lock.unlock();
        }
    }

    /** A batch that does not fit the taker's ring goes back to the heads of the parts it came from. */
    @Test
    void batchGivenBackReturnsToItsOwnPart() {
        P spiller = new P(0, 4);
        G g1 = g(), g2 = g(), g3 = g(), g4 = g(), g5 = g();
        for (G gp : new G[] {g1, g2, g3, g4, g5}) {
            spiller.runqput(gp, false); // g1, g2, g5 to runqSpilled
        }
        Unstarted u1 = new Unstarted(), u2 = new Unstarted();
        P taker = new P(1, 8);
        G own = g();
        sched.lock.lock();
        try {
            sched.globrunqput(u1);
            sched.globrunqput(u2);
            for (int i = 0; i < 7; i++) {
                taker.runqput(i == 0 ? own : g(), false); // one free slot left
            }
            // n = min(5, 5/1+1, 128, 8/2) = 4: g1, g2, g5, u1; g1 returned, g2 fits, g5 and u1 go back
            assertSame(g1, sched.globrunqgetbatch(taker, 1));
            assertEquals(3, sched.runqsize());
            assertSame(u1, sched.globrunqget(), "u1 back at runq's head");
            assertSame(u2, sched.globrunqget());
            assertSame(g5, sched.globrunqget(), "g5 back in runqSpilled");
        } finally {
            sched.lock.unlock();
        }
        assertSame(own, taker.runqget());
    }

    /** Overflow while putting into runnext: the kicked G and half the ring go global. */
    @Test
    void overflowViaRunnextKick() {
        P pp = new P(0, 4);
        Set<G> all = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            G gp = g();
            all.add(gp);
            pp.runqput(gp, true);
        }
        Set<G> seen = new HashSet<>(drainGlobalList());
        G gp;
        while ((gp = (G) pp.runqget()) != null) {
            assertTrue(seen.add(gp), "G seen twice");
        }
        seen.addAll(drainGlobalList());
        assertEquals(all, seen, "no G lost");
    }

    /**
     * Go: TestSchedLocalQueueSteal. For every fill level i, a thief steals i/2 or i/2+1 Gs (the
     * larger half, as one returned G plus the rest in its own ring), and together the two queues
     * hold each G exactly once.
     */
    @Test
    void stealHalf() {
        P victim = new P(0);
        P thief = new P(1);
        victim.status = P._Pidle; // no back-off sleep; runnext is not involved anyway
        for (int i = 0; i < victim.runqsize(); i++) {
            List<G> gs = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                G gp = g();
                gs.add(gp);
                victim.runqput(gp, false);
            }
            Set<G> taken = new HashSet<>();
            int stolen = 0;
            G gp = (G) thief.runqsteal(victim, true);
            if (gp != null) {
                stolen++;
                taken.add(gp);
                while ((gp = (G) thief.runqget()) != null) {
                    stolen++;
                    assertTrue(taken.add(gp), "stolen twice");
                }
            }
            while ((gp = (G) victim.runqget()) != null) {
                assertTrue(taken.add(gp), "G both stolen and left");
            }
            assertEquals(new HashSet<>(gs), taken, "every G exactly once");
            assertTrue(stolen == i / 2 || stolen == i / 2 + 1, "stole " + stolen + " of " + i);
        }
    }

    /** Stealing takes the oldest Gs (the head) and returns the last of them to run now. */
    @Test
    void stealTakesHeadReturnsLast() {
        P victim = new P(0, 8);
        P thief = new P(1, 8);
        victim.status = P._Pidle;
        G[] gs = new G[6];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = g();
            victim.runqput(gs[i], false);
        }
        G gp = (G) thief.runqsteal(victim, false);
        assertSame(gs[2], gp, "the last of the 3 stolen");
        assertSame(gs[0], thief.runqget());
        assertSame(gs[1], thief.runqget());
        assertNull(thief.runqget());
        assertSame(gs[3], victim.runqget());
    }

    /** runnext is stolen only when allowed (Go: the last steal round) and only when the ring is empty. */
    @Test
    void runnextStolenLast() {
        P victim = new P(0, 8);
        P thief = new P(1, 8);
        victim.status = P._Pidle;
        G next = g();
        victim.runqput(next, true);
        assertNull(thief.runqsteal(victim, false), "runnext is not stolen in early rounds");
        assertSame(next, victim.runnext);
        G inRing = g();
        victim.runqput(inRing, false);
        assertSame(inRing, thief.runqsteal(victim, true), "the ring goes first");
        assertSame(next, victim.runnext);
        assertSame(next, thief.runqsteal(victim, true), "then runnext");
        assertNull(victim.runnext);
        assertTrue(victim.runqempty());
    }

    /** A running victim gets a short back-off before its runnext is taken; it is still taken. */
    @Test
    void runnextStealFromRunningVictimBacksOff() {
        P victim = new P(0, 8);
        P thief = new P(1, 8);
        victim.status = P._Prunning;
        G next = g();
        victim.runqput(next, true);
        long t0 = System.nanoTime();
        assertSame(next, thief.runqsteal(victim, true));
        assertTrue(System.nanoTime() - t0 >= 3_000, "backed off at least 3us before stealing runnext");
    }

    /** Indices wrap around the ring many times without losing order. */
    @Test
    void wrapAround() {
        P pp = new P(0, 4);
        List<G> pending = new ArrayList<>();
        for (int round = 0; round < 10_000; round++) {
            G gp = g();
            pp.runqput(gp, false);
            pending.add(gp);
            if (pending.size() == 3) {
                for (G want : pending) {
                    assertSame(want, pp.runqget());
                }
                pending.clear();
            }
        }
        assertEquals(pending.size(), pp.runqlen());
        for (G want : pending) {
            assertSame(want, pp.runqget());
        }
    }

    /** Go: globrunqgetbatch takes min(n, n/gomaxprocs+1, 128, half the ring). */
    @Test
    void globalBatchFormula() {
        int[][] cases = {{300, 2, 128}, {10, 2, 6}, {1, 4, 1}, {9, 4, 3}, {1000, 1, 128}};
        for (int[] c : cases) {
            int n = c[0], procs = c[1], want = c[2];
            sched.lock.lock();
            try {
                for (int i = 0; i < n; i++) {
                    sched.globrunqput(g());
                }
                P pp = new P(0);
                Object first = sched.globrunqgetbatch(pp, procs);
                assertTrue(first != null);
                assertEquals(want - 1, pp.runqlen(), "batch for n=" + n + " procs=" + procs);
                assertEquals(n - want, sched.runqsize());
            } finally {
                sched.lock.unlock();
            }
            drainGlobal();
        }
    }

    @Test
    void randomOrderVisitsEveryPOnce() {
        for (int count = 1; count <= 33; count++) {
            RandomOrder ro = new RandomOrder(count);
            for (int r : new int[] {0, 1, 7, 12345, -1, Integer.MIN_VALUE, 0x7fffffff}) {
                Set<Integer> seen = new HashSet<>();
                int inc = ro.inc(r);
                for (int e = 0, pos = ro.start(r); e < count; e++, pos = ro.next(pos, inc)) {
                    assertTrue(seen.add(pos), "visited twice");
                }
                assertEquals(count, seen.size());
            }
        }
    }

    /** Concurrent owner + stealers on a small ring: no G lost, none taken twice. */
    @Test
    void concurrentOwnerAndStealers() throws Exception {
        final int total = 200_000;
        P owner = new P(0, 16);
        P[] thieves = {new P(1, 16), new P(2, 16)};
        owner.status = P._Pidle;
        java.util.concurrent.atomic.AtomicIntegerArray taken = new java.util.concurrent.atomic.AtomicIntegerArray(total + 1);
        G[] gs = new G[total];
        for (int i = 0; i < total; i++) {
            gs[i] = new G();
            gs[i].goid = i + 1;
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> ts = new ArrayList<>();
        for (P t : thieves) {
            Thread th = new Thread(() -> {
                while (!done.get() || !owner.runqempty()) {
                    G gp = (G) t.runqsteal(owner, true);
                    if (gp != null) {
                        taken.incrementAndGet((int) gp.goid);
                        while ((gp = (G) t.runqget()) != null) {
                            taken.incrementAndGet((int) gp.goid);
                        }
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            ts.add(th);
            th.start();
        }
        for (int i = 0; i < total; i++) {
            owner.runqput(gs[i], (i & 3) == 0);
            if ((i & 7) == 0) {
                G gp = (G) owner.runqget();
                if (gp != null) {
                    taken.incrementAndGet((int) gp.goid);
                }
            }
        }
        done.set(true);
        G gp;
        while ((gp = (G) owner.runqget()) != null) {
            taken.incrementAndGet((int) gp.goid);
        }
        for (Thread th : ts) {
            th.join(60_000);
            assertFalse(th.isAlive(), "stealer hung");
        }
        for (G x : drainGlobalList()) {
            taken.incrementAndGet((int) x.goid);
        }
        for (int i = 1; i <= total; i++) {
            assertEquals(1, taken.get(i), "G " + i + " taken " + taken.get(i) + " times");
        }
    }
}
