package dev.gort.stress;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak (issue 7): random programs and fault cases, one after another in one JVM, for
 * {@code gort.soak.minutes} (1 when unset), each under the watchdog and followed by the leak check;
 * the heap after GC must not grow from the second round to the last. Run by {@code -Psoak}
 * ({@code ./gort test --soak MINUTES}); a line every minute shows it is alive.
 */
@Tag("soak")
// Bounded by the watchdog (a stall), the harness's per-round limit and the soak's own length.
@Timeout(value = 48, unit = TimeUnit.HOURS)
class SoakTest extends StressBase {
    private static long start;

    @BeforeAll
    static void begin() {
        start = System.nanoTime();
    }

    @AfterAll
    static void end() {
        Tier.summary("SoakTest", start);
    }

    @Test
    void soak() {
        double minutes = Tier.SOAK_MINUTES > 0 ? Tier.SOAK_MINUTES : 1;
        long end = start + (long) (minutes * 60e9);
        Harness h = new Harness("soak", 256);
        Random r = new Random(Tier.seedFor("soak", 0));
        int round = 0;
        long nextReport = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < end) {
            round++;
            int pick = r.nextInt(20);
            long s = r.nextLong();
            Random cr = new Random(s);
            String name = "round " + round + " (seed " + s + ")";
            switch (pick) {
                case 0 -> h.round(name + " panics", () -> Faults.panicsUnderLoad(cr, errors));
                case 1 -> h.round(name + " monitor", () -> Faults.monitorHeldByParkedGoroutine(cr));
                case 2 -> h.round(name + " unwrapped", () -> Faults.unwrappedBlocking(cr));
                case 3 -> h.round(name + " reset", () -> NetFaults.resetMidRead(cr, errors));
                case 4 -> h.round(name + " never-read", () -> NetFaults.peersThatNeverRead(cr, errors));
                case 5 -> h.round(name + " listener", () -> NetFaults.listenerClosedUnderLoad(cr, errors));
                case 6 -> {
                    if (round % 5 == 0) { // a child JVM: not too often
                        h.round(name + " thread limit", () -> Faults.threadLimitUnderLoad(cr));
                    } else {
                        h.round(name + " panics", () -> Faults.panicsUnderLoad(cr, errors));
                    }
                }
                default -> {
                    RandomProgram p = new RandomProgram(s, 0.5 + 2 * cr.nextDouble());
                    boolean programMode = cr.nextInt(3) == 0;
                    h.round(name + (programMode ? " Go.main " : " ") + p.shape(), () -> p.run(programMode));
                }
            }
            errors.check("soak " + name);
            if (System.nanoTime() > nextReport) {
                nextReport += TimeUnit.MINUTES.toNanos(1);
                System.out.printf("soak: %.1f min, %d rounds, ops=%d values=%d faults=%d%n",
                        (System.nanoTime() - start) / 60e9, round, Tier.OPS.sum(), Tier.VALUES.sum(), Tier.FAULTS.sum());
            }
        }
        h.checkHeap();
        System.out.println("soak: " + round + " rounds, " + h.trend());
    }
}
