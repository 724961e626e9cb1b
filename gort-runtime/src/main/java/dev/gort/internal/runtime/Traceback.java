package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.G._Gdead;
import static dev.gort.internal.runtime.G._Grunnable;
import static dev.gort.internal.runtime.G._Grunning;
import static dev.gort.internal.runtime.G._Gscan;
import static dev.gort.internal.runtime.G._Gsyscall;
import static dev.gort.internal.runtime.G._Gwaiting;

/**
 * Goroutine dumps in Go's layout (Go: traceback.go {@code goroutineheader}, {@code traceback};
 * {@code runtime.Stack}), with Java frames:
 * <pre>
 * goroutine 7 [chan receive]:
 * com.example.Main.worker(...)
 * 	Main.java:42
 * </pre>
 * A parked goroutine's frames come from its continuation, walked while the G's status carries the
 * {@code _Gscan} bit so it cannot be resumed mid-walk (Go's suspendG/scan protocol: every status
 * CAS waits while the bit is set). A goroutine in a syscall is held the same way, and its frames
 * are those of the M's thread, which cannot leave the call meanwhile. A goroutine running on
 * another M is reported as Go reports it: "goroutine running on other thread; stack unavailable".
 */
final class Traceback {
    private Traceback() {}

    /** Go: runtime.Stack(buf, all). */
    static String stack(boolean all) {
        StringBuilder sb = new StringBuilder();
        G cur = Proc.getg();
        if (cur != null) {
            header(sb, cur, _Grunning);
            frames(sb, new Throwable().getStackTrace(), true);
        }
        if (all) {
            for (G gp : Proc.allgsSnapshot()) {
                if (gp == cur || gp.system) {
                    continue;
                }
                dumpOther(sb, gp);
            }
            long pending = Proc.pendingGoroutines();
            if (pending > 0) {
                // Created but not started: they have no G, id or stack yet (see Proc.newproc).
                sep(sb);
                sb.append(pending).append(pending == 1 ? " goroutine" : " goroutines")
                        .append(" [runnable, not yet started]\n");
            }
        }
        return sb.toString();
    }

    /** Appends gp's header and frames (blank line first if sb is not empty); skips dead Gs. */
    static void dumpOther(StringBuilder sb, G gp) {
        for (int tries = 0; tries < 1000; tries++) {
            int s = gp.readgstatus();
            int base = s & ~_Gscan;
            if (base == _Gdead || base == G._Gidle) {
                return;
            }
            if ((s & _Gscan) != 0) {
                Thread.onSpinWait(); // another dumper holds it
                continue;
            }
            if (base == _Gsyscall) {
                // Go walks a syscall's stack from its saved sp: the G cannot leave the call while
                // the scan bit is set (exitsyscall's status CAS waits), so its M's thread is still
                // in the call and its frames are the goroutine's. A failed CAS means the G just
                // left the call (or entered it): read its status again.
                if (!gp.tryCasgstatus(s, s | _Gscan)) {
                    continue;
                }
                try {
                    if (gp.waitsince == 0) {
                        gp.waitsince = System.nanoTime();
                    }
                    sep(sb);
                    header(sb, gp, base);
                    StackTraceElement[] st = syscallStack(gp);
                    if (st != null) {
                        frames(sb, st, false);
                    } else {
                        sb.append("\tgoroutine running on other thread; stack unavailable\n");
                    }
                } finally {
                    gp.casgstatus(s | _Gscan, s);
                }
                return;
            }
            if (base == _Grunning) {
                sep(sb);
                header(sb, gp, base);
                sb.append("\tgoroutine running on other thread; stack unavailable\n");
                return;
            }
            if ((base == _Gwaiting || base == _Grunnable) && gp.tryCasgstatus(s, s | _Gscan)) {
                try {
                    if (base == _Gwaiting && gp.waitsince == 0) {
                        gp.waitsince = System.nanoTime(); // Go sets waitsince lazily, when it first looks
                    }
                    sep(sb);
                    header(sb, gp, base);
                    var cont = gp.cont;
                    StackTraceElement[] st = null;
                    if (cont != null) {
                        try {
                            st = Cont.stackTrace(cont);
                        } catch (RuntimeException e) {
                            st = null; // not started yet: no frames
                        }
                    }
                    if (st != null) {
                        frames(sb, st, false);
                    }
                } finally {
                    gp.casgstatus(s | _Gscan, s);
                }
                return;
            }
        }
    }

    /**
     * The frames of the thread running gp's syscall, or null if no M holds gp (or the thread's stack
     * does not reach the goroutine's entry). Call with gp held in _Gsyscall|_Gscan. The M is found by
     * curg as well as syscallg: entersyscall sets syscallg just after the status CAS, exitsyscall
     * clears it just before its own.
     */
    private static StackTraceElement[] syscallStack(G gp) {
        // allm without sched.lock: a dump may be written by a fatal error raised under that lock.
        // A racy read may miss the newest M; the dump then says "stack unavailable", nothing worse.
        for (M mp = Sched.sched.allm; mp != null; mp = mp.alllink) {
            if (mp.syscallg == gp || mp.curg == gp) {
                StackTraceElement[] st = mp.getStackTrace();
                for (StackTraceElement e : st) {
                    if (e.getClassName().equals(G.class.getName()) && e.getMethodName().equals("run")) {
                        return st;
                    }
                }
                return null;
            }
        }
        return null;
    }

    private static void sep(StringBuilder sb) {
        if (!sb.isEmpty()) {
            sb.append('\n');
        }
    }

    /** Go: goroutineheader. {@code goroutine N [status, N minutes, locked to thread]:} */
    static void header(StringBuilder sb, G gp, int status) {
        String st;
        if (status == _Gwaiting && gp.waitreason != WaitReason.zero) {
            st = WaitReason.string(gp.waitreason);
        } else {
            st = G.statusString(status);
        }
        sb.append("goroutine ").append(gp.goid).append(" [").append(st);
        if ((status == _Gwaiting || status == _Gsyscall) && gp.waitsince != 0) {
            long minutes = (System.nanoTime() - gp.waitsince) / 60_000_000_000L;
            if (minutes >= 1) {
                sb.append(", ").append(minutes).append(" minutes");
            }
        }
        if (gp.lockedm != null) {
            sb.append(", locked to thread");
        }
        sb.append("]:\n");
    }

    /**
     * Appends frames in Go's two-line layout, leaving out the continuation machinery and everything
     * below the goroutine's entry (G.run). With {@code trimTop}, also the runtime's own frames on top
     * (the dump machinery itself), as runtime.Stack starts at its caller.
     */
    static void frames(StringBuilder sb, StackTraceElement[] st, boolean trimTop) {
        int i = 0;
        if (trimTop) {
            while (i < st.length && isTopNoise(st[i])) {
                i++;
            }
        }
        for (; i < st.length; i++) {
            StackTraceElement f = st[i];
            String cls = f.getClassName();
            if (cls.equals("dev.gort.internal.runtime.G") && f.getMethodName().equals("run")) {
                break; // the goroutine's entry: nothing below belongs to it
            }
            if (cls.startsWith("jdk.internal.vm.Continuation") || cls.equals("dev.gort.internal.runtime.Cont")
                    || cls.startsWith("java.lang.invoke.")) {
                continue; // the continuation machinery, not the goroutine's code
            }
            sb.append(cls).append('.').append(f.getMethodName()).append("(...)\n");
            sb.append('\t').append(f.getFileName() != null ? f.getFileName() : "?")
                    .append(':').append(Math.max(f.getLineNumber(), 0)).append('\n');
        }
    }

    private static boolean isTopNoise(StackTraceElement f) {
        String cls = f.getClassName();
        return cls.startsWith("dev.gort.internal.runtime.") || cls.equals("dev.gort.Go")
                || cls.equals("java.lang.Thread") || cls.startsWith("jdk.internal.vm.Continuation");
    }
}
