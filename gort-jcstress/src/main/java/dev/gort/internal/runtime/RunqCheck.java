package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;

import java.util.Arrays;

/**
 * Scaffolding shared by the run-queue jcstress tests: Ps set up so that the ring indices wrap,
 * per-actor logs of the Gs taken, and the arbiter's audit that every G was taken exactly once.
 *
 * <p>No runtime is started: a G is a bare {@code new G()} told apart by its {@code goid} (1..n in
 * each test instance) and by identity, and each actor plays the owner of one P.
 */
final class RunqCheck {
    /** Audit verdict bits; 0 means every G was taken exactly once. */
    static final int OK = 0;
    /** Some G was taken by nobody and is in no queue. */
    static final int LOST = 1;
    /** Some G was taken twice (or a queue handed out more Gs than were put). */
    static final int DUPLICATE = 2;
    /** A G that was never put (a stale slot) was handed out. */
    static final int STALE_TAKEN = 4;
    /** A queue handed out null while it was not empty (an unpublished slot). */
    static final int NULL_TAKEN = 8;

    /**
     * Initial head/tail of a victim P: within a few puts the indices cross both the end of the ring
     * and the int sign ({@code tail - head} must still be the length, as with Go's uint32).
     */
    static final int VICTIM_START = Integer.MAX_VALUE - 1;
    /** Initial head/tail of a thief P: its indices cross zero. */
    static final int THIEF_START = -2;

    /** Every slot not holding a put G holds this: a consumer reading a slot nobody published gets it. */
    private static final G STALE = newG(-1);

    /** More takes than this from one queue means it hands out Gs forever. */
    private static final int DRAIN_LIMIT = 1024;

    private RunqCheck() {}

    static G newG(long goid) {
        G gp = new G();
        gp.goid = goid;
        return gp;
    }

    /** Gs with goids 1..n; {@code gs[i].goid == i + 1}. */
    static G[] newGs(int n) {
        G[] gs = new G[n];
        for (int i = 0; i < n; i++) {
            gs[i] = newG(i + 1);
        }
        return gs;
    }

    /**
     * An idle P (so runqgrab does not back off before taking runnext) with a ring of {@code size},
     * every slot poisoned with a stale G, head and tail at {@code start}.
     */
    static P newP(int id, int size, int start) {
        P pp = new P(id, size);
        pp.status = P._Pidle;
        Arrays.fill(pp.runq, STALE);
        pp.runqhead = start;
        pp.runqtail = start;
        return pp;
    }

    /** The thief's part: steal from victim as the owner of thief, then run its own ring dry. */
    static void stealAndDrain(P thief, P victim, boolean stealRunNextG, Taken out) {
        out.add(thief.runqsteal(victim, stealRunNextG));
        for (G gp; (gp = (G) thief.runqget()) != null; ) {
            out.add(gp);
        }
    }

    /** The Gs one actor took, in order; written by that actor only, read by the arbiter. */
    static final class Taken {
        private final G[] gs;
        private int n;

        Taken(int capacity) {
            gs = new G[capacity];
        }

        /**
         * Records a taken entry; null (nothing taken) is ignored. Queue entries are Objects (a G or
         * a not-yet-started goroutine's function); these tests queue only Gs.
         */
        void add(Object x) {
            G gp = (G) x;
            if (gp != null) {
                if (n < gs.length) {
                    gs[n] = gp;
                }
                n++;
            }
        }

        int count() {
            return n;
        }

        /** The goid of the first G taken, 0 if none. */
        int firstGoid() {
            return n == 0 ? 0 : (int) gs[0].goid;
        }
    }

    /** The arbiter's bookkeeping: how often each of one instance's Gs was seen. */
    static final class Audit {
        private final G[] gs;
        private final int[] seen;
        private int flags;

        Audit(G[] gs) {
            this.gs = gs;
            this.seen = new int[gs.length];
        }

        private boolean mine(G gp) {
            long id = gp.goid;
            return id >= 1 && id <= gs.length && gs[(int) id - 1] == gp;
        }

        private void see(G gp) {
            if (gp == null) {
                flags |= NULL_TAKEN;
            } else if (mine(gp)) {
                seen[(int) gp.goid - 1]++;
            } else {
                flags |= STALE_TAKEN;
            }
        }

        /** Counts what an actor took. */
        void add(Taken t) {
            if (t.n > t.gs.length) {
                flags |= DUPLICATE; // more than all the Gs there are
            }
            for (int i = 0; i < Math.min(t.n, t.gs.length); i++) {
                see(t.gs[i]);
            }
        }

        /** Empties pp's runnext and ring (as its owner; the actors are done) and counts what was left. */
        int drain(P pp) {
            int n = 0;
            for (int i = 0; i < DRAIN_LIMIT; i++) {
                G gp = (G) pp.runqget();
                if (gp == null && pp.runqempty()) {
                    return n;
                }
                see(gp);
                n++;
            }
            flags |= DUPLICATE;
            return n;
        }

        /**
         * Takes this instance's Gs out of the global run queue and counts them. Other instances of
         * the test run concurrently in the same JVM and share that queue, so under sched.lock this
         * pops everything and puts back, in order, what belongs to others. Only globrunqpop and
         * globrunqput are used, not the queue's representation.
         */
        int drainGlobal() {
            int n = 0;
            G[] others = new G[16];
            int nothers = 0;
            sched.lock.lock();
            try {
                for (G gp; (gp = (G) sched.globrunqpop()) != null; ) {
                    if (mine(gp)) {
                        see(gp);
                        n++;
                    } else {
                        if (nothers == others.length) {
                            others = Arrays.copyOf(others, nothers * 2);
                        }
                        others[nothers++] = gp;
                    }
                }
                for (int i = 0; i < nothers; i++) {
                    sched.globrunqput(others[i]);
                }
            } finally {
                sched.lock.unlock();
            }
            return n;
        }

        /** OK, or the {@code LOST | DUPLICATE | STALE_TAKEN | NULL_TAKEN} bits that apply. */
        int verdict() {
            int v = flags;
            for (int s : seen) {
                if (s == 0) {
                    v |= LOST;
                } else if (s > 1) {
                    v |= DUPLICATE;
                }
            }
            return v;
        }
    }
}
