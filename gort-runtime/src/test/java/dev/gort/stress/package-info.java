/**
 * Stress tests of the runtime, in two groups.
 *
 * <p>In the default run ({@code mvn test}, a few seconds each): the focused stress tests of
 * channels, select and timers ({@code Chan*StressTest}, {@code SelectTimerStressTest},
 * {@code TimerResizeStressTest}, on {@link dev.gort.stress.Stress}), whose sizes multiply by
 * {@code -Dgort.stress=N}, and {@code StressSmokeTest}, a small run of the tier's machinery.
 *
 * <p>The stress tier (issue 7), tagged {@code stress} and run only by {@code -Pstress}
 * ({@code ./gort test --stress [--multiplier N]}): {@code RandomProgramStressTest} (rounds of
 * {@link dev.gort.stress.RandomProgram}) and {@code FaultInjectionStressTest}
 * ({@link dev.gort.stress.Faults}, {@link dev.gort.stress.NetFaults}); and the soak, tagged
 * {@code soak}, run by {@code -Psoak -Dgort.soak.minutes=M} ({@code ./gort test --soak M}). Every
 * round runs under the {@link dev.gort.stress.Watchdog} and the leak check of
 * {@link dev.gort.stress.Harness}; settings and tallies are in {@link dev.gort.stress.Tier}.
 *
 * <p>No check depends on timing: a bound only turns a hang into a failure with a goroutine dump.
 * {@code -Dgort.stress.seed=N} replays the random shapes and choices of a run (its seed is in every
 * failure message and summary line); the interleavings still differ from run to run.
 */
package dev.gort.stress;
