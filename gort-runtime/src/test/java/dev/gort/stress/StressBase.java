package dev.gort.stress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every stress test class shares: an error collector, and a safety net so that an unrecovered
 * panic or a dying runtime thread fails the test instead of the test JVM.
 */
abstract class StressBase {
    final Stress.Errors errors = new Stress.Errors();

    private Runnable undo;

    @BeforeEach
    void safetyNet() {
        undo = Stress.catchEscapes(errors);
    }

    @AfterEach
    void restore() {
        undo.run();
    }
}
