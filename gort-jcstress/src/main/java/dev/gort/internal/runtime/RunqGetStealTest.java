package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two consumers on one full ring: the owner's runqget (one G per CAS on runqhead) against a thief's
 * runqgrab (half the ring per CAS). The 4-slot ring holds 4 Gs whose indices wrap the slot index
 * and the int sign. Whoever loses a CAS must re-read and must not keep what it read.
 *
 * <p>Result: Gs the owner took, Gs the thief took, Gs left in the victim, audit verdict.
 */
@JCStressTest
@Description("runqget x3 (owner) racing runqsteal (thief) on a full ring: the runqhead CAS commits each take once")
@Outcome(id = "2, 2, 0, 0", expect = ACCEPTABLE, desc = "steal saw 4 or 3 Gs and took 2; the owner got the other 2")
@Outcome(id = "3, 1, 0, 0", expect = ACCEPTABLE, desc = "steal saw 2 or 1 Gs and took 1; the owner got 3")
@Outcome(expect = FORBIDDEN, desc = "a G lost, taken twice, or a stale/unpublished slot handed out")
@State
public class RunqGetStealTest {
    private final G[] gs = RunqCheck.newGs(4);
    private final P victim = RunqCheck.newP(0, 4, RunqCheck.VICTIM_START);
    private final P thief = RunqCheck.newP(1, 4, RunqCheck.THIEF_START);
    private final RunqCheck.Taken owner = new RunqCheck.Taken(5);
    private final RunqCheck.Taken stealer = new RunqCheck.Taken(5);

    public RunqGetStealTest() {
        for (G gp : gs) {
            victim.runqput(gp, false); // as the owner, before the actors start
        }
    }

    @Actor
    public void owner(IIII_Result r) {
        owner.add(victim.runqget());
        owner.add(victim.runqget());
        owner.add(victim.runqget());
        r.r1 = owner.count();
    }

    @Actor
    public void thief(IIII_Result r) {
        RunqCheck.stealAndDrain(thief, victim, false, stealer);
        r.r2 = stealer.count();
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
