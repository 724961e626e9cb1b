package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.testprog.DumpProg;
import dev.gort.testprog.MXBeanRegisterProg;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./gort dump PID} from outside the process: a child JVM parks goroutines on channels, and
 * the command's client ({@code dev.gort.internal.Dump}, what the launcher runs), in another JVM,
 * attaches to it and prints its goroutine dump.
 */
class DumpCommandTest {
    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts DumpProg and waits (bounded) for its "ready": its goroutines are parked by then. */
    private static Process startProg(String... jvmArgs) throws Exception {
        return startProg(List.of(jvmArgs), List.of());
    }

    private static Process startProg(List<String> jvmArgs, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DumpProg.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("GOMAXPROCS");
        pb.environment().remove("GODEBUG");
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "read failed: " + e;
            }
        });
        String line;
        try {
            line = first.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("DumpProg did not become ready", e);
        }
        assertEquals("ready", line);
        return p;
    }

    /** Closes the program's stdin; it must then finish normally. */
    private static void finish(Process p) throws Exception {
        ChildJvm.Result r = end(p);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("ok", r.stdout().strip(), r.toString());
    }

    /** Closes the program's stdin and waits (bounded) for it to exit. */
    private static ChildJvm.Result end(Process p) throws Exception {
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "read failed: " + e;
            }
        });
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("DumpProg did not end after its stdin closed");
        }
        String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new ChildJvm.Result(p.exitValue(), rest, err.get(60, TimeUnit.SECONDS));
    }

    private static ChildJvm.Result dump(String pid, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.gort.internal.Dump"));
        if (pid != null) {
            cmd.add(pid);
        }
        Path out = Files.createTempFile("gort-dump", ".out");
        Path err = Files.createTempFile("gort-dump", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("gort dump " + pid + " did not finish in 120 s: " + Files.readString(err));
            }
            return new ChildJvm.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static int count(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void dumpsAnotherProcessWithWaitReasonsAndFrames() throws Exception {
        Process p = startProg();
        try {
            ChildJvm.Result r = dump(Long.toString(p.pid()));
            assertEquals(0, r.exit(), r.toString());
            String d = r.stdout();
            assertEquals(3, count(Pattern.compile("(?m)^goroutine \\d+ \\[chan receive\\]:\n(?:.+\n\t.+\n)*?"
                    + "dev\\.gort\\.testprog\\.DumpProg\\.receiver\\(\\.\\.\\.\\)\n\tDumpProg\\.java:\\d+\n"), d), d);
            assertEquals(1, count(Pattern.compile("(?m)^goroutine \\d+ \\[chan send\\]:\n(?:.+\n\t.+\n)*?"
                    + "dev\\.gort\\.testprog\\.DumpProg\\.sender\\(\\.\\.\\.\\)\n"), d), d);
            assertEquals(1, count(Pattern.compile("(?m)^goroutine \\d+ \\[select\\]:\n(?:.+\n\t.+\n)*?"
                    + "dev\\.gort\\.testprog\\.DumpProg\\.selector\\(\\.\\.\\.\\)\n"), d), d);
            // The main goroutine is in Go.syscall, reading stdin: its frames are its thread's, from
            // the blocked read down to the lambda in DumpProg.main.
            assertEquals(1, count(Pattern.compile("(?m)^goroutine 1 \\[syscall\\]:\n"
                    + "java\\.io\\.FileInputStream\\.read.*\\(\\.\\.\\.\\)\n\t.+\n(?:.+\n\t.+\n)*?"
                    + "dev\\.gort\\.Go\\.syscall\\(\\.\\.\\.\\)\n\tGo\\.java:\\d+\n"
                    + "dev\\.gort\\.testprog\\.DumpProg\\.lambda\\$main\\$\\d+\\(\\.\\.\\.\\)\n"), d), d);
            assertEquals(6, count(Pattern.compile("(?m)^goroutine \\d+ \\[.*\\]:$"), d), "nothing else: " + d);

            // A second dump works too (the JMX agent the first one started is reused).
            ChildJvm.Result again = dump(Long.toString(p.pid()));
            assertEquals(0, again.exit(), again.toString());
            assertEquals(3, count(Pattern.compile("(?m)^goroutine \\d+ \\[chan receive\\]:$"), again.stdout()));
        } finally {
            finish(p);
        }
    }

    /** The JMX agent a dump starts leaves threads behind; a later deadlock is still reported. */
    @Test
    void deadlockIsStillReportedAfterADump() throws Exception {
        Process p = startProg(List.of(), List.of("deadlock"));
        ChildJvm.Result r;
        try {
            ChildJvm.Result d = dump(Long.toString(p.pid()));
            assertEquals(0, d.exit(), d.toString());
        } finally {
            r = end(p);
        }
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().startsWith("fatal error: all goroutines are asleep - deadlock!\n\n"
                + "goroutine 1 [chan receive]:\n"), r.toString());
    }

    /** A platform MBean server that cannot be made: reported once on stderr, the runtime runs on. */
    @Test
    void aFailedRegistrationIsReportedOnceAndHarmless() throws Exception {
        ChildJvm.Result r = ChildJvm.run(120, MXBeanRegisterProg.class, java.util.Map.of(),
                List.of("-Djavax.management.builder.initial=does.not.Exist"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("ok", r.stdout().strip(), r.toString());
        assertEquals(List.of("gort: the dev.gort:type=Scheduler MXBean is not available: "
                + "javax.management.JMRuntimeException: Failed to load MBeanServerBuilder class does.not.Exist: "
                + "java.lang.ClassNotFoundException: does.not.Exist"), r.stderr().lines().toList(), r.toString());
    }

    @Test
    void reportsAProcessWithoutTheMXBeanAndABadPid() throws Exception {
        Process p = startProg("-Dgort.mxbean=false");
        ChildJvm.Result r;
        try {
            r = dump(Long.toString(p.pid()), "-Dgort.dump.wait=2");
        } finally {
            finish(p);
        }
        assertEquals(1, r.exit(), r.toString());
        assertEquals("gort dump: process " + p.pid() + " has no dev.gort:type=Scheduler MXBean after 2 s (no Gort"
                + " runtime started in it, or run with -Dgort.mxbean=false)\n", r.stderr(), r.toString());
        assertEquals("", r.stdout());

        // The process has exited: nothing to attach to.
        ChildJvm.Result gone = dump(Long.toString(p.pid()));
        assertEquals(1, gone.exit(), gone.toString());
        assertTrue(gone.stderr().startsWith("gort dump: cannot attach to process " + p.pid() + " "), gone.toString());

        ChildJvm.Result usage = dump(null);
        assertEquals(2, usage.exit(), usage.toString());
        assertTrue(usage.stderr().startsWith("usage: gort dump PID"), usage.toString());
    }
}
