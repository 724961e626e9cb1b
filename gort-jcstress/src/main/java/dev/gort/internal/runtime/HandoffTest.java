package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Litmus tests of the P hand-off protocols of issue 4, with the runtime's own primitives.
 *
 * <p>{@link StuckMHandoff}: sysmon's hand-off of a P whose M is stuck in one goroutine
 * ({@link Proc#retakeRunning}) against that M's goroutine leaving {@code _Grunning} (park_m and
 * friends, then {@code checkRetaken}). sysmon may mark the P retaken only while holding the G's
 * status as {@code _Grunning|_Gscan}; the M's CAS out of {@code _Grunning} waits for the scan bit.
 * So either sysmon's CAS came first and the M sees {@code retaken}, or the M's CAS came first and
 * sysmon backs off: never a P retaken behind the back of an M already in scheduler code.
 *
 * <p>{@link SyscallPRace}: a {@code _Psyscall} P wanted at once by the returning M
 * (exitsyscallfast) and sysmon (retake); stop-the-world takes it with the same CAS. Exactly one
 * wins.
 */
public class HandoffTest {
    private HandoffTest() {}

    @JCStressTest
    @Description("sysmon's stuck-M hand-off racing the M's goroutine leaving _Grunning")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "sysmon first: the P was handed off and the M saw it")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the G left _Grunning first: sysmon backed off")
    @Outcome(expect = FORBIDDEN, desc = "a hand-off the M did not see, or a flag without a hand-off")
    @State
    public static class StuckMHandoff {
        final G gp = new G();
        final P pp = new P(0, 4);

        public StuckMHandoff() {
            gp.setStatusUnpublished(G._Grunning);
        }

        @Actor
        public void m(II_Result r) {
            gp.casgstatus(G._Grunning, G._Gwaiting); // park_m
            r.r1 = pp.retaken ? 1 : 0; // checkRetaken
        }

        @Actor
        public void sysmon(II_Result r) {
            if (gp.tryCasgstatus(G._Grunning, G._Grunning | G._Gscan)) {
                pp.retaken = true;
                r.r2 = 1;
                gp.casgstatus(G._Grunning | G._Gscan, G._Grunning);
            } else {
                r.r2 = 0;
            }
        }
    }

    @JCStressTest
    @Description("a _Psyscall P taken by exitsyscallfast and by sysmon's retake at once")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the returning M got its P back")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "sysmon retook it (the M must find another P)")
    @Outcome(expect = FORBIDDEN, desc = "two owners, or none")
    @State
    public static class SyscallPRace {
        final P pp = new P(0, 4);

        public SyscallPRace() {
            pp.status = P._Psyscall;
        }

        @Actor
        public void exitsyscall(II_Result r) {
            r.r1 = pp.casStatus(P._Psyscall, P._Pidle) ? 1 : 0;
        }

        @Actor
        public void retake(II_Result r) {
            r.r2 = pp.casStatus(P._Psyscall, P._Pidle) ? 1 : 0;
        }
    }
}
