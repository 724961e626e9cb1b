package dev.gort.internal.runtime;

import java.time.Duration;

/**
 * The door from {@code dev.gort.time} and {@code Go.sleep} into the runtime's timers (Go: the
 * {@code //go:linkname}ed time.Sleep, newTimer, stopTimer, resetTimer). Not exported.
 */
public final class TimeLink {
    private TimeLink() {}

    /** A Duration in nanoseconds, clamped to [Long.MIN_VALUE, Long.MAX_VALUE] instead of overflowing. */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    public static void sleep(long ns) {
        Proc.ensureStarted();
        Proc.sleep(ns);
    }

    /** A timer sending the time on a new timer channel after ns, then every period ns if > 0. */
    public static Object newChanTimer(long ns, long period) {
        Proc.ensureStarted();
        Hchan c = new Hchan(1, true);
        Timer t = new Timer(Timer.SEND_TIME, null, c);
        t.arg = t;
        t.reset(Proc.whenAfter(ns), period);
        return t;
    }

    /** A timer that starts f in its own goroutine after ns (Go: AfterFunc's goFunc). */
    public static Object newFuncTimer(long ns, Runnable f) {
        Proc.ensureStarted();
        Timer t = new Timer(GO_FUNC, f, null);
        t.reset(Proc.whenAfter(ns), 0);
        return t;
    }

    private static final Timer.Func GO_FUNC = (arg, seq, delay) -> Proc.newproc((Runnable) arg, false);

    public static Hchan chan(Object timer) {
        return ((Timer) timer).chan;
    }

    public static boolean stop(Object timer) {
        return ((Timer) timer).stop();
    }

    public static boolean reset(Object timer, long ns, long period) {
        return ((Timer) timer).reset(Proc.whenAfter(ns), period);
    }
}
