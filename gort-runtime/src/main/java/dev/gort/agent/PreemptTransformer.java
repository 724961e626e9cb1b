package dev.gort.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the agent's per-class decision and its safety net: which loaded classes are rewritten
 * ({@link ClassFilter}), that the rewritten code can reach {@code dev.gort.Go}, and that nothing
 * the rewrite does can break class loading: on any failure the class is loaded unchanged (a class
 * without preemption points still runs, it just cannot be preempted), and with
 * {@code -Dgort.agent.debug=true} one {@code gort agent: } line on stderr says which and why (and a
 * last line at exit counts the classes rewritten and left unchanged).
 */
final class PreemptTransformer implements ClassFileTransformer {
    private final ClassFilter filter;
    private final Instrumentation inst; // null in tests: no module rewiring
    private final boolean debug;
    final AtomicInteger instrumented = new AtomicInteger(); // classes rewritten
    final AtomicInteger failed = new AtomicInteger(); // classes left unchanged after an error

    PreemptTransformer(ClassFilter filter, Instrumentation inst, boolean debug) {
        this.filter = filter;
        this.inst = inst;
        this.debug = debug;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (!filter.instruments(className, loader)) {
            return null;
        }
        try {
            Class<?> go = goVisibleFrom(loader);
            if (go == null) {
                failed.incrementAndGet();
                debug(className, "dev.gort.Go is not visible from its class loader " + loader);
                return null;
            }
            byte[] out = Checkpoints.instrument(classfileBuffer, cm -> LoaderHierarchy.forClass(cm, loader));
            if (out != null && module != null && module.isNamed() && !module.canRead(go.getModule())
                    && inst != null) {
                // A named application module must read Gort's module to call Go.checkpoint.
                inst.redefineModule(module, Set.of(go.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
            }
            if (out != null) {
                instrumented.incrementAndGet();
            }
            return out;
        } catch (Throwable t) {
            failed.incrementAndGet();
            debug(className, t.toString());
            return null;
        }
    }

    /** The dev.gort.Go the rewritten class would link to, or null if its loader cannot see one. */
    private static Class<?> goVisibleFrom(ClassLoader loader) {
        try {
            return Class.forName("dev.gort.Go", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private void debug(String className, String why) {
        if (debug) {
            System.err.println("gort agent: left " + className + " unchanged: " + why);
        }
    }
}
