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
 * The owner puts 5 Gs into a 4-slot ring while a thief steals. If the ring is full at the fifth
 * put, runqputslow CASes runqhead forward by 2 and moves those 2 Gs plus the fifth to the global
 * queue; that CAS races the thief's. If the thief wins, runqputslow must give up and the put must
 * land in the ring (which now has room). The global queue is shared by all instances running in
 * this JVM, so the arbiter removes and counts only this instance's Gs.
 *
 * <p>Result: Gs moved to the global queue, Gs the thief took, Gs left in the victim's ring, verdict.
 */
@JCStressTest
@Description("runqput x5 into a 4-slot ring (overflow to the global queue) racing runqsteal: no G lost or taken twice")
@Outcome(id = "3, 0, 2, 0", expect = ACCEPTABLE, desc = "steal before the puts; the fifth put moved 2 + 1 Gs to the global queue")
@Outcome(id = "3, 1, 1, 0", expect = ACCEPTABLE, desc = "steal after the overflow (or lost the CAS to runqputslow), took 1 of 2")
@Outcome(id = "0, 1, 4, 0", expect = ACCEPTABLE, desc = "steal saw 1 or 2 Gs and took 1; no overflow")
@Outcome(id = "0, 2, 3, 0", expect = ACCEPTABLE, desc = "steal saw 3 or 4 Gs and took 2 (possibly winning the CAS against runqputslow); no overflow")
@Outcome(expect = FORBIDDEN, desc = "a G lost, taken twice, or a stale/unpublished slot handed out")
@State
public class RunqOverflowStealTest {
    private final G[] gs = RunqCheck.newGs(5);
    private final P victim = RunqCheck.newP(0, 4, RunqCheck.VICTIM_START);
    private final P thief = RunqCheck.newP(1, 4, RunqCheck.THIEF_START);
    private final RunqCheck.Taken stealer = new RunqCheck.Taken(6);

    @Actor
    public void owner() {
        for (G gp : gs) {
            victim.runqput(gp, false);
        }
    }

    @Actor
    public void thief(IIII_Result r) {
        RunqCheck.stealAndDrain(thief, victim, false, stealer);
        r.r2 = stealer.count();
    }

    @Arbiter
    public void audit(IIII_Result r) {
        RunqCheck.Audit a = new RunqCheck.Audit(gs);
        a.add(stealer);
        r.r1 = a.drainGlobal();
        r.r3 = a.drain(victim);
        a.drain(thief);
        r.r4 = a.verdict();
    }
}
