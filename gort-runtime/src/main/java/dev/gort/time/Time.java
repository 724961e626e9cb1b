package dev.gort.time;

import dev.gort.Chan;
import java.time.Duration;
import java.time.Instant;

/** Package {@code time}'s functions. */
public final class Time {
    private Time() {}

    /** {@code time.After}: {@code newTimer(d).c()}. */
    public static Chan<Instant> after(Duration d) {
        return Timer.newTimer(d).c();
    }

    /** {@code time.Tick}: {@code newTicker(d).c()}, or null (a nil channel) when d <= 0, as in Go. */
    public static Chan<Instant> tick(Duration d) {
        if (java.util.Objects.requireNonNull(d, "d").isNegative() || d.isZero()) {
            return null;
        }
        return Ticker.newTicker(d).c();
    }
}
