package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;

/**
 * {@code GODEBUG=schedtrace=MS} and {@code scheddetail=1} (Go: proc.go {@code schedtrace}),
 * printed by sysmon to stderr in Go 1.25+'s format, field for field:
 * <pre>
 * SCHED 1004ms: gomaxprocs=2 idleprocs=0 threads=5 spinningthreads=0 needspinning=0 idlethreads=1 runqueue=0 [ 1 0 ] schedticks=[ 12 9 ]
 * </pre>
 * With scheddetail the SCHED line drops the lists and adds {@code gcwaiting nmidlelocked stopwait
 * sysmonwait}, then one line per P, per M (newest first) and per G (dead ones included). Values
 * are read without stopping anything, as Go does: a racy snapshot. Fields about Go's garbage
 * collector and allocator print what Go prints when they are idle ({@code mallocing=0} and so on).
 */
final class SchedTrace {
    private SchedTrace() {}

    static void print(long ms, boolean detail) {
        String s = format(ms, detail);
        System.err.print(s);
        System.err.flush();
    }

    static String format(long ms, boolean detail) {
        StringBuilder sb = new StringBuilder(256);
        P[] ps = Proc.allp;
        sb.append("SCHED ").append(ms).append("ms: gomaxprocs=").append(Proc.gomaxprocs)
                .append(" idleprocs=").append(sched.npidle.get())
                .append(" threads=").append(sched.mcount())
                .append(" spinningthreads=").append(sched.nmspinning.get())
                .append(" needspinning=").append(sched.needspinning)
                .append(" idlethreads=").append(sched.nmidle)
                .append(" runqueue=").append(sched.runqsize());
        if (detail) {
            sb.append(" gcwaiting=").append(sched.gcwaiting)
                    .append(" nmidlelocked=").append(sched.nmidlelocked)
                    .append(" stopwait=").append(sched.stopwait)
                    .append(" sysmonwait=").append(sched.sysmonwait)
                    .append('\n');
        } else {
            sb.append(" [ ");
            for (P pp : ps) {
                sb.append(runqlen(pp)).append(' ');
            }
            sb.append("] schedticks=[ ");
            for (P pp : ps) {
                sb.append(pp.schedtick).append(' ');
            }
            sb.append("]\n");
            return sb.toString();
        }
        for (P pp : ps) {
            M mp = pp.m;
            sb.append("  P").append(pp.id).append(": status=").append(pp.status)
                    .append(" schedtick=").append(pp.schedtick)
                    .append(" syscalltick=").append(pp.syscalltick)
                    .append(" m=").append(mp != null ? Long.toString(mp.mid) : "nil")
                    .append(" runqsize=").append(runqlen(pp))
                    .append(" gfreecnt=").append(pp.gFreeSize)
                    .append(" timerslen=").append(pp.timers.size())
                    .append('\n');
        }
        M allm;
        sched.lock.lock();
        try {
            allm = sched.allm;
        } finally {
            sched.lock.unlock();
        }
        for (M mp = allm; mp != null; mp = mp.alllink) {
            P pp = mp.p;
            G cur = mp.curg;
            if (cur == null) {
                cur = mp.syscallg;
            }
            G lg = mp.lockedg;
            sb.append("  M").append(mp.mid).append(": p=").append(pp != null ? Integer.toString(pp.id) : "nil")
                    .append(" curg=").append(cur != null ? Long.toString(cur.goid) : "nil")
                    .append(" mallocing=0 throwing=0 preemptoff= locks=0 dying=0")
                    .append(" spinning=").append(mp.spinning)
                    .append(" blocked=").append(mp.park.isBlocked())
                    .append(" lockedg=").append(lg != null ? Long.toString(lg.goid) : "nil")
                    .append('\n');
        }
        long smid = Sysmon.id();
        if (smid >= 0) {
            sb.append("  M").append(smid).append(": p=nil curg=nil mallocing=0 throwing=0 preemptoff= locks=0 dying=0"
                    + " spinning=false blocked=false lockedg=nil\n");
        }
        for (G gp : Proc.allgsSnapshot()) {
            int st = gp.readgstatus();
            M running = null;
            for (M mp = allm; mp != null; mp = mp.alllink) {
                if (mp.curg == gp || mp.syscallg == gp) {
                    running = mp;
                    break;
                }
            }
            M lm = gp.lockedm;
            int base = st & ~G._Gscan;
            String reason = base == G._Gwaiting ? WaitReason.string(gp.waitreason) : "";
            sb.append("  G").append(gp.goid).append(": status=").append(st)
                    .append('(').append(reason).append(')')
                    .append(" m=").append(running != null ? Long.toString(running.mid) : "nil")
                    .append(" lockedm=").append(lm != null ? Long.toString(lm.mid) : "nil")
                    .append('\n');
        }
        return sb.toString();
    }

    /** Go: runqtail - runqhead (runnext excluded). */
    static int runqlen(P pp) {
        int n = pp.runqtail - pp.runqhead;
        return Math.max(n, 0);
    }
}
