package dev.gort.internal.runtime;

import java.util.Map;
import java.util.Set;

/**
 * Plain Java threads as possible wakers, for deadlock detection ({@link Proc#checkdead}).
 *
 * <p>Go knows every thread that can run Go code; the JVM has threads Gort did not make, and any of
 * them may send on a channel at any time. Go's answer for threads it does not own (cgo callbacks)
 * is to count them as running. Gort counts a plain thread as a possible waker, at the moment
 * everything else says "deadlock", when it is
 * <ul>
 *   <li>inside a Gort call right now (a Gort class on its stack): blocked in {@code recv}, about
 *       to ready a goroutine, anything;</li>
 *   <li>alive and non-daemon: it keeps the JVM alive, so the program expects it to do something;</li>
 *   <li>not waiting indefinitely: running, sleeping, in a timed wait or contending for a monitor
 *       (a {@code CompletableFuture} task about to send, a scheduled executor's worker waiting
 *       for its next task). Only a daemon thread parked with no timeout outside Gort can never
 *       act by itself (another thread would have to wake it, and that one is counted).</li>
 * </ul>
 * Not counted: Gort's own threads, the thread waiting in {@code Go.main}, and the JVM's own
 * threads (the {@code system} thread group and its innocuous threads: reference handler, cleaner,
 * signal dispatcher); RMI's threads (the JMX agent's) count only while inside a Gort call. The
 * scan takes a stack snapshot of every thread, so it runs only when the cheap rules have already
 * found nothing that can run. Virtual threads are not seen (their
 * carriers are): a virtual thread that will send later, while unmounted, goes unnoticed.
 */
final class PlainThreads {
    private PlainThreads() {}

    private static final Set<String> API_PACKAGES =
            Set.of("dev.gort", "dev.gort.sync", "dev.gort.time", "dev.gort.net", "dev.gort.os");

    static boolean mayWake(Thread mainWaiter) {
        ThreadGroup system = Thread.currentThread().getThreadGroup();
        while (system != null && system.getParent() != null) {
            system = system.getParent();
        }
        Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
        for (Map.Entry<Thread, StackTraceElement[]> e : all.entrySet()) {
            Thread t = e.getKey();
            if (t == mainWaiter || t instanceof M || t instanceof Sysmon || t instanceof SchedMXBean.Registrar
                    || !t.isAlive()) {
                continue;
            }
            ThreadGroup g = t.getThreadGroup();
            if (g == null || g == system || g.getName().equals("InnocuousThreadGroup")) {
                continue; // the JVM's own threads
            }
            for (StackTraceElement f : e.getValue()) {
                if (isGort(f.getClassName())) {
                    return true;
                }
            }
            if (isRmiRuntime(g, system)) {
                continue;
            }
            if (!t.isDaemon() && !t.getName().equals("DestroyJavaVM")) {
                return true;
            }
            if (t.getState() != Thread.State.WAITING) {
                return true;
            }
        }
        return false;
    }

    /**
     * RMI's own thread group ("RMI Runtime", under the system group): the JMX agent's connection
     * threads, which {@code ./gort dump} leaves behind, idle in a timed wait for a minute. They
     * act only when a remote call comes in, and then inside Gort if it concerns Gort. (Other JDK
     * pools, such as the common ForkJoinPool, run application tasks and count as before.)
     */
    private static boolean isRmiRuntime(ThreadGroup g, ThreadGroup system) {
        return g.getParent() == system && g.getName().equals("RMI Runtime");
    }

    static boolean isGort(String cls) {
        if (cls.startsWith("dev.gort.internal.")) {
            return true;
        }
        int dot = cls.lastIndexOf('.');
        return dot > 0 && API_PACKAGES.contains(cls.substring(0, dot));
    }
}
