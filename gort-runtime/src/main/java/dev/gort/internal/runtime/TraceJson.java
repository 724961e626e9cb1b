package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Trace.*;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a stopped session's events into Chrome Trace Event JSON ({@code {"traceEvents":[...]}}),
 * which Perfetto (ui.perfetto.dev) and {@code chrome://tracing} open.
 *
 * <h2>Layout</h2>
 * Process 1 "Ps" has one track (thread) per P, process 2 "Ms" one per M (sysmon included; plain
 * Java threads share track -1 "plain threads"). Each run of a goroutine, from GoStart to the event
 * that ended it (block, Gosched, preemption, syscall, end), is an "X" slice named
 * {@code g<goid> <function>} on its P's track and on its M's track; a syscall is a "syscall" slice
 * on the M's track. Scheduler events are instant ("i") events with Go's trace names (GoBlock with
 * the wait reason, GoUnblock, GoSyscallBegin/End/EndBlocked, ProcStart/Stop, ProcSteal,
 * ProcHandoff, GoPreempt, ...). A flow ("s" at the waker, "f" with {@code bp:"e"} at the wakee's
 * next slice) links each GoUnblock made by a running goroutine to the slice it readied.
 * Timestamps are microseconds since the session began (3 decimals: ns resolution).
 */
final class TraceJson {
    private TraceJson() {}

    private static final int PID_P = 1;
    private static final int PID_M = 2;
    private static final long PLAIN = -1;

    /** An open goroutine run or syscall. */
    private record Open(long ts, int p, long m) {}

    static void write(Path file, List<long[]> chunks, List<Object[]> refChunks, long end, int gomaxprocs, long sysmonId)
            throws IOException {
        int total = 0;
        for (long[] c : chunks) {
            total += c.length / 4;
        }
        long[] ts = new long[total];
        long[] hdr = new long[total];
        long[] goid = new long[total];
        long[] arg = new long[total];
        Object[] ref = new Object[total];
        int k = 0;
        for (int c = 0; c < chunks.size(); c++) {
            long[] w = chunks.get(c);
            Object[] r = refChunks.get(c);
            for (int i = 0; i < w.length / 4; i++, k++) {
                ts[k] = w[i * 4];
                hdr[k] = w[i * 4 + 1];
                goid[k] = w[i * 4 + 2];
                arg[k] = w[i * 4 + 3];
                ref[k] = r[i];
            }
        }
        // By time; a stable sort keeps each buffer's own order for equal timestamps.
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ts[a], ts[b]));

        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Out out = new Out(w);
            w.write("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"gort\",\"gomaxprocs\":");
            w.write(Integer.toString(gomaxprocs));
            w.write("},\"traceEvents\":[\n");
            TreeSet<Integer> ps = new TreeSet<>();
            TreeSet<Long> ms = new TreeSet<>();
            Map<Long, Open> run = new HashMap<>();
            Map<Long, Open> sys = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            Map<Long, List<Long>> flows = new HashMap<>();
            long nextFlow = 1;
            for (int oi = 0; oi < total; oi++) {
                int i = order[oi];
                long t = ts[i];
                int kind = (int) (hdr[i] & 0xff);
                int p = (int) ((hdr[i] >>> 8) & 0xffffff) - 1;
                long m = (hdr[i] >>> 32) - 1;
                long g = goid[i];
                long a = arg[i];
                if (p >= 0) {
                    ps.add(p);
                }
                ms.add(m);
                switch (kind) {
                    case GO_CREATE -> out.instant(p, m, t, "GoCreate", "\"creator\":" + g + ",\"goid\":" + a
                            + ",\"fn\":" + Out.str(Trace.functionName(ref[i])));
                    case GO_START -> {
                        if (ref[i] != null) {
                            names.put(g, "g" + g + " " + Trace.functionName(ref[i]));
                        }
                        close(out, run, names, g, t, "restarted");
                        run.put(g, new Open(t, p, m));
                        List<Long> fl = flows.remove(g);
                        if (fl != null && p >= 0) {
                            for (long id : fl) {
                                out.flow("f", id, PID_P, p, t);
                            }
                        }
                    }
                    case GO_END -> close(out, run, names, g, t, "end");
                    case GO_BLOCK -> {
                        String reason = WaitReason.string((int) a);
                        close(out, run, names, g, t, reason);
                        out.instant(p, m, t, "GoBlock", "\"goid\":" + g + ",\"reason\":" + Out.str(reason));
                    }
                    case GO_SCHED, GO_PREEMPT, GO_YIELD -> {
                        String what = kind == GO_SCHED ? "GoSched" : kind == GO_PREEMPT ? "GoPreempt" : "GoYield";
                        close(out, run, names, g, t, what);
                        out.instant(p, m, t, what, "\"goid\":" + g);
                    }
                    case GO_UNBLOCK -> {
                        out.instant(p, m, t, "GoUnblock", "\"goid\":" + g + ",\"waker\":" + a);
                        Open w2 = a != 0 ? run.get(a) : null;
                        if (w2 != null && w2.p >= 0) {
                            long id = nextFlow++;
                            out.flow("s", id, PID_P, w2.p, t);
                            flows.computeIfAbsent(g, x -> new ArrayList<>()).add(id);
                        }
                    }
                    case SYSCALL_ENTER -> {
                        close(out, run, names, g, t, "syscall");
                        sys.put(g, new Open(t, p, m));
                        out.instant(p, m, t, "GoSyscallBegin", "\"goid\":" + g + ",\"block\":" + (a == 1));
                    }
                    case SYSCALL_EXIT, SYSCALL_EXIT_BLOCKED -> {
                        Open s = sys.remove(g);
                        long st = s != null ? s.ts : 0;
                        out.slice(PID_M, m, st, t, "syscall g" + g, "\"goid\":" + g);
                        if (kind == SYSCALL_EXIT) {
                            out.instant(p, m, t, "GoSyscallEnd", "\"goid\":" + g);
                            run.put(g, new Open(t, p, m));
                        } else {
                            out.instant(-1, m, t, "GoSyscallEndBlocked", "\"goid\":" + g);
                        }
                    }
                    case PROC_START, PROC_STOP -> {
                        ps.add((int) a);
                        String what = kind == PROC_START ? "ProcStart" : "ProcStop";
                        out.instant((int) a, m, t, what, "\"p\":" + a + ",\"m\":" + m);
                        out.instant(-1, m, t, what, "\"p\":" + a + ",\"m\":" + m);
                    }
                    case PROC_STEAL -> out.instant(p, m, t, "ProcSteal", "\"victim\":" + a);
                    case PROC_HANDOFF -> {
                        int why = (int) (a & 0xff);
                        int hp = (int) ((a >>> 8) & 0xffffff);
                        long hm = (a >>> 32) - 1;
                        ps.add(hp);
                        String args = "\"p\":" + hp + ",\"goid\":" + g + ",\"m\":" + hm
                                + ",\"why\":" + Out.str(HANDOFF_WHY[why]);
                        out.instant(hp, m, t, "ProcHandoff", args);
                        out.instant(-1, m, t, "ProcHandoff", args);
                        Open o = why == HANDOFF_STUCK ? run.get(g) : null;
                        if (o != null && o.p == hp) {
                            // The P's id now belongs to a replacement P on another M; the goroutine
                            // runs on, on its M's track only.
                            out.slice(PID_P, hp, o.ts, t, names.getOrDefault(g, "g" + g),
                                    "\"goid\":" + g + ",\"end\":\"P handed off (stuck M)\"");
                            run.put(g, new Open(o.ts, -1, o.m));
                        }
                    }
                    case PREEMPT_REQUEST -> {
                        ps.add((int) a);
                        out.instant((int) a, m, t, "GoPreemptRequest", "\"goid\":" + g);
                    }
                    case THREAD_START -> {
                        ms.add(a);
                        out.instant(p, m, t, "ThreadStart", "\"newm\":" + a);
                    }
                    case DEADLOCK -> out.instant(-1, m, t, "Deadlock", "\"waiting\":" + a);
                    default -> {
                    }
                }
            }
            for (Long g : new ArrayList<>(run.keySet())) {
                close(out, run, names, g, end, "running at trace stop");
            }
            for (Map.Entry<Long, Open> e : sys.entrySet()) {
                out.slice(PID_M, e.getValue().m, e.getValue().ts, end, "syscall g" + e.getKey(), "\"goid\":" + e.getKey());
            }
            out.meta(PID_P, null, "process_name", "Ps");
            out.meta(PID_P, null, "process_sort_index", 1);
            for (int p : ps) {
                out.meta(PID_P, (long) p, "thread_name", "P" + p);
                out.meta(PID_P, (long) p, "thread_sort_index", p);
            }
            out.meta(PID_M, null, "process_name", "Ms");
            out.meta(PID_M, null, "process_sort_index", 2);
            for (long m : ms) {
                String n = m == PLAIN ? "plain threads" : m == sysmonId ? "M" + m + " sysmon" : "M" + m;
                out.meta(PID_M, m, "thread_name", n);
                out.meta(PID_M, m, "thread_sort_index", m);
            }
            w.write("\n]}\n");
        }
    }

    /** Ends g's open run (if any; else the run began before the trace did) as slices. */
    private static void close(Out out, Map<Long, Open> run, Map<Long, String> names, long g, long t, String why)
            throws IOException {
        Open o = run.remove(g);
        if (o == null) {
            return;
        }
        String name = names.getOrDefault(g, "g" + g);
        String args = "\"goid\":" + g + ",\"end\":" + Out.str(why);
        if (o.p >= 0) {
            out.slice(PID_P, o.p, o.ts, t, name, args);
        }
        out.slice(PID_M, o.m, o.ts, t, name, args + ",\"p\":" + o.p);
    }

    /** The JSON writer: one event per line. */
    private static final class Out {
        private final BufferedWriter w;
        private boolean first = true;

        Out(BufferedWriter w) {
            this.w = w;
        }

        private void begin() throws IOException {
            if (!first) {
                w.write(",\n");
            }
            first = false;
        }

        static String us(long ns) {
            long f = ns % 1000;
            return (ns / 1000) + "." + (f < 10 ? "00" : f < 100 ? "0" : "") + f;
        }

        static String str(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return sb.append('"').toString();
        }

        void slice(int pid, long tid, long t0, long t1, String name, String args) throws IOException {
            begin();
            w.write("{\"ph\":\"X\",\"cat\":\"goroutine\",\"pid\":" + pid + ",\"tid\":" + tid + ",\"ts\":" + us(t0)
                    + ",\"dur\":" + us(Math.max(0, t1 - t0)) + ",\"name\":" + str(name) + ",\"args\":{" + args + "}}");
        }

        /** On P p's track, or M m's when p < 0. */
        void instant(int p, long m, long t, String name, String args) throws IOException {
            begin();
            int pid = p >= 0 ? PID_P : PID_M;
            long tid = p >= 0 ? p : m;
            w.write("{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"sched\",\"pid\":" + pid + ",\"tid\":" + tid + ",\"ts\":" + us(t)
                    + ",\"name\":" + str(name) + ",\"args\":{" + args + "}}");
        }

        void flow(String ph, long id, int pid, long tid, long t) throws IOException {
            begin();
            w.write("{\"ph\":\"" + ph + "\",\"cat\":\"unblock\",\"name\":\"unblock\",\"id\":" + id + ",\"pid\":" + pid
                    + ",\"tid\":" + tid + ",\"ts\":" + us(t) + (ph.equals("f") ? ",\"bp\":\"e\"" : "") + "}");
        }

        void meta(int pid, Long tid, String name, Object value) throws IOException {
            begin();
            String v = value instanceof String s ? "\"name\":" + str(s) : "\"sort_index\":" + value;
            w.write("{\"ph\":\"M\",\"pid\":" + pid + (tid != null ? ",\"tid\":" + tid : "") + ",\"name\":\"" + name
                    + "\",\"args\":{" + v + "}}");
        }
    }
}
