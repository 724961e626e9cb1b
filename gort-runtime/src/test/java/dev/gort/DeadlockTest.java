package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.testprog.DeadlockProg;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Deadlock detection (Go: checkdead; crash_test.go TestSimpleDeadlock, TestLockedDeadlock,
 * TestGoexitDeadlock), each case in a child JVM: a detected deadlock ends the process with status 2.
 */
class DeadlockTest {
    private static final String DEADLOCK = "fatal error: all goroutines are asleep - deadlock!\n\n";

    private static ChildJvm.Result run(String c) throws Exception {
        return ChildJvm.run(60, DeadlockProg.class, Map.of(), List.of(), c);
    }

    private static void assertDeadlock(ChildJvm.Result r, String mainHeader) {
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith(DEADLOCK + mainHeader + "\n"), r.toString());
        assertFalse(r.stdout().contains("ok"), r.toString());
    }

    private static void assertNoDeadlock(ChildJvm.Result r) {
        assertEquals(0, r.exit(), r.toString());
        assertEquals("ok", r.stdout().strip(), r.toString());
        assertFalse(r.stderr().contains("fatal error"), r.toString());
    }

    @Test
    void mainReceivingFromANewChannel() throws Exception {
        assertDeadlock(run("recv"), "goroutine 1 [chan receive]:");
    }

    @Test
    void mainInSelectWithoutCases() throws Exception {
        assertDeadlock(run("select"), "goroutine 1 [select (no cases)]:");
    }

    /** Go: TestLockedDeadlock. A locked M parking (incidlelocked) completes the deadlock. */
    @Test
    void mainLockedToItsThread() throws Exception {
        assertDeadlock(run("locked"), "goroutine 1 [chan receive, locked to thread]:");
    }

    @Test
    void severalGoroutinesOnWaitGroupAndMutex() throws Exception {
        ChildJvm.Result r = run("waitgroup");
        assertDeadlock(r, "goroutine 1 [sync.WaitGroup.Wait]:");
        Matcher m = Pattern.compile("\n\ngoroutine \\d+ \\[sync\\.Mutex\\.Lock\\]:\n").matcher(r.stderr());
        int n = 0;
        while (m.find()) {
            n++;
        }
        assertEquals(2, n, "both lockers are in the dump: " + r);
    }

    @Test
    void deadlockAfterWorkIsDone() throws Exception {
        ChildJvm.Result r = run("afterwork");
        assertDeadlock(r, "goroutine 1 [chan receive]:");
        assertTrue(r.stdout().startsWith("work done"), r.toString());
    }

    @Test
    void deadlockAfterASpinnerWasHandedOffAndEnded() throws Exception {
        assertDeadlock(run("spinThenDeadlock"), "goroutine 1 [chan receive]:");
    }

    @Test
    void deadlockAfterASyscallReturns() throws Exception {
        ChildJvm.Result r = run("syscallThenDeadlock");
        assertDeadlock(r, "goroutine 1 [chan receive]:");
        assertTrue(r.stderr().matches("(?s).*\n\ngoroutine \\d+ \\[chan receive\\]:\n.*"), r.toString());
    }

    @Test
    void deadlockAfterALockedGoroutineEndsTakingItsThread() throws Exception {
        assertDeadlock(run("lockedExitThenDeadlock"), "goroutine 1 [chan receive]:");
    }

    @Test
    void deadlockAfterGomaxprocsChanges() throws Exception {
        assertDeadlock(run("resizeThenDeadlock"), "goroutine 1 [chan receive]:");
    }

    @Test
    void deadlockAfterManySyscallsLeftIdleThreads() throws Exception {
        assertDeadlock(run("syscallsThenDeadlock"), "goroutine 1 [chan receive]:");
    }

    @Test
    void deadlockAfterMainUnlockedItsThread() throws Exception {
        assertDeadlock(run("lockedUnlockThenDeadlock"), "goroutine 1 [chan receive]:");
    }

    @Test
    void deadlockOnceTheLastTimerHasFired() throws Exception {
        ChildJvm.Result r = run("sleepThenDeadlock");
        assertDeadlock(r, "goroutine 1 [chan receive]:");
        assertTrue(r.stderr().contains("[chan send]:"), r.toString());
    }

    @Test
    void deadlockInAGoMainAfterLibraryModeUse() throws Exception {
        ChildJvm.Result r = run("libraryThenMain");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().matches("(?s)" + java.util.regex.Pattern.quote(DEADLOCK)
                + "goroutine \\d+ \\[chan receive\\]:\n.*"), r.toString());
    }

    @Test
    void goexitInMainWithNothingElse() throws Exception {
        ChildJvm.Result r = run("goexit");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("fatal error: no goroutines (main called runtime.Goexit) - deadlock!\n"),
                r.toString());
    }

    @Test
    void goexitInMainLetsTheOthersFinishFirst() throws Exception {
        ChildJvm.Result r = run("goexitOthers");
        assertEquals(2, r.exit(), r.toString());
        assertEquals("other done", r.stdout().strip(), r.toString());
        assertTrue(r.stderr().startsWith("fatal error: no goroutines (main called runtime.Goexit) - deadlock!\n"),
                r.toString());
    }

    @Test
    void goroutineAsleepOnATimerIsNotADeadlock() throws Exception {
        assertNoDeadlock(run("sleep"));
    }

    @Test
    void goroutineInASyscallIsNotADeadlock() throws Exception {
        assertNoDeadlock(run("syscall"));
    }

    @Test
    void goroutineInASyscallBlockIsNotADeadlock() throws Exception {
        assertNoDeadlock(run("syscallBlock"));
    }

    @Test
    void goroutineWaitingForAPlainThreadIsNotADeadlock() throws Exception {
        assertNoDeadlock(run("plainthread"));
    }

    @Test
    void goroutineWaitingForAPlainThreadStartedBeforeMainIsNotADeadlock() throws Exception {
        assertNoDeadlock(run("plainthreadFromMain"));
    }

    @Test
    void daemonThreadBlockedInAGortCallCountsAsAWaker() throws Exception {
        assertNoDeadlock(run("plainthreadInGort"));
    }

    @Test
    void daemonThreadSleepingBeforeItSendsIsNotADeadlock() throws Exception {
        assertNoDeadlock(run("daemonSender"));
    }

    @Test
    void completableFutureTaskThatWillSendIsNotADeadlock() throws Exception {
        assertNoDeadlock(run("completableFuture"));
    }

    @Test
    void lockedGoroutineSleepingIsNotADeadlock() throws Exception {
        assertNoDeadlock(run("lockedWait"));
    }
}
