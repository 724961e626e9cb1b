package dev.gort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a test program in a fresh JVM (Go: runTestProg) and captures its exit code and output. */
public final class ChildJvm {
    public record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit=" + exit + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /** Pass in jvmArgs to start the child without the runtime's --add-exports flag. */
    public static final String NO_EXPORTS = "<no-exports>";

    private ChildJvm() {}

    public static Result run(Class<?> main, Map<String, String> env, List<String> jvmArgs, String... args)
            throws IOException, InterruptedException {
        return run(120, main, env, jvmArgs, args);
    }

    /**
     * As {@link #run(Class, Map, List, String...)}, with a shorter bound for programs that must end
     * quickly (a hang then costs seconds, not two minutes).
     */
    public static Result run(long timeoutSeconds, Class<?> main, Map<String, String> env, List<String> jvmArgs,
            String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (!jvmArgs.contains(NO_EXPORTS)) {
            cmd.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        }
        cmd.add("--enable-native-access=ALL-UNNAMED"); // the epoll netpoller (java.lang.foreign)
        for (String a : jvmArgs) {
            if (!a.equals(NO_EXPORTS)) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("GOMAXPROCS");
        pb.environment().remove("GODEBUG");
        pb.environment().putAll(env);
        Path out = java.nio.file.Files.createTempFile("gort-child", ".out");
        Path err = java.nio.file.Files.createTempFile("gort-child", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            String partial = java.nio.file.Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr ---\n"
                    + java.nio.file.Files.readString(err, StandardCharsets.UTF_8);
            throw new AssertionError("child JVM " + main.getName() + " " + List.of(args) + " did not finish in "
                    + timeoutSeconds + " s\n--- stdout ---\n" + partial);
        }
        Result r = new Result(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
        java.nio.file.Files.deleteIfExists(out);
        java.nio.file.Files.deleteIfExists(err);
        return r;
    }
}
