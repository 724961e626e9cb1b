package dev.gort.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gort.Go;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {
    /** The seed program prints all 12 lines: 11 goroutines, then the greeting after the wait. */
    @Test
    void loopPrintsAllTwelveLines() {
        for (int procs : new int[] {1, 2, 4}) {
            List<String> lines = List.of();
            // At one P the order is exact, but sysmon may legitimately preempt or hand off the
            // creator in a cold JVM (a slice over 10 ms while classes load): the order must show
            // in an unperturbed round, and later rounds run warm.
            for (int round = 0; round < (procs == 1 ? 5 : 1); round++) {
                int before = Go.gomaxprocs(procs);
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
                Go.main(() -> Seeds.loop(out));
                Go.gomaxprocs(before);
                lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
                if (!lines.isEmpty() && lines.get(0).equals("loop i is - 10")
                        && lines.subList(1, Math.min(11, lines.size())).equals(
                                java.util.stream.IntStream.range(0, 10).mapToObj(i -> "loop i is - " + i).toList())) {
                    break;
                }
            }
            assertEquals(12, lines.size(), lines.toString());
            Set<String> loops = new HashSet<>(lines.subList(0, 11));
            for (int i = 0; i <= 10; i++) {
                assertEquals(true, loops.contains("loop i is - " + i), "missing " + i + " in " + lines);
            }
            assertEquals("Hello, Welcome to Go", lines.get(11));
            if (procs == 1) {
                // One P: the order is the scheduler's alone (runnext, then the local queue).
                assertEquals("loop i is - 10", lines.get(0), lines.toString());
                for (int i = 0; i < 10; i++) {
                    assertEquals("loop i is - " + i, lines.get(i + 1));
                }
            }
        }
    }
}
