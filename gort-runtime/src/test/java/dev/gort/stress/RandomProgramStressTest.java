package dev.gort.stress;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stress tier's randomized programs: {@code Tier.scaled(50)} rounds of {@link RandomProgram},
 * each under the watchdog and followed by the leak check; a third of them in program mode
 * ({@code Go.main}, deadlock detection live).
 */
@Tag("stress")
// Bounded by the watchdog (a stall) and the harness's per-round limit, not by a wall-clock guess.
@Timeout(value = 12, unit = TimeUnit.HOURS)
class RandomProgramStressTest extends StressBase {
    private static long start;

    @BeforeAll
    static void begin() {
        start = System.nanoTime();
    }

    @AfterAll
    static void end() {
        Tier.summary("RandomProgramStressTest", start);
    }

    @Test
    void randomPrograms() {
        Harness h = new Harness("random programs", 256);
        int rounds = Tier.scaled(50);
        for (int i = 0; i < rounds; i++) {
            long s = Tier.seedFor("random", i);
            RandomProgram p = new RandomProgram(s, 1.0);
            boolean programMode = new Random(s).nextInt(3) == 0;
            h.round("round " + (i + 1) + "/" + rounds + (programMode ? " (Go.main) " : " ") + p.shape(),
                    () -> p.run(programMode));
            errors.check("random programs, round " + (i + 1));
        }
        h.checkHeap();
        System.out.println("random programs: " + rounds + " rounds, " + h.trend());
    }
}
