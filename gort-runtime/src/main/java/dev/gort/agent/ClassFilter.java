package dev.gort.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns the policy of which classes get preemption points: application code, not the JDK and not
 * Gort's own runtime (a checkpoint inside the scheduler would yield in the middle of scheduling).
 *
 * <p>Never instrumented: classes of the boot and platform loaders; names starting {@code java/},
 * {@code javax/}, {@code jdk/}, {@code sun/}, {@code com/sun/}; names starting {@code dev/gort/}
 * except the test programs, examples and benchmark programs ({@code dev/gort/testprog/},
 * {@code dev/gort/examples/}, {@code dev/gort/bench/anchors/}), which are application code (left
 * out, the anchors' hog "with the agent" measured the hand-off path instead of the checkpoints).
 * Then two optional system properties, comma-separated name prefixes in internal
 * ({@code com/example/}) or dotted ({@code com.example.}) form:
 * {@code gort.agent.include} (when set, only classes matching one of them) and
 * {@code gort.agent.exclude} (classes matching one of them are skipped, e.g. {@code org/junit/}).
 */
final class ClassFilter {
    private static final List<String> JDK = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/");
    private static final List<String> GORT_APPS =
            List.of("dev/gort/testprog/", "dev/gort/examples/", "dev/gort/bench/anchors/");

    private final List<String> include; // null: everything not excluded
    private final List<String> exclude;

    ClassFilter(String includeProperty, String excludeProperty) {
        this.include = prefixes(includeProperty);
        List<String> ex = prefixes(excludeProperty);
        this.exclude = ex == null ? List.of() : ex;
    }

    /** From the system properties {@code gort.agent.include} and {@code gort.agent.exclude}. */
    static ClassFilter fromSystemProperties() {
        return new ClassFilter(System.getProperty("gort.agent.include"), System.getProperty("gort.agent.exclude"));
    }

    /** Whether the class named {@code internalName} (e.g. {@code com/example/Main}) gets checkpoints. */
    boolean instruments(String internalName, ClassLoader loader) {
        if (internalName == null || loader == null || loader == ClassLoader.getPlatformClassLoader()) {
            return false;
        }
        if (matches(internalName, JDK)) {
            return false;
        }
        if (internalName.startsWith("dev/gort/") && !matches(internalName, GORT_APPS)) {
            return false;
        }
        if (include != null && !matches(internalName, include)) {
            return false;
        }
        return !matches(internalName, exclude);
    }

    private static boolean matches(String name, List<String> prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Null for an unset or blank property; otherwise its non-empty entries, dots made slashes. */
    private static List<String> prefixes(String property) {
        if (property == null || property.isBlank()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : property.split(",")) {
            s = s.strip();
            if (!s.isEmpty()) {
                out.add(s.replace('.', '/'));
            }
        }
        return out;
    }
}
