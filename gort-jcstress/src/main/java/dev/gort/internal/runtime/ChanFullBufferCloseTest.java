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
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * A channel of one slot that already holds 1. A plain thread sends 2, blocking (it parks itself)
 * while the slot is full; another receives twice without blocking, then closes the channel. When
 * the sender is parked, the first receive takes the head (1) and moves the parked sender's 2 into
 * the freed slot (Go's recv from a full buffer), keeping FIFO order; a value buffered before the
 * close survives it; a sender still parked at the close, or arriving after it, panics. Every
 * operation completes, so no actor blocks forever.
 *
 * <p>Result: the send (1 returned, -1 panicked {@code send on closed channel}, -2 another panic),
 * the first and second receive (the value, 0 nothing ready, -1 closed), what the arbiter then
 * receives (the value, -1 closed and drained), and its verdict on the channel (0: queues empty,
 * qcount 0, the slot cleared; bit 1 recvq, 2 sendq, 4 qcount, 8 a stale slot).
 */
@JCStressTest
@Description("full cap-1 channel: blocking send(2) vs (tryRecv; tryRecv; close): FIFO through a parked sender, 2 delivered exactly when the send returns")
@Outcome(id = "1, 1, 2, -1, 0", expect = ACCEPTABLE, desc = "2 was sent (parked, or into the freed slot) and received second")
@Outcome(id = "1, 1, 0, 2, 0", expect = ACCEPTABLE, desc = "2 was sent after the second look; it stays buffered across the close")
@Outcome(id = "-1, 1, 0, -1, 0", expect = ACCEPTABLE, desc = "the close came first (or found the sender parked): the send panicked")
@Outcome(expect = FORBIDDEN, desc = "FIFO broken, a value lost or invented, a send that returned without delivering, or a stale queue entry or slot")
@State
public class ChanFullBufferCloseTest {
    private final Hchan h = Hchan.makechan(1);

    public ChanFullBufferCloseTest() {
        h.chansend(1, false); // fills the slot before the actors start
    }

    @Actor
    public void sender(IIIII_Result r) {
        try {
            h.chansend(2, true);
            r.r1 = 1;
        } catch (Panic p) {
            r.r1 = "send on closed channel".equals(p.getMessage()) ? -1 : -2;
        }
    }

    @Actor
    public void receiverThenCloser(IIIII_Result r) {
        r.r2 = value(h.chanrecv(false));
        r.r3 = value(h.chanrecv(false));
        h.closechan();
    }

    @Arbiter
    public void audit(IIIII_Result r) {
        r.r4 = value(h.chanrecv(false));
        r.r5 = (h.recvq.isEmpty() ? 0 : 1) | (h.sendq.isEmpty() ? 0 : 2) | (h.qcount == 0 ? 0 : 4)
                | (h.buf[0] == null ? 0 : 8);
    }

    /** An int value as itself; NOT_READY as 0, CLOSED as -1, anything else as -3. */
    private static int value(Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        return v == Hchan.NOT_READY ? 0 : v == Hchan.CLOSED ? -1 : -3;
    }
}
