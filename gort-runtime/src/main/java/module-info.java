/**
 * Gort: Go's runtime for Java 25.
 *
 * <p>The exported packages are the public API ({@code dev.gort}, {@code dev.gort.sync},
 * {@code dev.gort.time}, later {@code dev.gort.net}); the scheduler itself lives in the non-exported
 * {@code dev.gort.internal.runtime}. The runtime needs
 * {@code --add-exports java.base/jdk.internal.vm=dev.gort} (or {@code =ALL-UNNAMED} on the class path).
 * The jar is also a Java agent ({@code -javaagent:gort.jar}, package {@code dev.gort.agent}) that
 * adds preemption points to application classes.
 */
module dev.gort {
    // Only the preemption agent (dev.gort.agent) uses it, and only when started with -javaagent,
    // which resolves java.instrument itself.
    requires static java.instrument;
    // The dev.gort:type=Scheduler MXBean (SchedulerMXBean), registered in the platform MBean server.
    requires java.management;
    // Only ./gort dump's client (dev.gort.internal.Dump) attaches to other JVMs; run on the class
    // path (or with --add-modules jdk.attach), it finds the module itself.
    requires static jdk.attach;

    exports dev.gort;
    exports dev.gort.sync;
    exports dev.gort.time;
    exports dev.gort.net;
    exports dev.gort.os;
    // With the jar on the module path, -javaagent loads PreemptAgent from this module, and
    // java.instrument must be able to call its premain; nobody else sees the package.
    exports dev.gort.agent to java.instrument;
}
