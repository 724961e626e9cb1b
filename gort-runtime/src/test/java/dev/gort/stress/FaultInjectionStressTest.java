package dev.gort.stress;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stress tier's fault injection (issue 7): each case repeated {@code Tier.scaled(n)} times with
 * fresh random shapes, under the watchdog, each round followed by the leak check.
 */
@Tag("stress")
// Bounded by the watchdog (a stall) and the harness's per-round limit, not by a wall-clock guess.
@Timeout(value = 12, unit = TimeUnit.HOURS)
class FaultInjectionStressTest extends StressBase {
    private static long start;

    @BeforeAll
    static void begin() {
        start = System.nanoTime();
    }

    @AfterAll
    static void end() {
        Tier.summary("FaultInjectionStressTest", start);
    }

    /** Runs a case rounds times, each with its own Random from the run's seed. */
    private void repeat(String what, int rounds, Harness.Round body) {
        Harness h = new Harness(what, 256);
        for (int i = 0; i < rounds; i++) {
            h.round(what + " " + (i + 1) + "/" + rounds, body);
            errors.check(what + ", round " + (i + 1));
        }
        h.checkHeap();
        System.out.println(what + ": " + rounds + " rounds, " + h.trend());
    }

    private static Random rng(String what) {
        return new Random(Tier.seedFor(what, 0));
    }

    @Test
    void exceptionsAtRandomPointsWithOnPanic() {
        Random r = rng("panics");
        repeat("panics under load", Tier.scaled(10), () -> Faults.panicsUnderLoad(r, errors));
    }

    @Test
    void synchronizedOnAMonitorHeldByAParkedGoroutine() {
        Random r = rng("monitor");
        repeat("monitor held by a parked goroutine", Tier.scaled(10), () -> Faults.monitorHeldByParkedGoroutine(r));
    }

    @Test
    void unwrappedBlockingCalls() {
        Random r = rng("unwrapped");
        repeat("unwrapped blocking calls", Tier.scaled(10), () -> Faults.unwrappedBlocking(r));
    }

    @Test
    void threadLimitReachedUnderLoad() {
        Random r = rng("thread limit");
        repeat("thread limit (child JVM)", Tier.scaled(2), () -> Faults.threadLimitUnderLoad(r));
    }

    @Test
    void socketsResetMidRead() {
        Random r = rng("reset");
        repeat("sockets reset mid-read", Tier.scaled(10), () -> NetFaults.resetMidRead(r, errors));
    }

    @Test
    void peersThatNeverReadHitTheirDeadlines() {
        Random r = rng("never read");
        repeat("peers that never read", Tier.scaled(5), () -> NetFaults.peersThatNeverRead(r, errors));
    }

    @Test
    void listenersClosedUnderLoad() {
        Random r = rng("listener");
        repeat("listeners closed under load", Tier.scaled(10), () -> NetFaults.listenerClosedUnderLoad(r, errors));
    }
}
