/**
 * Stress tests of channels, select and timers: many goroutines and plain threads doing random
 * sends, receives, selects and closes, with checks that do not depend on timing (every value
 * received exactly once, every operation returns exactly once, no goroutine left behind).
 *
 * <p>They run with the default {@code mvn test} (a few seconds each). Sizes multiply by the system
 * property {@code gort.stress} (default 1); for a soak run, raise it and the JUnit deadline:
 *
 * <pre>
 * mvn -o -pl :gort test -Dtest='dev.gort.stress.*' -Dgort.stress=10 \
 *     -Djunit.jupiter.execution.timeout.default=30m
 * </pre>
 *
 * {@code -Dgort.stress.seed=N} replays the random topology and choices of a failed run (its seed is
 * in every failure message); the interleavings still differ from run to run.
 */
package dev.gort.stress;
