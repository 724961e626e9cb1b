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
 * The owner publishes Gs (slot store, then store-release of runqtail) while a thief steals half of
 * what it sees; then the owner takes two. The ring has 4 slots and its indices start at
 * {@code Integer.MAX_VALUE - 1}, so the three puts wrap both the slot index and the int sign.
 *
 * <p>Result: Gs the owner took, Gs the thief took (runqsteal plus draining its own ring), Gs left
 * in the victim, audit verdict (0 = every G taken exactly once; see {@link RunqCheck}).
 */
@JCStressTest
@Description("runqput x3 + runqget x2 (owner) racing runqsteal (thief): no G lost or taken twice")
@Outcome(id = "2, 0, 1, 0", expect = ACCEPTABLE, desc = "steal found the ring empty (before the puts)")
@Outcome(id = "2, 1, 0, 0", expect = ACCEPTABLE, desc = "steal saw 1 or 2 Gs (or ran after the gets) and took 1")
@Outcome(id = "1, 2, 0, 0", expect = ACCEPTABLE, desc = "steal saw all 3 Gs before the owner's gets and took 2")
@Outcome(expect = FORBIDDEN, desc = "a G lost, taken twice, or a stale/unpublished slot handed out")
@State
public class RunqPutStealTest {
    private final G[] gs = RunqCheck.newGs(3);
    private final P victim = RunqCheck.newP(0, 4, RunqCheck.VICTIM_START);
    private final P thief = RunqCheck.newP(1, 4, RunqCheck.THIEF_START);
    private final RunqCheck.Taken owner = new RunqCheck.Taken(4);
    private final RunqCheck.Taken stealer = new RunqCheck.Taken(4);

    @Actor
    public void owner(IIII_Result r) {
        victim.runqput(gs[0], false);
        victim.runqput(gs[1], false);
        victim.runqput(gs[2], false);
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
