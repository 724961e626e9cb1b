package dev.gort.internal.runtime;

import java.util.Map;
import java.util.Set;

/**
 * Plain Java threads as possible wakers, for deadlock detection ({@link Proc#checkdead}).
 *
 * <p>Go knows every thread that can run Go code; the JVM has threads Gort did not make, and any of
 * them may send on a channel at any time. Go's answer for threads it does not own (cgo callbacks)
 * is to count them as running. Gort counts, at the moment everything else says "deadlock":
 * <ul>
 *   <li>every plain thread that is inside a Gort call right now (a Gort class on its stack):
 *       blocked in {@code recv}, about to ready a goroutine, anything;</li>
 *   <li>every live non-daemon plain thread: it keeps the JVM alive, so the program expects it to
 *       do something, such as send to a goroutine later.</li>
 * </ul>
 * Not counted: Gort's own threads, the thread waiting in {@code Go.main}, JVM-internal daemon
 * threads, and daemon threads outside Gort (a daemon thread that will call in later is invisible:
 * documented under "Differences from Go"). The scan takes a stack snapshot of every thread, so it
 * runs only when the cheap rules have already found nothing that can run.
 */
final class PlainThreads {
    private PlainThreads() {}

    private static final Set<String> API_PACKAGES =
            Set.of("dev.gort", "dev.gort.sync", "dev.gort.time", "dev.gort.net", "dev.gort.os");

    static boolean mayWake(Thread mainWaiter) {
        Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
        for (Map.Entry<Thread, StackTraceElement[]> e : all.entrySet()) {
            Thread t = e.getKey();
            if (t == mainWaiter || t instanceof M || t instanceof Sysmon || !t.isAlive()) {
                continue;
            }
            if (!t.isDaemon() && !t.getName().equals("DestroyJavaVM")) {
                return true;
            }
            for (StackTraceElement f : e.getValue()) {
                if (isGort(f.getClassName())) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isGort(String cls) {
        if (cls.startsWith("dev.gort.internal.")) {
            return true;
        }
        int dot = cls.lastIndexOf('.');
        return dot > 0 && API_PACKAGES.contains(cls.substring(0, dot));
    }
}
