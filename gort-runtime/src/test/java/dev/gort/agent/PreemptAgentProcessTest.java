package dev.gort.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.ChildJvm;
import dev.gort.testprog.ClinitHogProg;
import dev.gort.testprog.HogProg;
import dev.gort.testprog.LoopsProg;
import dev.gort.testprog.StopHogProg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent in a real JVM ({@code -javaagent}), on programs whose loops make no calls. Each child
 * is bounded and killed when its time is up: a hog that is never preempted spins forever.
 */
class PreemptAgentProcessTest {
    @TempDir
    static Path tmp;

    static String agent;

    @BeforeAll
    static void buildAgentJar() throws Exception {
        agent = "-javaagent:" + AgentJar.build(tmp);
    }

    /** Runs main in a child JVM; kills it after {@code limit} (exit is then -1). */
    static ChildJvm.Result run(Class<?> main, Duration limit, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("GOMAXPROCS");
        pb.environment().remove("GODEBUG");
        Path out = Files.createTempFile(tmp, "child", ".out");
        Path err = Files.createTempFile(tmp, "child", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        int exit;
        try {
            exit = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? p.exitValue() : -1;
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return new ChildJvm.Result(exit, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void instrumentedProgramComputesTheSame() throws Exception {
        ChildJvm.Result plain = run(LoopsProg.class, Duration.ofSeconds(120));
        ChildJvm.Result agented = run(LoopsProg.class, Duration.ofSeconds(120), agent, "-Dgort.agent.debug=true");
        assertEquals(0, plain.exit(), plain.toString());
        assertEquals(0, agented.exit(), agented.toString());
        assertEquals("sum=4000004000000\ncollatz27=111\nprimes<10000=1229\nswitchy=277750\nfib25=75025\nparses=3\n"
                + "base=5050\n", plain.stdout());
        assertEquals(plain.stdout(), agented.stdout());
        // LoopsProg and its lambdas' host (one class); the debug summary is the only line on stderr.
        assertEquals("gort agent: classes instrumented: 1, left unchanged: 0\n", agented.stderr());
    }

    /** Stopping the world (here by changing GOMAXPROCS) needs the spinning goroutine to reach a checkpoint. */
    @Test
    void stopTheWorldReachesALoopWithoutCalls() throws Exception {
        ChildJvm.Result r = run(StopHogProg.class, Duration.ofSeconds(60), agent, "-Dgort.gomaxprocs=2");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().startsWith("stopped the world in "), r.toString());
    }

    /** A checkpoint under a class initialiser cannot yield: it runs on, and the initialisation succeeds. */
    @Test
    void preemptionWaitsForAClassInitialiser() throws Exception {
        ChildJvm.Result r = run(ClinitHogProg.class, Duration.ofSeconds(60), agent, "-Dgort.gomaxprocs=2");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("initialised\n"), r.toString());
        assertTrue(r.stdout().contains("stopped the world\n"), r.toString());
        assertEquals("", r.stderr());
    }

    /**
     * Without the agent the spinner never reaches a checkpoint; stop-the-world still completes,
     * later, because sysmon hands the spinner's P off (a replacement P is stopped instead).
     */
    @Test
    void withoutTheAgentStopTheWorldGoesThroughTheHandoff() throws Exception {
        ChildJvm.Result r = run(StopHogProg.class, Duration.ofSeconds(60), "-Dgort.gomaxprocs=2");
        assertEquals(0, r.exit(), r.toString());
        Matcher m = Pattern.compile("stopped the world in (\\d+) ms\n").matcher(r.stdout());
        assertTrue(m.find(), r.toString());
        // The request at the end of a 10 ms slice, the hand-off 10 ms later: tens of ms, bounded
        // generously here for a loaded machine.
        assertTrue(Long.parseLong(m.group(1)) < 5000, r.toString());
    }

    /**
     * The seed's hog at GOMAXPROCS=1: sysmon asks the main goroutine to stop after its 10 ms slice;
     * the agent's back-edge checkpoint is where it does, so the other goroutine runs.
     */
    @Test
    void hogIsPreemptedAtGomaxprocs1() throws Exception {
        ChildJvm.Result r = run(HogProg.class, Duration.ofSeconds(10), agent, "-Dgort.gomaxprocs=1");
        assertEquals(0, r.exit(), r.toString());
        Matcher m = Pattern.compile("goroutine ran\nlatency_ms=(\\d+)\n").matcher(r.stdout());
        assertTrue(m.find(), r.toString());
        assertTrue(Long.parseLong(m.group(1)) <= 2000, r.toString());
    }
}
