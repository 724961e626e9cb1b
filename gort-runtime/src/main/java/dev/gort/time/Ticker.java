package dev.gort.time;

import dev.gort.Chan;
import dev.gort.Panic;
import dev.gort.internal.runtime.ChanAccess;
import dev.gort.internal.runtime.TimeLink;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code time.Ticker}: delivers the time on {@link #c()} every period. A tick that is not received
 * before the next one is dropped (the channel holds at most one), and missed ticks are skipped, as
 * in Go.
 */
public final class Ticker {
    private final Object t;
    private final Chan<Instant> c;

    private Ticker(Object t, Chan<Instant> c) {
        this.t = t;
        this.c = c;
    }

    /**
     * {@code time.NewTicker}.
     *
     * @throws Panic {@code non-positive interval for NewTicker} when d <= 0
     */
    public static Ticker newTicker(Duration d) {
        long ns = TimeLink.nanos(Objects.requireNonNull(d, "d"));
        if (ns <= 0) {
            throw new Panic("non-positive interval for NewTicker");
        }
        Object t = TimeLink.newChanTimer(ns, ns);
        return new Ticker(t, ChanAccess.wrap(TimeLink.chan(t)));
    }

    public Chan<Instant> c() {
        return c;
    }

    /** Turns the ticker off; no more ticks are sent, and none pending is received. */
    public void stop() {
        TimeLink.stop(t);
    }

    /**
     * Changes the period to d and restarts the ticker.
     *
     * @throws Panic {@code non-positive interval for Ticker.Reset} when d <= 0
     */
    public void reset(Duration d) {
        long ns = TimeLink.nanos(Objects.requireNonNull(d, "d"));
        if (ns <= 0) {
            throw new Panic("non-positive interval for Ticker.Reset");
        }
        TimeLink.reset(t, ns, ns);
    }
}
