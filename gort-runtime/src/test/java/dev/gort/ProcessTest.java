package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.testprog.EnvProg;
import dev.gort.testprog.MigrationProg;
import dev.gort.testprog.MissingFlagProg;
import dev.gort.testprog.NioMigrationProg;
import dev.gort.testprog.PanicProg;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole-process behaviour, each case in a child JVM (Go: runTestProg in crash_test.go). */
class ProcessTest {

    @Test
    void exceptionInGoroutineExitsWithStatus2() throws Exception {
        ChildJvm.Result r = ChildJvm.run(PanicProg.class, Map.of(), List.of());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("panic: java.lang.IllegalStateException: boom\n\ngoroutine "), r.toString());
        assertTrue(r.stderr().matches("(?s)panic: [^\n]*\n\ngoroutine \\d+ \\[running\\]:\n.*"), r.toString());
        assertTrue(r.stderr().contains("dev.gort.testprog.PanicProg.thrower(...)\n\tPanicProg.java:"), r.toString());
        assertFalse(r.stdout().contains("UNREACHABLE"), r.toString());
    }

    @Test
    void goPanicPrintsItsMessage() throws Exception {
        ChildJvm.Result r = ChildJvm.run(PanicProg.class, Map.of(), List.of("-DpanicType=panic"));
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("panic: send on closed channel\n\ngoroutine "), r.toString());
    }

    @Test
    void gomaxprocsFromEnvironment() throws Exception {
        ChildJvm.Result r = ChildJvm.run(EnvProg.class, Map.of("GOMAXPROCS", "3"), List.of());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("gomaxprocs=3 "), r.toString());
        assertEquals("", r.stderr());
    }

    @Test
    void propertyWinsOverEnvironment() throws Exception {
        ChildJvm.Result r = ChildJvm.run(EnvProg.class, Map.of("GOMAXPROCS", "3"), List.of("-Dgort.gomaxprocs=5"));
        assertTrue(r.stdout().contains("gomaxprocs=5 "), r.toString());
    }

    @Test
    void malformedGomaxprocsIsReportedOnceAndIgnored() throws Exception {
        ChildJvm.Result r = ChildJvm.run(EnvProg.class, Map.of("GOMAXPROCS", "lots"), List.of());
        assertEquals(0, r.exit(), r.toString());
        int ncpu = Runtime.getRuntime().availableProcessors();
        assertTrue(r.stdout().contains("gomaxprocs=" + ncpu + " "), r.toString());
        assertTrue(r.stderr().contains("GOMAXPROCS=\"lots\""), r.toString());
        assertEquals(1, r.stderr().lines().filter(l -> l.contains("GOMAXPROCS")).count(), r.toString());
    }

    @Test
    void zeroOrNegativeGomaxprocsMeansNumCPU() throws Exception {
        int ncpu = Runtime.getRuntime().availableProcessors();
        for (String v : new String[] {"0", "-2", ""}) {
            ChildJvm.Result r = ChildJvm.run(EnvProg.class, Map.of("GOMAXPROCS", v), List.of());
            assertTrue(r.stdout().contains("gomaxprocs=" + ncpu + " "), v + ": " + r);
            assertEquals("", r.stderr(), v + ": " + r);
        }
    }

    @Test
    void missingJvmFlagIsExplained() throws Exception {
        ChildJvm.Result r = ChildJvm.run(MissingFlagProg.class, Map.of(), List.of(ChildJvm.NO_EXPORTS));
        assertTrue(r.stdout().contains("refused: gort: cannot use jdk.internal.vm.Continuation"), r.toString());
        assertTrue(r.stdout().contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), r.toString());
    }

    /** Goroutines resuming on other Ms in JIT-compiled loops: the runtime must find the right M. */
    @Test
    void goroutinesMigratingBetweenMsUnderJit() throws Exception {
        ChildJvm.Result r = ChildJvm.run(MigrationProg.class, Map.of(), List.of("-Dgort.gomaxprocs=2"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("ok", r.stdout().strip(), r.toString());
    }

    /**
     * The same for the nio netpoller's calls into JDK channels, whose j.u.c locks record the
     * thread: echo round trips on 32 connections while GOMAXPROCS changes, then every close.
     */
    @Test
    void nioChannelCallsFromGoroutinesMigratingBetweenMs() throws Exception {
        ChildJvm.Result r = ChildJvm.run(120, NioMigrationProg.class, Map.of(), List.of(
                "-Dgort.netpoll=nio", "-Dgort.gomaxprocs=2", "-Dreps=1", "-Dtrips=2000"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("ok", r.stdout().strip(), r.toString());
    }
}
