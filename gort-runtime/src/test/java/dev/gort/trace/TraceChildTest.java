package dev.gort.trace;

import static dev.gort.trace.TraceFile.arg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.ChildJvm;
import dev.gort.testprog.DeadlockProg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracing from the start of a child JVM: -Dgort.trace=FILE and GODEBUG=trace=FILE write a complete
 * file at a normal exit (shutdown hook) and at a fatal error (before the halt), and a deadlock is
 * recorded as a dev.gort.Deadlock JFR event in a -XX:StartFlightRecording file.
 */
class TraceChildTest {
    @Test
    void propertyTracesUntilExit(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prop.json");
        ChildJvm.Result r = ChildJvm.run(60, DeadlockProg.class, Map.of(), List.of("-Dgort.trace=" + f), "syscall");
        assertEquals(0, r.exit(), r.toString());
        TraceFile t = new TraceFile(f);
        assertFalse(t.named("GoSyscallBegin").isEmpty(), "no syscall in " + f);
        assertFalse(t.slices(1).isEmpty(), "no goroutine slices");
    }

    @Test
    void godebugTraceAndJfrAtDeadlock(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("godebug.json");
        Path jfr = dir.resolve("deadlock.jfr");
        ChildJvm.Result r = ChildJvm.run(60, DeadlockProg.class, Map.of("GODEBUG", "trace=" + f),
                List.of("-XX:StartFlightRecording:filename=" + jfr), "recv");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("fatal error: all goroutines are asleep - deadlock!"), r.toString());

        TraceFile t = new TraceFile(f);
        List<Map<String, Object>> dl = t.named("Deadlock");
        assertEquals(1, dl.size(), "Deadlock events");
        assertTrue(t.where(e -> "GoBlock".equals(e.get("name")) && "chan receive".equals(arg(e, "reason")))
                .size() >= 1);

        assertTrue(Files.size(jfr) > 0, "no JFR file");
        List<RecordedEvent> evs = RecordingFile.readAllEvents(jfr).stream()
                .filter(e -> e.getEventType().getName().equals("dev.gort.Deadlock")).toList();
        assertEquals(1, evs.size(), "Deadlock JFR events");
        assertEquals("all goroutines are asleep - deadlock!", evs.get(0).getString("message"));
        assertEquals(1, evs.get(0).getInt("waitingGoroutines"));
    }

    @Test
    void malformedGodebugTraceIsReported(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(60, DeadlockProg.class, Map.of("GODEBUG", "trace="), List.of(), "syscall");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("gort: ignoring malformed GODEBUG trace=\"\""), r.toString());
    }
}
