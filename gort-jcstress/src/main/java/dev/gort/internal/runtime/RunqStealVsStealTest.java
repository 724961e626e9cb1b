package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * Two stealers on one victim, with the owner consuming too, in two threads (jcstress 0.16 runs a
 * test only if every actor gets its own CPU, so {@link RunqTwoStealersTest}, with three actors,
 * does not run on a 2-CPU machine). Actor A is the victim's owner: it takes a G, steals from its
 * own victim into a second P it also owns (any P may consume from any ring), and takes another G.
 * Actor B is a plain thief that steals twice. So steal races steal, and get races steal, on the
 * same runqhead; the 8-slot ring holds 6 Gs whose indices wrap the slot index and the int sign.
 *
 * <p>Result: Gs A took by runqget, Gs A stole, Gs B stole, Gs left in the victim, verdict.
 */
@JCStressTest
@Description("runqget, runqsteal, runqget (owner A) racing runqsteal x2 (thief B) on a 6-G ring: no G lost or taken twice")
@Outcome(id = "1, 0, 5, 0, 0", expect = ACCEPTABLE, desc = "B stole 3 of 6 and 2 of 3 first; A got the last G, its steal found none")
@Outcome(id = "1, 1, 4, 0, 0", expect = ACCEPTABLE, desc = "A got 1, B stole 3; then A's steal and B's second took 1 each")
@Outcome(id = "1, 3, 2, 0, 0", expect = ACCEPTABLE, desc = "A got 1 and stole 3 of 5; B then stole 1 of 2 and 1 of 1")
@Outcome(id = "2, 1, 3, 0, 0", expect = ACCEPTABLE, desc = "A got 1, B stole 3, A stole 1 of 2 and got the last; B's second steal found none")
@Outcome(id = "2, 3, 1, 0, 0", expect = ACCEPTABLE, desc = "A got 1, stole 3 of 5; A's second get and B's first steal took 1 each")
@Outcome(expect = FORBIDDEN, desc = "a G lost, taken twice, or a stale/unpublished slot handed out")
@State
public class RunqStealVsStealTest {
    private final G[] gs = RunqCheck.newGs(6);
    private final P victim = RunqCheck.newP(0, 8, RunqCheck.VICTIM_START);
    private final P ownersOther = RunqCheck.newP(1, 4, RunqCheck.THIEF_START);
    private final P thief = RunqCheck.newP(2, 4, RunqCheck.THIEF_START);
    private final RunqCheck.Taken ownerGot = new RunqCheck.Taken(7);
    private final RunqCheck.Taken ownerStole = new RunqCheck.Taken(7);
    private final RunqCheck.Taken stealer = new RunqCheck.Taken(7);

    public RunqStealVsStealTest() {
        for (G gp : gs) {
            victim.runqput(gp, false); // as the owner, before the actors start
        }
    }

    @Actor
    public void ownerA(IIIII_Result r) {
        ownerGot.add(victim.runqget());
        RunqCheck.stealAndDrain(ownersOther, victim, false, ownerStole);
        ownerGot.add(victim.runqget());
        r.r1 = ownerGot.count();
        r.r2 = ownerStole.count();
    }

    @Actor
    public void thiefB(IIIII_Result r) {
        RunqCheck.stealAndDrain(thief, victim, false, stealer);
        RunqCheck.stealAndDrain(thief, victim, false, stealer);
        r.r3 = stealer.count();
    }

    @Arbiter
    public void audit(IIIII_Result r) {
        RunqCheck.Audit a = new RunqCheck.Audit(gs);
        a.add(ownerGot);
        a.add(ownerStole);
        a.add(stealer);
        r.r4 = a.drain(victim);
        a.drain(ownersOther);
        a.drain(thief);
        r.r5 = a.verdict();
    }
}
