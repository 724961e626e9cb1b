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
 * The direct hand-off of an unbuffered channel, both ways, on plain threads: a blocking
 * {@code chansend(1)} against a blocking {@code chanrecv}. Whichever comes second finds the other
 * parked on {@code recvq}/{@code sendq} and completes the exchange through its sudog (Go: send's
 * {@code sendDirect} into a waiting receiver, recv's {@code recvDirect} from a waiting sender);
 * the first one parks and is woken with the exchange already done. ChanSendCloseTest covers a
 * receive meeting a parked sender with a close after it; this one has no close, so each side
 * blocks in turn and both hand-off directions happen.
 *
 * <p>Result: the send's outcome (1 returned), the value received, the arbiter's verdict on the
 * queues (0 clean; bit 1 recvq, 2 sendq, 4 qcount or a value left over).
 */
@JCStressTest
@Description("blocking send vs blocking receive on an unbuffered channel: exactly one hand-off")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "the value changed hands once; no waiter left queued")
@Outcome(expect = FORBIDDEN, desc = "a value lost, duplicated or invented, or a sudog left on a queue")
@State
public class ChanHandoffTest {
    private final Hchan h = Hchan.makechan(0);

    @Actor
    public void sender(III_Result r) {
        h.chansend(1, true);
        r.r1 = 1;
    }

    @Actor
    public void receiver(III_Result r) {
        Object v = h.chanrecv(true);
        r.r2 = v instanceof Integer i ? i : -1;
    }

    @Arbiter
    public void audit(III_Result r) {
        Object left = h.chanrecv(false);
        r.r3 = (h.recvq.isEmpty() ? 0 : 1) | (h.sendq.isEmpty() ? 0 : 2)
                | (h.qcount == 0 && left == Hchan.NOT_READY ? 0 : 4);
    }
}
