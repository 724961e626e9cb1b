package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Litmus tests of the pollDesc binary semaphores ({@link PollDesc#rg}: pdNil, pdReady, pdWait, a
 * waiter; Go: netpollblock, netpollunblock, netpollready, netpolldeadlineimpl,
 * poll_runtime_pollUnblock).
 *
 * <p>The waiter is a jcstress thread, so {@code pollWait} takes the plain-thread branch of
 * {@code netpollblock}: the same CASes (pdNil to pdWait, then pdWait to the waiter in the commit)
 * as a goroutine's {@code gopark} commit, with a {@link PollDesc.Waiter} in place of the G, and
 * blocking with LockSupport. The readiness side is the real {@code netpollready} (what the
 * polling M calls per event) feeding a {@link Netpoller.GList}, which unparks a plain waiter at
 * once. Close is the real {@code evict}; an expired deadline is the real timer function of the
 * read deadline, fired on a deadline already due. The backend is a stub: nothing here touches a
 * socket.
 *
 * <p>A readiness notification lost while the waiter parks leaves the waiter blocked for ever; the
 * batch never finishes and jcstress reports the test as stuck (the termination tests below turn
 * that into a STALE outcome). One delivered twice shows as {@code rg} still {@code pdReady}
 * after the waiter consumed it. Result codes: pollWait's return (0 ready, 1 closing,
 * 2 timeout); {@code rg} afterwards (0 pdNil, 1 pdReady, 2 pdWait, 3 a waiter left behind).
 */
public class PollDescTest {
    private PollDescTest() {}

    /** The backend seam, inert: arm is the only call a waiter makes. */
    static final class StubNetpoll extends Netpoll {
        @Override public String name() { return "stub"; }
        @Override public void init() {}
        @Override void netpollopen(NetFD fd, Object token) {}
        @Override public void close(NetFD fd) {}
        @Override public int poll(long delayNs, ReadySink sink) { return 0; }
        @Override public void wakeup() {}
        @Override public void arm(NetFD fd, int mode) {}
        @Override public void shutdown() {}
        @Override public NetFD listen(String net, InetSocketAddress laddr) throws IOException { throw new IOException("stub"); }
        @Override public NetFD dial(String net, InetSocketAddress raddr) throws IOException { throw new IOException("stub"); }
    }

    static final Netpoll STUB = new StubNetpoll();

    private static final Timer.Func READ_DEADLINE;

    static {
        try {
            Field f = PollDesc.class.getDeclaredField("READ_DEADLINE");
            f.setAccessible(true); // class path: not encapsulated
            READ_DEADLINE = (Timer.Func) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static PollDesc newPollDesc() {
        return new PollDesc(null, STUB);
    }

    /** The polling M's share of one read event: netpollready, then wake what it released. */
    static void readyRead(PollDesc pd) {
        Netpoller.GList out = new Netpoller.GList();
        pd.netpollready(Netpoll.READ, out); // a plain Waiter is unparked inside add
        if (!out.empty()) {
            throw new AssertionError("a plain-thread waiter must not be queued as a G");
        }
    }

    /** The read deadline's timer firing (Go: netpollReadDeadline), with rd already due. */
    static void fireReadDeadline(PollDesc pd) {
        READ_DEADLINE.run(pd, 0, 0);
    }

    static int sem(Object v) {
        if (v == null) {
            return 0;
        }
        if (v == PollDesc.pdReady) {
            return 1;
        }
        if (v == PollDesc.pdWait) {
            return 2;
        }
        return 3;
    }

    @JCStressTest
    @Description("pollWait(READ) vs netpollready(READ): the notification is consumed exactly once")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the waiter returned ready and consumed the notification (before, during or after its park)")
    @Outcome(expect = FORBIDDEN, desc = "a wrong return, or the notification left pending (delivered twice) or a waiter left in rg")
    @State
    public static class ReadyVsWait {
        final PollDesc pd = newPollDesc();

        @Actor
        public void waiter(II_Result r) {
            r.r1 = pd.pollWait(Netpoll.READ);
        }

        @Actor
        public void poller() {
            readyRead(pd);
        }

        @Arbiter
        public void audit(II_Result r) {
            r.r2 = sem(pd.rg);
        }
    }

    /**
     * Close (evict) racing the waiter: the waiter always fails with "closing" (checked before,
     * between pdWait and the commit, or after being woken), and rg ends pdNil.
     */
    @JCStressTest
    @Description("pollWait(READ) vs evict (close): the waiter always fails with pollErrClosing")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the waiter saw the close")
    @Outcome(expect = FORBIDDEN, desc = "the waiter returned ready without an event, or rg left dirty")
    @State
    public static class CloseVsWait {
        final PollDesc pd = newPollDesc();

        @Actor
        public void waiter(II_Result r) {
            r.r1 = pd.pollWait(Netpoll.READ);
        }

        @Actor
        public void closer() {
            pd.evict();
        }

        @Arbiter
        public void audit(II_Result r) {
            r.r2 = sem(pd.rg);
        }
    }

    /** A read deadline expiring (its timer fires) while the reader waits: always a timeout. */
    @JCStressTest
    @Description("pollWait(READ) vs the read deadline's timer firing: the waiter always times out")
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "the waiter timed out; the deadline is marked expired")
    @Outcome(expect = FORBIDDEN, desc = "ready without an event, a missed expiry, or rg left dirty")
    @State
    public static class DeadlineVsWait {
        final PollDesc pd = newPollDesc();

        public DeadlineVsWait() {
            pd.rd = Proc.nanotime(); // due; the timer has not fired yet (info not published)
        }

        @Actor
        public void waiter(III_Result r) {
            r.r1 = pd.pollWait(Netpoll.READ);
        }

        @Actor
        public void timer() {
            fireReadDeadline(pd);
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r2 = sem(pd.rg);
            r.r3 = pd.rd == -1 ? 1 : 0;
        }
    }

    /**
     * Readiness, then close, from the same side, racing the waiter. If the waiter sees the close
     * first, the notification stays pending in rg (nobody consumed it; harmless, the descriptor is
     * closing); if it consumed the notification it returns ready even though the close followed
     * (the next pollWait fails). It never returns closing after consuming, nor ready without it.
     */
    @JCStressTest
    @Description("pollWait(READ) vs (netpollready(READ); evict)")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the waiter took the notification")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the waiter saw the close first; the notification is still pending")
    @Outcome(expect = FORBIDDEN, desc = "a notification lost (closing with rg empty) or duplicated (ready with rg still pdReady)")
    @State
    public static class ReadyThenCloseVsWait {
        final PollDesc pd = newPollDesc();

        @Actor
        public void waiter(II_Result r) {
            r.r1 = pd.pollWait(Netpoll.READ);
        }

        @Actor
        public void pollerThenCloser() {
            readyRead(pd);
            pd.evict();
        }

        @Arbiter
        public void audit(II_Result r) {
            r.r2 = sem(pd.rg);
        }
    }

    /**
     * The deadline timer firing races a readiness event, with no waiter: the next pollWait (in
     * the arbiter) reports the timeout (Go checks errors before consuming readiness), and the
     * event stays pending for a later read once the deadline is moved.
     */
    @JCStressTest
    @Description("netpollready(READ) vs the read deadline's timer, then pollWait")
    @Outcome(id = "2, 1, 1", expect = ACCEPTABLE, desc = "timeout reported; the notification is kept in rg; the deadline is expired")
    @Outcome(expect = FORBIDDEN, desc = "the expiry erased the notification, or the expiry was missed")
    @State
    public static class ReadyVsDeadline {
        final PollDesc pd = newPollDesc();

        public ReadyVsDeadline() {
            pd.rd = Proc.nanotime();
        }

        @Actor
        public void poller() {
            readyRead(pd);
        }

        @Actor
        public void timer() {
            fireReadDeadline(pd);
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r1 = pd.pollWait(Netpoll.READ);
            r.r2 = sem(pd.rg);
            r.r3 = pd.rd == -1 ? 1 : 0;
        }
    }

    /** The lost wake-up check as a termination test: a readiness event must release the waiter. */
    @JCStressTest(Mode.Termination)
    @Description("pollWait(READ) must return after netpollready(READ)")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the event woke the waiter")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost notification: the waiter sleeps for ever")
    @State
    public static class ReadyWakesWaiter {
        final PollDesc pd = newPollDesc();

        @Actor
        public void waiter() {
            pd.pollWait(Netpoll.READ);
        }

        @Signal
        public void poller() {
            readyRead(pd);
        }
    }

    /** The same for a deadline in the past set by setDeadline (Go: SetReadDeadline(past)). */
    @JCStressTest(Mode.Termination)
    @Description("pollWait(READ) must return after setDeadline(past, READ)")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the past deadline woke the waiter")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost wake-up: the waiter sleeps for ever")
    @State
    public static class PastDeadlineWakesWaiter {
        final PollDesc pd = newPollDesc();

        @Actor
        public void waiter() {
            pd.pollWait(Netpoll.READ);
        }

        @Signal
        public void setDeadline() {
            pd.setDeadline(-1, Netpoll.READ);
        }
    }
}
