package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.testprog.SchedTraceProg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code GODEBUG=schedtrace=MS} and {@code scheddetail=1} (Go: proc.go schedtrace), in child JVMs:
 * the lines on stderr must have Go 1.25+'s format field for field.
 */
class SchedTraceTest {
    static final Pattern SCHED = Pattern.compile("^SCHED (\\d+)ms: gomaxprocs=(\\d+) idleprocs=\\d+ threads=(\\d+)"
            + " spinningthreads=\\d+ needspinning=[01] idlethreads=\\d+ runqueue=\\d+ \\[ (\\d+ )+\\]"
            + " schedticks=\\[ (\\d+ )+\\]$");
    static final Pattern SCHED_DETAIL = Pattern.compile("^SCHED (\\d+)ms: gomaxprocs=(\\d+) idleprocs=\\d+"
            + " threads=(\\d+) spinningthreads=\\d+ needspinning=[01] idlethreads=\\d+ runqueue=\\d+"
            + " gcwaiting=(true|false) nmidlelocked=\\d+ stopwait=\\d+ sysmonwait=(true|false)$");
    static final Pattern P_LINE = Pattern.compile("^  P\\d+: status=\\d schedtick=\\d+ syscalltick=\\d+ m=(\\d+|nil)"
            + " runqsize=\\d+ gfreecnt=\\d+ timerslen=\\d+$");
    static final Pattern M_LINE = Pattern.compile("^  M\\d+: p=(\\d+|nil) curg=(\\d+|nil) mallocing=0 throwing=0"
            + " preemptoff= locks=0 dying=0 spinning=(true|false) blocked=(true|false) lockedg=(\\d+|nil)$");
    static final Pattern G_LINE = Pattern.compile("^  G\\d+: status=(\\d+)\\(([^)]*)\\) m=(\\d+|nil) lockedm=(\\d+|nil)$");

    private static ChildJvm.Result run(Map<String, String> env, List<String> jvmArgs) throws Exception {
        ChildJvm.Result r = ChildJvm.run(60, SchedTraceProg.class, env, jvmArgs);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("ok", r.stdout().strip(), r.toString());
        return r;
    }

    /**
     * The complete lines of stderr. sysmon is a daemon thread: the JVM may end while it is in the
     * middle of printing a trace, so a last line without its newline is dropped.
     */
    static List<String> lines(String stderr) {
        List<String> ls = new ArrayList<>(stderr.lines().toList());
        if (!stderr.isEmpty() && !stderr.endsWith("\n")) {
            ls.remove(ls.size() - 1);
        }
        return ls;
    }

    /** Checks the summary lines and returns the threads= values. */
    private static List<Integer> checkSummary(ChildJvm.Result r, int gomaxprocs) {
        List<String> ls = lines(r.stderr());
        assertTrue(ls.size() >= 3, "a line every 100 ms for more than half a second: " + r);
        assertTrue(ls.get(0).startsWith("SCHED 0ms: "), "the first line is at 0ms: " + r);
        List<Integer> threads = new ArrayList<>();
        long prevMs = -1;
        for (String l : ls) {
            Matcher m = SCHED.matcher(l);
            assertTrue(m.matches(), "Go's format: [" + l + "]\n" + r);
            long ms = Long.parseLong(m.group(1));
            assertTrue(ms > prevMs, "time goes forward: " + r);
            prevMs = ms;
            assertEquals(gomaxprocs, Integer.parseInt(m.group(2)), l);
            int idleprocs = field(l, "idleprocs");
            int nthreads = field(l, "threads");
            assertTrue(idleprocs <= gomaxprocs, "idleprocs <= gomaxprocs: " + l);
            assertTrue(field(l, "idlethreads") <= nthreads, "idlethreads <= threads: " + l);
            assertTrue(field(l, "spinningthreads") <= nthreads, "spinningthreads <= threads: " + l);
            // One run queue length and one schedtick per P.
            String lists = l.substring(l.indexOf('['));
            assertEquals(2 * gomaxprocs, lists.replaceAll("[^0-9 ]", "").trim().split(" +").length, l);
            threads.add(Integer.parseInt(m.group(3)));
        }
        return threads;
    }

    private static int field(String line, String name) {
        Matcher m = Pattern.compile(" " + name + "=(\\d+)").matcher(line);
        assertTrue(m.find(), name + " in " + line);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void schedtraceFromTheEnvironment() throws Exception {
        ChildJvm.Result r = run(Map.of("GODEBUG", "schedtrace=100"), List.of("-Dgort.gomaxprocs=2"));
        List<Integer> threads = checkSummary(r, 2);
        int max = threads.stream().mapToInt(Integer::intValue).max().orElseThrow();
        // Eight goroutines in 400 ms syscalls hold eight threads, and sysmon counts too.
        assertTrue(max >= 9, "threads= rises to at least 9 while 8 goroutines are in syscalls: " + threads + "\n" + r);
        assertTrue(max > threads.get(0), "threads= rises: " + threads);
    }

    @Test
    void schedtraceFromTheSystemProperty() throws Exception {
        ChildJvm.Result r = run(Map.of(), List.of("-Dgort.godebug=schedtrace=100", "-Dgort.gomaxprocs=3"));
        checkSummary(r, 3);
    }

    @Test
    void systemPropertyWinsOverTheEnvironment() throws Exception {
        ChildJvm.Result r = run(Map.of("GODEBUG", "schedtrace=100"), List.of("-Dgort.godebug=schedtrace=0"));
        assertEquals("", r.stderr(), r.toString());
    }

    @Test
    void unknownGodebugKeysAreIgnoredSilently() throws Exception {
        ChildJvm.Result r = run(Map.of("GODEBUG", "gctrace=1,madvdontneed=0,noequals,schedtrace=100"),
                List.of("-Dgort.gomaxprocs=2"));
        checkSummary(r, 2); // every stderr line is a SCHED line: no warnings
    }

    @Test
    void scheddetailPrintsPMAndGLines() throws Exception {
        ChildJvm.Result r = run(Map.of("GODEBUG", "schedtrace=100,scheddetail=1"), List.of("-Dgort.gomaxprocs=2"));
        List<String> ls = lines(r.stderr());
        assertTrue(ls.get(0).startsWith("SCHED 0ms: "), r.toString());
        int blocks = 0;
        int pInBlock = -1;
        int mLines = 0;
        int gLines = 0;
        boolean sawSyscallG = false;
        String section = "";
        for (String l : ls) {
            if (l.startsWith("SCHED ")) {
                assertTrue(SCHED_DETAIL.matcher(l).matches(), "detailed SCHED line: [" + l + "]\n" + r);
                if (pInBlock >= 0) {
                    assertEquals(2, pInBlock, "one P line per P in the block before [" + l + "]");
                }
                blocks++;
                pInBlock = 0;
                section = "P";
            } else if (l.startsWith("  P")) {
                assertTrue(P_LINE.matcher(l).matches(), "P line: [" + l + "]\n" + r);
                assertEquals("P", section, "P lines come right after the SCHED line: " + l);
                assertTrue(l.startsWith("  P" + pInBlock + ": "), "P lines in allp order: " + l);
                pInBlock++;
            } else if (l.startsWith("  M")) {
                assertTrue(M_LINE.matcher(l).matches(), "M line: [" + l + "]\n" + r);
                assertFalse(section.equals("G"), "M lines come before G lines: " + l);
                section = "M";
                mLines++;
            } else if (l.startsWith("  G")) {
                Matcher m = G_LINE.matcher(l);
                assertTrue(m.matches(), "G line: [" + l + "]\n" + r);
                section = "G";
                gLines++;
                // Go: _Gsyscall is 3, its wait reason empty, and it has an M.
                if (m.group(1).equals("3") && m.group(2).isEmpty() && !m.group(3).equals("nil")) {
                    sawSyscallG = true;
                }
            } else {
                throw new AssertionError("unexpected stderr line [" + l + "]\n" + r);
            }
        }
        assertTrue(blocks >= 3, r.toString());
        assertTrue(mLines > 0 && gLines > 0, r.toString());
        assertTrue(sawSyscallG, "a goroutine in Go.syscall shows as status=3() on its M: " + r);
    }

    @Test
    void malformedSchedtraceIsReportedOnceAndIgnored() throws Exception {
        ChildJvm.Result r = run(Map.of("GODEBUG", "schedtrace=abc"), List.of());
        assertFalse(r.stderr().contains("SCHED"), r.toString());
        assertEquals(1, r.stderr().lines().filter(l -> l.contains("schedtrace")).count(), r.toString());
        assertEquals(1, r.stderr().lines().count(), "nothing else on stderr: " + r);
    }

    @Test
    void malformedValueDisablesOnlyItself() throws Exception {
        ChildJvm.Result r = run(Map.of("GODEBUG", "scheddetail=yes,schedtrace=100"), List.of("-Dgort.gomaxprocs=2"));
        List<String> ls = lines(r.stderr());
        assertTrue(ls.get(0).contains("scheddetail"), "the malformed value is reported first: " + r);
        assertEquals(1, ls.stream().filter(l -> l.contains("scheddetail")).count(), r.toString());
        // schedtrace still works, in the summary format since scheddetail was ignored.
        ChildJvm.Result rest = new ChildJvm.Result(0, "", String.join("\n", ls.subList(1, ls.size())) + "\n");
        checkSummary(rest, 2);
    }
}
