package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The runtime {@link Lock} under two lockers (jcstress runs no more actors than CPUs), each
 * locking twice, so the paths get taken: the first CAS, a win during the active or the passive
 * spin, and, when the holder is descheduled, a park on the waiter list ended by an unlock that
 * saw state 2. Each locker does a plain read-modify-write of a shared counter inside the
 * lock; mutual exclusion means none is lost, and a lost wake-up would leave an actor parked (the
 * run then fails on its deadline).
 *
 * <p>Result: the counter, and whether the lock is still held at the end (0 free).
 */
@JCStressTest
@Description("two lockers, twice each: mutual exclusion, every waiter woken, the lock free at the end")
@Outcome(id = "4, 0", expect = ACCEPTABLE, desc = "four increments, lock released")
@Outcome(expect = FORBIDDEN, desc = "an increment lost (two holders at once) or the lock left held")
@State
public class LockTest {
    private final Lock lock = new Lock();
    private int counter; // protected by lock

    private void add() {
        lock.lock();
        int v = counter;
        Thread.onSpinWait(); // widen the window a second holder would need
        counter = v + 1;
        lock.unlock();
    }

    @Actor
    public void a() {
        add();
        add();
    }

    @Actor
    public void b() {
        add();
        add();
    }

    @Arbiter
    public void audit(II_Result r) {
        r.r1 = counter;
        r.r2 = lock.held() ? 1 : 0;
    }
}
