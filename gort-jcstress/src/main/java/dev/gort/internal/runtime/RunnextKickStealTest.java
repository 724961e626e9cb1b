package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The owner puts G1 then G2 into runnext (G2 kicks G1 to the ring) and takes one, while a thief
 * with stealRunNextG takes from the ring if it has anything, else runnext. Between the owner's CAS
 * of runnext to G2 and its publishing G1 in the ring, the thief can see an empty ring and take G2
 * from runnext: then the owner's runqget falls through to the ring and gets G1.
 *
 * <p>Result: goid the owner got, goid the thief got (0 = none), Gs left in the victim, verdict.
 */
@JCStressTest
@Description("runqput(g1, next), runqput(g2, next), runqget (owner) racing runqsteal(stealRunNextG): each G taken once")
@Outcome(id = "2, 0, 1, 0", expect = ACCEPTABLE, desc = "the thief looked before the first put; G1 is left in the ring")
@Outcome(id = "2, 1, 0, 0", expect = ACCEPTABLE, desc = "the thief took G1 from runnext, or from the ring after the kick")
@Outcome(id = "1, 2, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "the thief took G2 from runnext while G1 was being kicked to the ring")
@Outcome(expect = FORBIDDEN, desc = "a G lost, taken twice, or a stale/unpublished slot handed out")
@State
public class RunnextKickStealTest {
    private final G[] gs = RunqCheck.newGs(2);
    private final P victim = RunqCheck.newP(0, 4, RunqCheck.VICTIM_START);
    private final P thief = RunqCheck.newP(1, 4, RunqCheck.THIEF_START);
    private final RunqCheck.Taken owner = new RunqCheck.Taken(3);
    private final RunqCheck.Taken stealer = new RunqCheck.Taken(3);

    @Actor
    public void owner(IIII_Result r) {
        victim.runqput(gs[0], true);
        victim.runqput(gs[1], true);
        owner.add(victim.runqget());
        r.r1 = owner.firstGoid();
    }

    @Actor
    public void thief(IIII_Result r) {
        RunqCheck.stealAndDrain(thief, victim, true, stealer);
        r.r2 = stealer.firstGoid();
    }

    @Arbiter
    public void audit(IIII_Result r) {
        RunqCheck.Audit a = new RunqCheck.Audit(gs);
        a.add(owner);
        a.add(stealer);
        r.r3 = a.drain(victim);
        a.drain(thief);
        r.r4 = a.verdict();
    }
}
