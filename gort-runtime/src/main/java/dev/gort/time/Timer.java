package dev.gort.time;

import dev.gort.Chan;
import dev.gort.internal.runtime.ChanAccess;
import dev.gort.internal.runtime.TimeLink;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code time.Timer}, with Go 1.23+ semantics: the channel is synchronous ({@code len} and
 * {@code cap} are 0), and after {@link #stop()} or {@link #reset(Duration)} returns no stale value
 * is received. {@link #afterFunc} timers have no channel ({@link #c()} is null).
 */
public final class Timer {
    private final Object t;
    private final Chan<Instant> c;

    private Timer(Object t, Chan<Instant> c) {
        this.t = t;
        this.c = c;
    }

    /** {@code time.NewTimer}: sends the current time on {@link #c()} after d. */
    public static Timer newTimer(Duration d) {
        Objects.requireNonNull(d, "d");
        Object t = TimeLink.newChanTimer(TimeLink.nanos(d), 0);
        return new Timer(t, ChanAccess.wrap(TimeLink.chan(t)));
    }

    /** {@code time.AfterFunc}: runs f in its own goroutine after d. */
    public static Timer afterFunc(Duration d, Runnable f) {
        Objects.requireNonNull(d, "d");
        Objects.requireNonNull(f, "f");
        return new Timer(TimeLink.newFuncTimer(TimeLink.nanos(d), f), null);
    }

    /** The channel on which the time is delivered; null for an {@link #afterFunc} timer. */
    public Chan<Instant> c() {
        return c;
    }

    /**
     * Stops the timer. Returns true if the call stops it, false if it had already fired or been
     * stopped. A timer that fired but whose value was never received counts as not fired: the
     * value is taken back and stop returns true.
     */
    public boolean stop() {
        return TimeLink.stop(t);
    }

    /** Re-arms the timer for d from now; returns whether it had been active. */
    public boolean reset(Duration d) {
        Objects.requireNonNull(d, "d");
        return TimeLink.reset(t, TimeLink.nanos(d), 0);
    }
}
