package dev.gort.agent;

import java.lang.instrument.Instrumentation;

/**
 * The preemption agent's entry points (Go 1.14's answer to a goroutine that never calls into the
 * runtime, done the JVM's way): started by {@code -javaagent:gort.jar} ({@code Premain-Class}) or
 * by attaching to a running JVM ({@code Agent-Class}; then only classes loaded afterwards are
 * rewritten, since the agent does not retransform). It registers {@link PreemptTransformer}, which
 * puts a {@code Go.checkpoint()} call at every loop back-edge and method entry of application
 * classes, so sysmon's preemption request reaches a goroutine stuck in a loop without calls.
 *
 * <p>Before registering, it rewrites one class of its own once: that loads the ClassFile API's
 * classes now, rather than in the middle of the application's first class load.
 */
public final class PreemptAgent {
    private PreemptAgent() {}

    public static void premain(String args, Instrumentation inst) {
        install(inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        install(inst);
    }

    private static void install(Instrumentation inst) {
        boolean debug = Boolean.getBoolean("gort.agent.debug");
        warmUp(debug);
        PreemptTransformer t = new PreemptTransformer(ClassFilter.fromSystemProperties(), inst, debug);
        if (debug) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("gort agent: classes instrumented: "
                    + t.instrumented.get() + ", left unchanged: " + t.failed.get()),
                    "gort-agent-summary"));
        }
        inst.addTransformer(t, false);
    }

    private static void warmUp(boolean debug) {
        try (var in = PreemptAgent.class.getResourceAsStream("ClassFilter.class")) {
            byte[] bytes = in.readAllBytes();
            ClassLoader loader = PreemptAgent.class.getClassLoader();
            Checkpoints.instrument(bytes, cm -> LoaderHierarchy.forClass(cm, loader));
        } catch (Throwable t) {
            if (debug) {
                System.err.println("gort agent: warm-up failed: " + t);
            }
        }
    }
}
