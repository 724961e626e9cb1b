package dev.gort.stress;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Chan;
import dev.gort.Go;
import org.junit.jupiter.api.Test;

/**
 * The stress tier's machinery, in the default run (a few seconds): one small random program in
 * each mode, and proof that the watchdog and the leak check fail when they should.
 */
class StressSmokeTest extends StressBase {
    @Test
    void smallRandomProgramsPass() {
        Harness h = new Harness("smoke", 256);
        for (int i = 0; i < 2; i++) {
            long s = Tier.seedFor("smoke", i);
            RandomProgram p = new RandomProgram(s, 0.1);
            boolean programMode = i == 1;
            h.round("smoke " + p.shape(), () -> p.run(programMode));
        }
        errors.check("smoke");
    }

    @Test
    void watchdogReportsAStallWithTheGoroutineDump() {
        Chan<Integer> never = Chan.make();
        Chan<Integer> neverEither = Chan.make();
        Harness h = new Harness("watchdog self-test", 256, 2, 10);
        long stalls = Tier.STALLS.get();
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> h.round("stuck", () -> {
                Chan<Integer> started = Chan.make();
                Go.go(() -> {
                    started.send(1);
                    never.recv(); // parked, while the round waits for it: no progress
                });
                started.recv();
                neverEither.recv(); // the round thread blocks too
            }));
            assertTrue(e.getMessage().startsWith("STALL in watchdog self-test stuck: no progress for"), e.getMessage());
            assertTrue(e.getMessage().contains("--- goroutine dump ---\ngoroutine "), e.getMessage());
            assertTrue(e.getMessage().contains("[chan receive]"), e.getMessage());
            assertTrue(e.getMessage().contains("--- JVM thread dump ---\n"), e.getMessage());
            assertTrue(Tier.STALLS.get() == stalls + 1, "the stall is counted");
        } finally {
            neverEither.send(0); // releases the stuck round thread
            never.send(0); // and the goroutine
        }
    }

    @Test
    void leakCheckReportsAGoroutineLeftBehind() {
        Chan<Integer> never = Chan.make();
        // The goroutines of the other tests may still be ending: the baseline must not count them.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (Go.numGoroutine() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        Harness h = new Harness("leak self-test", 256, 60, 1);
        long leaks = Tier.LEAKS.get();
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> h.round("leaky", () -> Go.go(never::recv)));
            assertTrue(e.getMessage().startsWith("LEAK in leak self-test leaky"), e.getMessage());
            assertTrue(e.getMessage().contains("goroutines: "), e.getMessage());
            assertTrue(Tier.LEAKS.get() == leaks + 1, "the leak is counted");
        } finally {
            never.send(0);
        }
    }
}
