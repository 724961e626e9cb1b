package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.reflect.Constructor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Litmus tests of the spinning/wake-up hand-shake (Go: proc.go's "Worker thread parking/unparking"
 * comment; Gort: {@code Proc.wakep}, {@code Proc.findRunnable}'s drop-the-P path,
 * {@code checkRunqsNoP}, {@code pidleput}).
 *
 * <p>The protocol is two Dekker pairs. A submitter publishes work, then reads whether anyone
 * spins; a spinning M that gives up first stops counting itself, then re-reads every run queue.
 * One of the two must see the other, or a goroutine is readied while nobody will look for it
 * (stranded until some unrelated event). Gort adds a second pair in {@code wakep} (see "wakep
 * avoids sched.lock" in the README's differences): the submitter sets {@code needspinning} and
 * re-reads {@code npidle}; an M dropping its P increments {@code npidle} and re-reads
 * {@code needspinning}.
 *
 * <p>The scheduler state is the process-wide {@code Sched.sched}, which jcstress's many
 * concurrent test instances cannot share; so each instance gets its own {@link Sched} (made
 * through its private constructor, with the real field declarations: an {@code AtomicInteger}
 * {@code nmspinning}, a volatile {@code needspinning}, ...) and its own {@link P}, and the actors
 * perform, in order, the memory accesses of the runtime code named in each actor. The run queues
 * are the real {@code P.runqput}/{@code runqempty} and {@code GQueue}. The first two result
 * fields are the two decisions (1 = the submitter goes on to wake an M / the retiring M finds
 * the work); the outcome in which both miss is the forbidden stranding.
 */
public class SpinningTest {
    private SpinningTest() {}

    private static final Constructor<Sched> SCHED;

    static {
        try {
            SCHED = Sched.class.getDeclaredConstructor();
            SCHED.setAccessible(true); // on the class path: the package is not encapsulated
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Sched newSched() {
        try {
            return SCHED.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** wakep's first test: a submitter wakes an M only if no M spins (then CASes nmspinning). */
    static int wakepGoesOn(Sched s) {
        return s.nmspinning.get() == 0 ? 1 : 0;
    }

    /**
     * {@code goready}/{@code newproc} on an M with a P: {@code runqput(gp, next=true)} (a CAS of
     * {@code runnext}), then {@code wakep}. Against the last spinning M giving up: it drops its
     * P, decrements {@code nmspinning}, then {@code checkRunqsNoP} reads every busy P's queue.
     */
    @JCStressTest
    @Description("goready (runqput into runnext, wakep) vs the last spinning M retiring (nmspinning--, checkRunqsNoP)")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "the spinner retired first and saw nothing; wakep saw no spinner and wakes an M")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "wakep saw the spinner; the retiring spinner's re-check found the G")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "both: a redundant wake-up, harmless")
    @Outcome(expect = FORBIDDEN, desc = "stranded G: wakep saw a spinner, and the spinner's re-check missed the G; or nmspinning leaked")
    @State
    public static class ReadyVsSpinnerRetire {
        final Sched s = newSched();
        final P pp = new P(0, 4); // the submitter's P, running (not in the idle mask)
        final G gp = new G();

        public ReadyVsSpinnerRetire() {
            s.nmspinning.set(1); // the spinning M
        }

        @Actor
        public void submitter(III_Result r) {
            pp.runqput(gp, true); // Proc.ready
            r.r1 = wakepGoesOn(s); // Proc.wakep
        }

        @Actor
        public void spinner(III_Result r) {
            // findRunnable: mp.spinning = false; nmspinning.decrementAndGet(); ...; checkRunqsNoP
            s.nmspinning.decrementAndGet();
            r.r2 = pp.runqempty() ? 0 : 1;
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r3 = s.nmspinning.get();
        }
    }

    /**
     * The same with a plain (non-runnext) put: the slot is published by a store-release of
     * {@code runqtail}, which does not order the following load of {@code nmspinning} (a
     * StoreLoad reordering: the store may still sit in the store buffer). The stranding outcome
     * is then possible, and is marked interesting, not forbidden: the only runtime path that does
     * this ({@code Netpoller.injectglist} onto its own P, then {@code wakep}) is run by the M that
     * owns that P, which runs the queued Gs itself next, so nothing is stranded — a helper M is
     * just not started. Go has the same order there ({@code runqput} with a StoreRel). A new
     * caller that readies work onto a queue it will not run itself must use {@code next=true} (a
     * CAS) or a full fence before {@code wakep}.
     */
    @JCStressTest
    @Description("runqput(next=false) then wakep vs the last spinning M retiring: release store then load")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "the spinner retired first; wakep wakes an M")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "wakep saw the spinner; its re-check found the G")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "both: a redundant wake-up")
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "StoreLoad reordering: both missed; safe only because the putter runs its own queue (see the class comment)")
    @Outcome(expect = FORBIDDEN, desc = "nmspinning leaked")
    @State
    public static class RingPutVsSpinnerRetire {
        final Sched s = newSched();
        final P pp = new P(0, 4);
        final G gp = new G();

        public RingPutVsSpinnerRetire() {
            s.nmspinning.set(1);
        }

        @Actor
        public void submitter(III_Result r) {
            pp.runqput(gp, false); // Netpoller.injectglist's local branch
            r.r1 = wakepGoesOn(s);
        }

        @Actor
        public void spinner(III_Result r) {
            s.nmspinning.decrementAndGet();
            r.r2 = pp.runqempty() ? 0 : 1;
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r3 = s.nmspinning.get();
        }
    }

    /**
     * A plain thread (or an M without a P) readies a G: {@code globrunqput} under
     * {@code sched.lock}, then {@code wakep}. The retiring spinner decrements, then looks at the
     * global queue under the same lock (findRunnable's "Global queue, now that we are no longer
     * counted as a spinner").
     */
    @JCStressTest
    @Description("goready from a plain thread (globrunqput under sched.lock, wakep) vs the last spinning M retiring")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "the spinner retired first; wakep wakes an M")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "wakep saw the spinner; its global-queue re-check found the G")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "both: a redundant wake-up")
    @Outcome(expect = FORBIDDEN, desc = "stranded G on the global queue, or nmspinning leaked")
    @State
    public static class GlobalReadyVsSpinnerRetire {
        final Sched s = newSched();
        final G gp = new G();

        public GlobalReadyVsSpinnerRetire() {
            s.nmspinning.set(1);
        }

        @Actor
        public void submitter(III_Result r) {
            s.lock.lock();
            try {
                s.globrunqput(gp);
            } finally {
                s.lock.unlock();
            }
            r.r1 = wakepGoesOn(s);
        }

        @Actor
        public void spinner(III_Result r) {
            s.nmspinning.decrementAndGet();
            s.lock.lock();
            try {
                r.r2 = s.runqsize() != 0 ? 1 : 0;
            } finally {
                s.lock.unlock();
            }
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r3 = s.nmspinning.get();
        }
    }

    /**
     * Gort's lock-free {@code needspinning} hand-shake. Nobody spins and no P is idle. A submitter
     * in {@code wakep} sets {@code needspinning} and re-reads {@code npidle}; an M about to drop
     * its P (not spinning) checks {@code needspinning} under {@code sched.lock}, else
     * {@code pidleput}s (npidle++) and re-reads {@code needspinning}. Either the submitter sees
     * the idle P (and goes on to take it with {@code pidlegetSpinning}) or the dropping M sees
     * {@code needspinning} (and spins instead of sleeping): result fields 1 and 2.
     */
    @JCStressTest
    @Description("wakep with no idle P (needspinning = 1, re-read npidle) vs an M dropping its P (npidle++, re-read needspinning)")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the M dropped its P first and slept; wakep saw the idle P")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "wakep found no idle P; the dropping M saw needspinning and spins")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "both saw each other (the P goes to one of them under sched.lock)")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "needspinning was set before the M's locked check: it kept its P and spins")
    @Outcome(expect = FORBIDDEN, desc = "lost wake-up: nobody spins and the work waits for an idle P nobody takes")
    @State
    public static class NeedSpinningVsDropP {
        final Sched s = newSched();

        @Actor
        public void submitter(III_Result r) {
            // Proc.wakep: nmspinning == 0, npidle == 0
            if (s.npidle.get() == 0) {
                if (s.needspinning == 0) {
                    s.needspinning = 1;
                }
                if (s.npidle.get() == 0) {
                    r.r1 = 0;
                    return;
                }
            }
            r.r1 = 1; // goes on: CAS nmspinning 0 -> 1, pidlegetSpinning
        }

        @Actor
        public void dropper(III_Result r) {
            // Proc.findRunnable, an M that is not spinning, nothing found
            s.lock.lock();
            if (s.needspinning == 1) {
                s.lock.unlock();
                r.r2 = 1; // becomeSpinning, keeps its P
                return;
            }
            s.npidle.incrementAndGet(); // pidleput
            s.lock.unlock();
            r.r2 = s.needspinning == 1 ? 1 : 0; // re-read: take an idle P back and spin
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r3 = s.npidle.get();
        }
    }
}
