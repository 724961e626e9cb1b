package dev.gort.internal.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Litmus tests of runtime timers ({@link Timer}, {@link Timers}): stop and reset racing a firing,
 * and two Ms running the same heap (a P's own M and a spinning M that runs another P's timers).
 *
 * <p>Each instance arms its timer in its own heap ({@code when = 1}); the "firer" actor is the M
 * running that heap's {@code check} at a time past it, which takes the timer off the heap under
 * the heap's lock and calls its function with no lock held. {@code reset} from a plain thread puts
 * the timer on a random P's heap ({@code Timers.addToCurrentP}): the runtime is not started, so
 * this class gives {@code Proc.allp} one P of its own, whose heap nobody runs (the re-armed
 * timers are due at the end of time, and the arbiter stops them).
 *
 * <p>Invariants (Go 1.23): a function timer's f runs at most once per arming, and
 * {@code stop}/{@code reset} report "was pending" exactly when it did not run; for a timer
 * channel, after {@code stop} or {@code reset} returns no stale value can be received, and a
 * value the firing sent but nobody received counts as stopped (it is taken back).
 */
public class TimerTest {
    private TimerTest() {}

    static {
        if (Proc.allp.length == 0) {
            P pp = new P(0, 4);
            Proc.allp = new P[] {pp};
        }
    }

    static final long FIRE_AT = 1;
    static final long NOW = 2;

    /** A function timer counting its calls. */
    static final Timer.Func COUNT = (arg, seq, delay) -> ((AtomicInteger) arg).incrementAndGet();

    /** Arms t in ts, as {@code Timers.addToCurrentP} does (t.mu held, in no heap). */
    static void arm(Timers ts, Timer t, long when, long period) {
        t.mu.lock();
        try {
            t.when = when;
            t.period = period;
            ts.mu.lock();
            try {
                ts.add(t);
            } finally {
                ts.mu.unlock();
            }
        } finally {
            t.mu.unlock();
        }
    }

    static Timer chanTimer() {
        Timer t = new Timer(Timer.SEND_TIME, null, new Hchan(1, true)); // as TimeLink.newChanTimer
        t.arg = t;
        return t;
    }

    /** A non-blocking receive: 1 if a value was there. */
    static int tryRecv(Timer t) {
        return t.chan.chanrecv(false) != Hchan.NOT_READY ? 1 : 0;
    }

    @JCStressTest
    @Description("function timer: stop vs the heap's check firing it")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "stopped before firing; f never runs")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "fired; stop reports it was not pending")
    @Outcome(expect = FORBIDDEN, desc = "f ran although stop said stopped, f lost, or the timer left in the heap")
    @State
    public static class FuncStopVsFire {
        final AtomicInteger calls = new AtomicInteger();
        final Timers ts = new Timers();
        final Timer t = new Timer(COUNT, calls, null);

        public FuncStopVsFire() {
            arm(ts, t, FIRE_AT, 0);
        }

        @Actor
        public void m() {
            ts.check(NOW, null);
        }

        @Actor
        public void stopper(III_Result r) {
            r.r1 = t.stop() ? 1 : 0;
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r2 = calls.get();
            r.r3 = ts.size() + (t.ts != null ? 10 : 0);
        }
    }

    @JCStressTest
    @Description("function timer: reset (to the far future) vs the heap's check firing the old arming")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "reset before firing: the old arming never runs; the new one is pending")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "the old arming fired once; the new one is pending")
    @Outcome(expect = FORBIDDEN, desc = "the old arming lost or run although reset said pending, or the new arming not pending")
    @State
    public static class FuncResetVsFire {
        final AtomicInteger calls = new AtomicInteger();
        final Timers ts = new Timers();
        final Timer t = new Timer(COUNT, calls, null);

        public FuncResetVsFire() {
            arm(ts, t, FIRE_AT, 0);
        }

        @Actor
        public void m() {
            ts.check(NOW, null);
        }

        @Actor
        public void resetter(III_Result r) {
            r.r1 = t.reset(Long.MAX_VALUE, 0) ? 1 : 0;
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r2 = calls.get();
            r.r3 = t.stop() ? 1 : 0; // also takes it off the shared P's heap
        }
    }

    /**
     * Timer channel: a receiver polls the channel, then stops the timer, then polls again, while
     * the timer fires. The value is received exactly when stop reports "not pending", and never
     * after stop returned.
     */
    @JCStressTest
    @Description("timer channel: (tryRecv; stop; tryRecv) vs firing")
    @Outcome(id = "1, 0, 0, 0", expect = ACCEPTABLE, desc = "the value was received; stop reports it fired")
    @Outcome(id = "0, 1, 0, 0", expect = ACCEPTABLE, desc = "stopped: before the firing, with the send dropped, or taken back from the channel")
    @Outcome(expect = FORBIDDEN, desc = "a stale value after stop, a value both received and stopped, or one lost")
    @State
    public static class ChanStopVsFire {
        final Timers ts = new Timers();
        final Timer t = chanTimer();

        public ChanStopVsFire() {
            arm(ts, t, FIRE_AT, 0);
        }

        @Actor
        public void m() {
            ts.check(NOW, null);
        }

        @Actor
        public void user(IIII_Result r) {
            r.r1 = tryRecv(t);
            r.r2 = t.stop() ? 1 : 0;
            r.r3 = tryRecv(t);
        }

        @Arbiter
        public void audit(IIII_Result r) {
            r.r4 = tryRecv(t) + (ts.size() != 0 || t.ts != null ? 10 : 0);
        }
    }

    /**
     * Timer channel: (tryRecv; reset; tryRecv) vs the old arming firing. After reset returns no
     * value of the old arming is received; the new arming is pending (the arbiter stops it).
     */
    @JCStressTest
    @Description("timer channel: (tryRecv; reset; tryRecv) vs the old arming firing")
    @Outcome(id = "1, 0, 0, 0, 1", expect = ACCEPTABLE, desc = "the old value was received; reset reports it fired")
    @Outcome(id = "0, 1, 0, 0, 1", expect = ACCEPTABLE, desc = "reset cancelled the old arming (before the firing, its send dropped, or its value taken back)")
    @Outcome(expect = FORBIDDEN, desc = "a stale value after reset, a value both received and reported pending, one lost, or the new arming not pending")
    @State
    public static class ChanResetVsFire {
        final Timers ts = new Timers();
        final Timer t = chanTimer();

        public ChanResetVsFire() {
            arm(ts, t, FIRE_AT, 0);
        }

        @Actor
        public void m() {
            ts.check(NOW, null);
        }

        @Actor
        public void user(IIIII_Result r) {
            r.r1 = tryRecv(t);
            r.r2 = t.reset(Long.MAX_VALUE, 0) ? 1 : 0;
            r.r3 = tryRecv(t);
        }

        @Arbiter
        public void audit(IIIII_Result r) {
            r.r4 = tryRecv(t);
            r.r5 = t.stop() ? 1 : 0;
        }
    }

    /**
     * Two Ms run the same heap at the same time (its P's M and a spinning M running that P's
     * timers): a periodic timer due once fires once, and is re-armed once, one period later.
     */
    @JCStressTest
    @Description("two Ms running the same heap's check: a due periodic timer fires once")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "fired once and re-armed for the next period")
    @Outcome(expect = FORBIDDEN, desc = "fired twice or not at all, or re-armed wrongly")
    @State
    public static class CheckVsCheck {
        static final long PERIOD = 1_000_000;
        final AtomicInteger calls = new AtomicInteger();
        final Timers ts = new Timers();
        final Timer t = new Timer(COUNT, calls, null);

        public CheckVsCheck() {
            arm(ts, t, FIRE_AT, PERIOD);
        }

        @Actor
        public void m1() {
            ts.check(NOW, null);
        }

        @Actor
        public void m2() {
            ts.check(NOW, null);
        }

        @Arbiter
        public void audit(II_Result r) {
            r.r1 = calls.get();
            r.r2 = ts.size() == 1 && t.ts == ts && t.when == FIRE_AT + PERIOD ? 1 : 0;
        }
    }
    /**
     * A ticker (periodic timer channel) stopped while a tick fires: once stop returns, the ticker
     * is in no heap (it never ticks again) and no tick is received after it. Found a bug: the
     * firing took the ticker off the heap and added it back, so a stop in between saw it as
     * fired and returned while the ticker stayed armed for ever.
     */
    @JCStressTest
    @Description("ticker: (stop; tryRecv) vs a tick firing")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "stopped; no tick after stop; out of every heap")
    @Outcome(expect = FORBIDDEN, desc = "a stale tick, stop not reporting the running ticker as stopped, or the ticker left in a heap")
    @State
    public static class TickerStopVsFire {
        final Timers ts = new Timers();
        final Timer t = chanTimer();

        public TickerStopVsFire() {
            arm(ts, t, FIRE_AT, CheckVsCheck.PERIOD);
        }

        @Actor
        public void m() {
            ts.check(NOW, null);
        }

        @Actor
        public void user(III_Result r) {
            r.r1 = t.stop() ? 1 : 0;
            r.r2 = tryRecv(t);
        }

        @Arbiter
        public void audit(III_Result r) {
            r.r3 = tryRecv(t) + (ts.size() != 0 ? 10 : 0) + (t.ts != null ? 100 : 0);
        }
    }

    /**
     * A ticker reset (to another period) while a tick fires: afterwards it is in exactly one heap
     * (the resetter's P's), with the new period, and no stale tick is received. Found a bug:
     * the firing's remove-then-add let the reset add the ticker to a second heap.
     */
    @JCStressTest
    @Description("ticker: (reset; tryRecv) vs a tick firing")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "reset; no stale tick; in one heap, the resetter's, and stoppable")
    @Outcome(expect = FORBIDDEN, desc = "a stale tick, or the ticker in two heaps (or none)")
    @State
    public static class TickerResetVsFire {
        final Timers ts = new Timers();
        final Timer t = chanTimer();

        public TickerResetVsFire() {
            arm(ts, t, FIRE_AT, CheckVsCheck.PERIOD);
        }

        @Actor
        public void m() {
            ts.check(NOW, null);
        }

        @Actor
        public void user(III_Result r) {
            r.r1 = t.reset(Long.MAX_VALUE, 2 * CheckVsCheck.PERIOD) ? 1 : 0;
            r.r2 = tryRecv(t);
        }

        @Arbiter
        public void audit(III_Result r) {
            boolean oneHeap = ts.size() == 0 && t.ts == Proc.allp[0].timers && t.period == 2 * CheckVsCheck.PERIOD;
            r.r3 = (oneHeap ? 1 : 0) + (t.stop() ? 0 : 10) + tryRecv(t) * 100;
        }
    }
}
