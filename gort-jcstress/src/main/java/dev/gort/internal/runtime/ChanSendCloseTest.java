package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gort.Panic;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A blocking send on an unbuffered channel racing a non-blocking receive followed by close, on
 * plain threads. The sender either is parked when the receive looks (the receive takes its value
 * and the send returns) or is not (the receive finds nothing; the close then wakes the parked
 * sender, or the sender finds the channel closed: either way it panics). The send always
 * completes, so no actor blocks forever.
 *
 * <p>Result: the send's outcome (1 returned, -1 panicked {@code send on closed channel}, -2 another
 * panic), the receive's (the value, 0 nothing ready, -1 closed), what a non-blocking receive after
 * everything returns (-1 closed and drained, else the value or 0), the arbiter's verdict on the
 * queues (0 clean; bit 1 recvq, 2 sendq, 4 qcount).
 */
@JCStressTest
@Description("blocking send vs (tryRecv; close) on an unbuffered channel: the value is delivered exactly when the send returns")
@Outcome(id = "1, 1, -1, 0", expect = ACCEPTABLE, desc = "the receive took the parked sender's value; the send returned")
@Outcome(id = "-1, 0, -1, 0", expect = ACCEPTABLE, desc = "nothing to receive yet; the close made the send panic")
@Outcome(expect = FORBIDDEN, desc = "a value lost or invented, a send that returned without delivering, CLOSED before the close, or a waiter left queued")
@State
public class ChanSendCloseTest {
    private final Hchan h = Hchan.makechan(0);

    @Actor
    public void sender(IIII_Result r) {
        try {
            h.chansend(1, true);
            r.r1 = 1;
        } catch (Panic p) {
            r.r1 = "send on closed channel".equals(p.getMessage()) ? -1 : -2;
        }
    }

    @Actor
    public void receiverThenCloser(IIII_Result r) {
        Object v = h.chanrecv(false);
        r.r2 = v instanceof Integer i ? i : v == Hchan.NOT_READY ? 0 : v == Hchan.CLOSED ? -1 : -3;
        h.closechan();
    }

    @Arbiter
    public void audit(IIII_Result r) {
        Object v = h.chanrecv(false);
        r.r3 = v instanceof Integer i ? i : v == Hchan.CLOSED ? -1 : 0;
        r.r4 = (h.recvq.isEmpty() ? 0 : 1) | (h.sendq.isEmpty() ? 0 : 2) | (h.qcount == 0 ? 0 : 4);
    }
}
