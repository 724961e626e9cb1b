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
 * A blocking select on a plain thread, receiving from a (one slot) and b (unbuffered), racing a
 * send of 1 to a followed by the close of b. The select fires exactly once: it takes 1 from a (from
 * the buffer, or handed over directly while it is parked) or sees b closed (then 1 stays in a).
 * When it was parked, the case that lost must have had its sudog removed from the other channel's
 * queue (selectgo's pass 3), and a waker that finds that sudog must skip it (selectDone).
 *
 * <p>Result: the case that fired (0 a, 1 b), what it received (the value, or -1 for closed), what
 * is left in a (1, or 0), the arbiter's verdict on both channels' queues (0 clean; bits 1 and 2:
 * a's recvq and sendq; 4 and 8: b's).
 */
@JCStressTest
@Description("select { <-a; <-b } on a plain thread vs (a <- 1; close(b)): one case fires once, the value is neither lost nor duplicated, no sudog left")
@Outcome(id = "0, 1, 0, 0", expect = ACCEPTABLE, desc = "the select took 1 from a")
@Outcome(id = "1, -1, 1, 0", expect = ACCEPTABLE, desc = "the select saw b closed; 1 is still in a")
@Outcome(expect = FORBIDDEN, desc = "the value lost or duplicated, a wrong case or value, or a stale sudog on a queue")
@State
public class ChanSelectCloseTest {
    private final Hchan a = Hchan.makechan(1);
    private final Hchan b = Hchan.makechan(0);

    @Actor
    public void selector(IIII_Result r) {
        Selectgo.Scratch s = Selectgo.scratch(2); // a plain thread: a fresh one
        s.c[0] = a;
        s.c[1] = b;
        int i = Selectgo.selectgo(s, 2, true);
        r.r1 = i;
        Object v = s.recv;
        r.r2 = v instanceof Integer n ? n : v == Hchan.CLOSED ? -1 : -3;
    }

    @Actor
    public void senderThenCloser() {
        a.chansend(1, false); // room in the one slot, or a parked receiver: never fails
        b.closechan();
    }

    @Arbiter
    public void audit(IIII_Result r) {
        Object v = a.chanrecv(false);
        r.r3 = v instanceof Integer n ? n : 0;
        r.r4 = (a.recvq.isEmpty() ? 0 : 1) | (a.sendq.isEmpty() ? 0 : 2) | (b.recvq.isEmpty() ? 0 : 4)
                | (b.sendq.isEmpty() ? 0 : 8);
    }
}
