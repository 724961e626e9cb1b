package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gort.sync.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Litmus tests of the runtime semaphore ({@link Sema}), the notify list ({@link NotifyList}) and
 * sync.Mutex, on jcstress's plain threads (the runtime is not started: a plain thread blocks itself
 * with LockSupport, through the same count/nwait protocol and wait list a goroutine uses).
 *
 * <p>An actor that acquires may block until the other actor releases; the releasing actor never
 * blocks for long, so a batch always completes unless a wake-up is lost. A lost wake-up therefore
 * shows as a test that does not finish (jcstress reports it as stuck), never as a wrong outcome.
 * Every test has two actors, so all of them run on a 2-CPU machine.
 *
 * <p>Acquire paths (first result): 1 = fast path CAS, 2 = the re-check under the lock after
 * counting in nwait, 3 = woken with the unit handed over (ticket), 4 = woken, then won the CAS.
 */
public class SemaTest {
    private SemaTest() {}

    static final int REASON = WaitReason.Semacquire;

    /**
     * Release with hand-off racing an acquire at every point of its enqueue: the acquirer gets the
     * unit exactly once and the count and waiter count return to 0. A queued waiter always gets
     * the ticket: nobody else can take the unit the releaser took back out for it.
     */
    @JCStressTest
    @Description("Sema.release(handoff) racing Sema.acquire on an empty semaphore")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "release came first; acquire's fast path took the unit")
    @Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "release landed while acquire counted itself in; the re-check took it")
    @Outcome(id = "3, 0, 0", expect = ACCEPTABLE, desc = "acquire queued; release handed the unit over")
    @Outcome(expect = FORBIDDEN, desc = "unit lost, duplicated, waiter count leaked, or a queued waiter not given the ticket")
    @State
    public static class HandoffRacesEnqueue {
        final Sema s = new Sema(0);

        @Actor
        public void acquirer(III_Result r) {
            r.r1 = s.acquire0(false, REASON);
        }

        @Actor
        public void releaser() {
            s.release(true);
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r2 = s.count();
            r.r3 = s.nwait();
        }
    }

    /** The same without hand-off: a woken waiter takes the unit itself; no ticket is ever given. */
    @JCStressTest
    @Description("Sema.release() racing Sema.acquire on an empty semaphore")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "release came first; fast path")
    @Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "re-check under the lock after counting in")
    @Outcome(id = "4, 0, 0", expect = ACCEPTABLE, desc = "queued, woken, took the unit with the CAS")
    @Outcome(expect = FORBIDDEN, desc = "unit lost or duplicated, waiter count leaked, or a ticket without hand-off")
    @State
    public static class ReleaseRacesEnqueue {
        final Sema s = new Sema(0);

        @Actor
        public void acquirer(III_Result r) {
            r.r1 = s.acquire0(false, REASON);
        }

        @Actor
        public void releaser() {
            s.release(false);
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r2 = s.count();
            r.r3 = s.nwait();
        }
    }

    /**
     * One actor acquires twice (the second time queueing LIFO, as a Mutex waiter that waited
     * before), the other releases twice (with and without hand-off): every combination of fast
     * path, re-check and wake-up, and the units are conserved (count and nwait end at 0).
     */
    @JCStressTest
    @Description("acquire + acquire(lifo) racing release(true) + release(false)")
    @Outcome(id = "[1234], [1234], 0, 0", expect = ACCEPTABLE, desc = "both acquired, nothing left over")
    @Outcome(expect = FORBIDDEN, desc = "a unit lost or duplicated, or the waiter count leaked")
    @State
    public static class AcquireTwiceReleaseTwice {
        final Sema s = new Sema(0);

        @Actor
        public void acquirer(IIII_Result r) {
            r.r1 = s.acquire0(false, REASON);
            r.r2 = s.acquire0(true, REASON);
        }

        @Actor
        public void releaser() {
            s.release(true);
            s.release(false);
        }

        @Arbiter
        public void audit(IIII_Result r) {
            r.r3 = s.count();
            r.r4 = s.nwait();
        }
    }

    /**
     * A semaphore of 1 used as a lock by both actors (one releasing with hand-off, one without),
     * guarding a plain counter: mutual exclusion (no lost increment) and the unit comes back.
     */
    @JCStressTest
    @Description("Sema(1) as a lock: acquire / x++ / release(handoff) on both sides")
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE, desc = "both increments, the unit is back, nobody waits")
    @Outcome(expect = FORBIDDEN, desc = "lost update, a unit lost or duplicated, or the waiter count leaked")
    @State
    public static class SemaAsLock {
        final Sema s = new Sema(1);
        int x;

        @Actor
        public void a() {
            s.acquire0(false, REASON);
            x++;
            s.release(true);
        }

        @Actor
        public void b() {
            s.acquire0(false, REASON);
            x++;
            s.release(false);
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r1 = x;
            r.r2 = s.count();
            r.r3 = s.nwait();
        }
    }

    /**
     * sync.Cond's ticket protocol: the waiter took its ticket before (under the Cond's lock, here
     * in the constructor); notifyOne racing the waiter's queueing must wake it, whether it comes
     * before the waiter queues (the waiter then does not sleep) or after.
     */
    @JCStressTest
    @Description("NotifyList.notifyOne racing NotifyList.await of an already-taken ticket")
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the waiter returned")
    @Outcome(expect = FORBIDDEN, desc = "impossible")
    @State
    public static class NotifyOneRacesWait {
        final NotifyList l = new NotifyList();
        final int ticket = l.add();

        @Actor
        public void waiter(I_Result r) {
            l.await(ticket);
            r.r1 = 1;
        }

        @Actor
        public void signaler() {
            l.notifyOne();
        }
    }

    /** Two signals racing a waiter that waits for two earlier tickets in turn: both wake it. */
    @JCStressTest
    @Description("NotifyList: notifyOne x2 racing await(t1), await(t2)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both waits returned")
    @Outcome(expect = FORBIDDEN, desc = "impossible")
    @State
    public static class TwoSignalsTwoTickets {
        final NotifyList l = new NotifyList();
        final int t1 = l.add();
        final int t2 = l.add();

        @Actor
        public void waiter(II_Result r) {
            l.await(t1);
            r.r1 = 1;
            l.await(t2);
            r.r2 = 1;
        }

        @Actor
        public void signaler() {
            l.notifyOne();
            l.notifyOne();
        }
    }

    /** A broadcast racing a waiter that waits for two earlier tickets in turn: both are released. */
    @JCStressTest
    @Description("NotifyList: notifyAllTickets racing await(t1), await(t2)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both waits returned")
    @Outcome(expect = FORBIDDEN, desc = "impossible")
    @State
    public static class BroadcastTwoTickets {
        final NotifyList l = new NotifyList();
        final int t1 = l.add();
        final int t2 = l.add();

        @Actor
        public void waiter(II_Result r) {
            l.await(t1);
            r.r1 = 1;
            l.await(t2);
            r.r2 = 1;
        }

        @Actor
        public void broadcaster() {
            l.notifyAllTickets();
        }
    }

    /**
     * The lost wake-up check as a termination test: an acquirer blocks on an empty semaphore and
     * a release with hand-off, sent at some point of its enqueueing, must unblock it. (The tests
     * above would hang on a lost wake-up; this one reports it as STALE.)
     */
    @JCStressTest(Mode.Termination)
    @Description("Sema.acquire on an empty semaphore must return after release(true)")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the release woke the acquirer")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost wake-up: the acquirer sleeps forever")
    @State
    public static class HandoffWakesAcquirer {
        final Sema s = new Sema(0);

        @Actor
        public void acquirer() {
            s.acquire0(false, REASON);
        }

        @Signal
        public void release() {
            s.release(true);
        }
    }

    /** The same for sync.Cond's notify list: notifyOne racing the waiter's queueing. */
    @JCStressTest(Mode.Termination)
    @Description("NotifyList.await of an already-taken ticket must return after notifyOne")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the signal woke the waiter")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost wake-up: the waiter sleeps forever")
    @State
    public static class SignalWakesWaiter {
        final NotifyList l = new NotifyList();
        final int ticket = l.add();

        @Actor
        public void waiter() {
            l.await(ticket);
        }

        @Signal
        public void signal() {
            l.notifyOne();
        }
    }

    /**
     * sync.Mutex from plain threads: two lockers incrementing a plain field (with spinning, the
     * woken bit and the semaphore in play); no lost update, and the state word ends at 0 (no
     * waiter count or flag leaked).
     */
    @JCStressTest
    @Description("sync.Mutex: two lock/increment/unlock actors")
    @Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "both increments, state word back to 0")
    @Outcome(expect = FORBIDDEN, desc = "lost update or leaked state")
    @State
    public static class MutexCounter {
        final Mutex mu = new Mutex();
        int x;

        @Actor
        public void a() {
            mu.lock();
            x++;
            mu.unlock();
        }

        @Actor
        public void b() {
            mu.lock();
            x++;
            mu.unlock();
        }

        @Arbiter
        public void audit(II_Result r) {
            r.r1 = x;
            r.r2 = mutexState(mu);
        }
    }

    private static final java.lang.reflect.Field MUTEX_STATE;

    static {
        try {
            // On the class path (the uber jar has no module descriptor), so reflection may open it.
            MUTEX_STATE = Mutex.class.getDeclaredField("state");
            MUTEX_STATE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static int mutexState(Mutex mu) {
        try {
            return MUTEX_STATE.getInt(mu);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
