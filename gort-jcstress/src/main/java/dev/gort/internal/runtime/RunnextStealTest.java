package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * runnext is taken by a CAS to null from either side: the owner puts G1 into runnext and takes it
 * back with runqget, while a thief with stealRunNextG finds the ring empty and goes for runnext.
 * The victim is _Pidle, so runqgrab does not back off before its CAS.
 *
 * <p>Result: goid the owner got (0 = none), goid the thief got (0 = none), audit verdict.
 */
@JCStressTest
@Description("runqput(g, next) + runqget (owner) racing runqsteal(stealRunNextG) (thief): runnext taken exactly once")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "the owner took runnext (or the thief looked before the put)")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "the thief took runnext between the put and the get")
@Outcome(expect = FORBIDDEN, desc = "runnext taken twice or by nobody, or a stale G handed out")
@State
public class RunnextStealTest {
    private final G[] gs = RunqCheck.newGs(1);
    private final P victim = RunqCheck.newP(0, 4, RunqCheck.VICTIM_START);
    private final P thief = RunqCheck.newP(1, 4, RunqCheck.THIEF_START);
    private final RunqCheck.Taken owner = new RunqCheck.Taken(2);
    private final RunqCheck.Taken stealer = new RunqCheck.Taken(2);

    @Actor
    public void owner(III_Result r) {
        victim.runqput(gs[0], true);
        owner.add(victim.runqget());
        r.r1 = owner.firstGoid();
    }

    @Actor
    public void thief(III_Result r) {
        RunqCheck.stealAndDrain(thief, victim, true, stealer);
        r.r2 = stealer.firstGoid();
    }

    @Arbiter
    public void audit(III_Result r) {
        RunqCheck.Audit a = new RunqCheck.Audit(gs);
        a.add(owner);
        a.add(stealer);
        a.drain(victim);
        a.drain(thief);
        r.r3 = a.verdict();
    }
}
