package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.testprog.ThreadExhaustionProg;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The thread limit (Go: debug.SetMaxThreads, TestThreadExhaustion). */
class ThreadLimitTest {
    private static final String EXHAUSTION = "runtime: program exceeds 10-thread limit\nfatal error: thread exhaustion";

    @Test
    void setMaxThreadsReturnsThePreviousLimit() {
        assertEquals(10000, Go.setMaxThreads(5000), "Go's initial limit");
        assertEquals(5000, Go.setMaxThreads(20000));
        assertEquals(20000, Go.setMaxThreads(10000));
    }

    /** Go: TestThreadExhaustion. Goroutines locked to their threads need a thread each. */
    @Test
    void lockedGoroutinesExhaustTheThreads() throws Exception {
        ChildJvm.Result r = ChildJvm.run(60, ThreadExhaustionProg.class, Map.of(), List.of(), "locked");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stdout().startsWith("prev=10000\n"), r.toString());
        assertTrue(r.stderr().startsWith(EXHAUSTION), r.toString());
        assertFalse(r.stdout().contains("UNREACHABLE"), r.toString());
    }

    /** Goroutines blocked in syscalls keep their threads, and their Ps go to new threads. */
    @Test
    void goroutinesInSyscallsExhaustTheThreads() throws Exception {
        ChildJvm.Result r = ChildJvm.run(60, ThreadExhaustionProg.class, Map.of(), List.of(), "syscall");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stdout().startsWith("prev=10000\n"), r.toString());
        assertTrue(r.stderr().startsWith(EXHAUSTION), r.toString());
        assertFalse(r.stdout().contains("UNREACHABLE"), r.toString());
    }

    /** Go: setMaxThreads checks the count at once, so a limit below it is fatal right away. */
    @Test
    void limitBelowTheCurrentCountIsFatalAtOnce() throws Exception {
        ChildJvm.Result r = ChildJvm.run(60, ThreadExhaustionProg.class, Map.of(), List.of(), "below");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("runtime: program exceeds 1-thread limit\nfatal error: thread exhaustion"),
                r.toString());
        assertFalse(r.stdout().contains("prev="), "setMaxThreads does not return: " + r);
    }
}
