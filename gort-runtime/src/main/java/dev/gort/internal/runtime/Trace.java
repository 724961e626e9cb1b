package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The execution tracer (Go: runtime/trace2*.go) and the switch in front of the JFR events.
 *
 * <h2>Cost when off</h2>
 * Every hook in the scheduler is written {@code if (Trace.on()) Trace.x(...)}: one load of a static
 * field and a branch the CPU predicts as not taken, plus the hook's bytecode, which counts against
 * the JIT's inlining limits (keep hot, small methods such as Proc.gopark within them).
 * {@code gort-bench/traceoff.sh} measures the cost against a build without the hooks. {@link #on}
 * is true while a trace session runs or a JFR recording runs ({@link TraceJfr}); each method below
 * then checks which of the two wants the event.
 *
 * <h2>Buffers</h2>
 * As in Go, events are appended without locks to a buffer owned by the writer: here one per P
 * ({@code P.traceBuf}), written by the M that holds the P (Go keeps them per M and records the P;
 * per P the buffer follows the run queue it describes). Events of threads that hold no P (sysmon,
 * plain Java threads, an M between Ps or in a syscall) go to the session's global buffer under its
 * monitor. Full chunks are handed to the session; stopping waits for in-flight appends (see
 * {@link TraceBuf}), then sorts all events by time and writes Chrome Trace Event JSON
 * ({@link TraceJson}). Start and stop do not stop the world.
 *
 * <h2>Starting</h2>
 * {@code -Dgort.trace=FILE} or {@code GODEBUG=trace=FILE} starts a session when the runtime starts
 * and a shutdown hook (or a fatal error's exit) writes the file; {@code Go.startTrace(file)} and
 * {@code Go.stopTrace()} do the same at any time. One session at a time (Go: "tracing is already
 * enabled").
 */
final class Trace {
    private Trace() {}

    /** Any consumer wants events: a session runs or JFR records. Written under Trace.class (setOn). */
    static volatile boolean on;
    /**
     * The guard of every hook (see "Cost when off"): one load and a branch. Not a
     * MutableCallSite read through its dynamicInvoker, which looked free but is not: C2 cannot
     * bind the invoker's virtual CallSite.getTarget() call, so every hook made a call (skynet
     * paid about 4 %, measured by gort-bench/traceoff.sh).
     */
    static boolean on() {
        return on;
    }

    /** Sets {@link #on}; under Trace.class. */
    private static void setOn(boolean v) {
        on = v;
    }

    /** The running session, or null. Written under Trace.class. */
    static volatile Session session;

    // Event kinds (the header's low byte).
    static final int GO_CREATE = 1; // goid: creator (0: none); arg: new goid (0: not started yet)
    static final int GO_START = 2;
    static final int GO_END = 3;
    static final int GO_BLOCK = 4; // arg: wait reason
    static final int GO_SCHED = 5; // Gosched
    static final int GO_PREEMPT = 6; // yielded at a safe point on request
    static final int GO_YIELD = 7; // goyield (semaphore hand-off)
    static final int GO_UNBLOCK = 8; // goid: the readied G; arg: the waker's goid (0: none)
    static final int SYSCALL_ENTER = 9; // arg: 1 for syscallBlock
    static final int SYSCALL_EXIT = 10; // got a P back
    static final int SYSCALL_EXIT_BLOCKED = 11; // no P: queued globally
    static final int PROC_START = 12;
    static final int PROC_STOP = 13;
    static final int PROC_STEAL = 14; // arg: victim P
    static final int PROC_HANDOFF = 15; // arg: HANDOFF_*; goid: the G that held it, if known
    static final int PREEMPT_REQUEST = 16; // sysmon asked goid to yield
    static final int THREAD_START = 17; // arg: the new M's id
    static final int DEADLOCK = 18;

    static final int HANDOFF_SYSCALL = 0;
    static final int HANDOFF_SYSCALL_BLOCK = 1;
    static final int HANDOFF_STUCK = 2;
    static final String[] HANDOFF_WHY = {"syscall retaken by sysmon", "syscallBlock", "stuck M"};

    /** One trace, from start to stop. */
    static final class Session {
        final Path file;
        final long start = System.nanoTime();
        /** Set once by stop; see TraceBuf for the hand-shake with writers. */
        volatile boolean stopped;
        /** Events of threads without a P; under its own monitor. */
        final TraceBuf global = new TraceBuf(this, -1);
        // Under this session's monitor.
        private final List<TraceBuf> bufs = new ArrayList<>();
        private final List<long[]> fullWords = new ArrayList<>();
        private final List<Object[]> fullRefs = new ArrayList<>();

        Session(Path file) {
            this.file = file;
        }

        synchronized TraceBuf register(int pid) {
            TraceBuf b = new TraceBuf(this, pid);
            bufs.add(b);
            return b;
        }

        synchronized void flush(long[] words, Object[] refs, int n) {
            fullWords.add(n == TraceBuf.CHUNK ? words : java.util.Arrays.copyOf(words, n * 4));
            fullRefs.add(refs);
        }
    }

    // ---------------------------------------------------------------- start / stop

    /** Go: trace.Start. Creates (truncates) the file now, so a bad path fails here. */
    static synchronized void start(Path file) throws IOException {
        if (session != null) {
            throw new IllegalStateException("tracing is already enabled");
        }
        Files.write(file, new byte[0]);
        session = new Session(file);
        setOn(true);
    }

    /** Go: trace.Stop. Writes the file; does nothing if no session runs. Returns the file. */
    static synchronized Path stop() throws IOException {
        Session s = session;
        if (s == null) {
            return null;
        }
        s.stopped = true;
        session = null;
        setOn(TraceJfr.recording);
        long end = System.nanoTime() - s.start;
        List<TraceBuf> bufs;
        synchronized (s) {
            bufs = new ArrayList<>(s.bufs);
        }
        for (TraceBuf b : bufs) {
            while (b.busy) {
                Thread.onSpinWait(); // an append in flight: a few instructions
            }
        }
        List<long[]> words = new ArrayList<>();
        List<Object[]> refs = new ArrayList<>();
        synchronized (s.global) {
            add(words, refs, s.global);
        }
        synchronized (s) {
            words.addAll(s.fullWords);
            refs.addAll(s.fullRefs);
        }
        for (TraceBuf b : bufs) {
            add(words, refs, b);
        }
        TraceJson.write(s.file, words, refs, end, Proc.gomaxprocs, Sysmon.id());
        return s.file;
    }

    private static void add(List<long[]> words, List<Object[]> refs, TraceBuf b) {
        if (b.n > 0) {
            words.add(java.util.Arrays.copyOf(b.words, b.n * 4));
            refs.add(b.refs);
        }
    }

    /**
     * At runtime start: {@code gort.trace} / {@code GODEBUG=trace=} start a session written at
     * exit; the JFR switch is installed.
     */
    static void init() {
        TraceJfr.init();
        String f = Env.traceFile;
        if (f == null) {
            return;
        }
        try {
            start(Path.of(f));
        } catch (IOException | RuntimeException e) {
            Env.warn("gort: cannot trace to " + f + ": " + e);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(Trace::stopQuietly, "gort-trace-writer"));
    }

    /** At exit (the shutdown hook, or a fatal error before its halt): write what there is. */
    static void stopQuietly() {
        try {
            stop();
        } catch (Throwable e) {
            Env.warn("gort: writing the trace failed: " + e);
        }
    }

    /** Called by Panics just before Runtime.halt: no shutdown hook will run. */
    static void atFatalExit() {
        if (session != null) {
            stopQuietly();
        }
        if (TraceJfr.recording) {
            TraceJfr.dumpAtHalt();
        }
    }

    // ---------------------------------------------------------------- appending

    private static void emit(M mp, int kind, long goid, long arg, Object ref) {
        Session s = session;
        if (s == null) {
            return;
        }
        P pp = mp != null ? mp.p : null;
        if (pp != null && pp.m == mp) {
            TraceBuf b = pp.traceBuf; // owner-only field
            if (b == null || b.session != s) {
                b = s.register(pp.id);
                pp.traceBuf = b;
            }
            b.busy = true;
            if (!s.stopped) {
                b.put(System.nanoTime() - s.start, kind, pp.id, mp.mid, goid, arg, ref);
            }
            b.busy = false;
            return;
        }
        emitGlobal(s, mp != null ? mp.mid : threadM(), kind, goid, arg, ref);
    }

    private static void emitGlobal(Session s, long mid, int kind, long goid, long arg, Object ref) {
        TraceBuf g = s.global;
        synchronized (g) {
            if (!s.stopped) {
                g.put(System.nanoTime() - s.start, kind, -1, mid, goid, arg, ref);
            }
        }
    }

    /** The M id of the current thread when it is not an M: sysmon's, or -1 for a plain thread. */
    private static long threadM() {
        return Thread.currentThread() instanceof Sysmon ? Sysmon.id() : -1;
    }

    private static long curgoid(M mp) {
        G g = mp != null ? mp.curg : null;
        return g != null ? g.goid : 0;
    }

    // ---------------------------------------------------------------- hooks

    /** newproc: a goroutine was created (newgoid 0: it gets its id when it first runs). */
    static void goCreate(M mp, Runnable fn, long newgoid) {
        emit(mp, GO_CREATE, curgoid(mp), newgoid, fn.getClass());
    }

    /** execute: gp starts running on mp. */
    static void goStart(M mp, G gp) {
        Runnable fn = gp.fn;
        emit(mp, GO_START, gp.goid, 0, fn != null ? fn.getClass() : null);
    }

    /** runG: gp's continuation returned to mp; mcallop says why (or done: it ended). */
    static void goStop(M mp, G gp, boolean done, int mcallop) {
        int kind;
        long arg = 0;
        if (done) {
            kind = GO_END;
        } else {
            switch (mcallop) {
                case Proc.MCALL_PARK -> {
                    kind = GO_BLOCK;
                    arg = gp.waitreason;
                }
                case Proc.MCALL_GOSCHED -> kind = GO_SCHED;
                case Proc.MCALL_PREEMPT -> {
                    kind = GO_PREEMPT;
                    if (TraceJfr.recording) {
                        P pp = mp.p;
                        TraceJfr.preemption(gp.goid, pp != null ? pp.id : -1, mp.mid, "yield at a safe point");
                    }
                }
                case Proc.MCALL_GOYIELD -> kind = GO_YIELD;
                case Proc.MCALL_EXITSYSCALL -> kind = SYSCALL_EXIT_BLOCKED;
                default -> {
                    return;
                }
            }
        }
        emit(mp, kind, gp.goid, arg, null);
    }

    /** gopark, on the goroutine, before it yields. */
    static void goPark(G gp) {
        if (TraceJfr.recording) {
            TraceJfr.parkBegin(gp);
        }
    }

    /** park_m: the unlock function refused the park; gp resumes at once. */
    static void parkAborted(G gp) {
        if (TraceJfr.recording) {
            TraceJfr.parkAborted(gp);
        }
    }

    /** ready / injectglist: gp became runnable; mp is the waker's M (null: a plain thread). */
    static void goUnblock(M mp, G gp) {
        long waker = curgoid(mp);
        if (TraceJfr.recording) {
            TraceJfr.parkEnd(gp, waker);
        }
        emit(mp, GO_UNBLOCK, gp.goid, waker, null);
    }

    /** entersyscall / entersyscallblock, while mp still holds its P. */
    static void syscallEnter(M mp, G gp, boolean block) {
        emit(mp, SYSCALL_ENTER, gp.goid, block ? 1 : 0, null);
        if (block && TraceJfr.recording) {
            P pp = mp.p;
            TraceJfr.handoff(pp != null ? pp.id : -1, gp.goid, mp.mid, HANDOFF_WHY[HANDOFF_SYSCALL_BLOCK]);
        }
    }

    /** exitsyscall's fast path: gp runs on again, on mp's (new or old) P. */
    static void syscallExit(M mp, G gp) {
        emit(mp, SYSCALL_EXIT, gp.goid, 0, null);
    }

    /** acquirep. */
    static void procStart(M mp, P pp) {
        emit(mp, PROC_START, 0, pp.id, null);
    }

    /** releasep (and dropRetakenP), while mp still holds pp. */
    static void procStop(M mp, P pp) {
        emit(mp, PROC_STOP, 0, pp.id, null);
    }

    /** stealWork took work from victim. */
    static void steal(M mp, P victim) {
        emit(mp, PROC_STEAL, 0, victim.id, null);
    }

    /**
     * sysmon (or entersyscallblock) handed pp to another M. gp/holder: the goroutine and M that
     * held it, when known.
     */
    static void handoff(P pp, int why, G gp, M holder) {
        long goid = gp != null ? gp.goid : 0;
        long hm = holder != null ? holder.mid : -1;
        Session s = session;
        if (s != null) {
            emitGlobal(s, threadM(), PROC_HANDOFF, goid, why | (long) pp.id << 8 | (hm + 1) << 32, null);
        }
        if (TraceJfr.recording) {
            TraceJfr.handoff(pp.id, goid, hm, HANDOFF_WHY[why]);
            if (why == HANDOFF_STUCK) {
                TraceJfr.preemption(goid, pp.id, hm, "hand-off of a stuck M");
            }
        }
    }

    /** sysmon took pp from an M in a syscall: find that M and its goroutine for the event. */
    static void syscallRetaken(P pp) {
        M holder = null;
        sched.lock.lock();
        try {
            for (M m = sched.allm; m != null; m = m.alllink) {
                if (m.oldp == pp) { // racy read of the M's own field: good enough for a report
                    holder = m;
                    break;
                }
            }
        } finally {
            sched.lock.unlock();
        }
        handoff(pp, HANDOFF_SYSCALL, holder != null ? holder.syscallg : null, holder);
    }

    /** sysmon asked gp, running on pp, to yield (Go: preemptone). */
    static void preemptRequest(P pp, G gp) {
        Session s = session;
        if (s != null) {
            emitGlobal(s, threadM(), PREEMPT_REQUEST, gp.goid, pp.id, null);
        }
    }

    /** newm / startSysmon: a thread was made (on the creating thread). */
    static void threadStart(long newmid, String name, P pp, boolean spinning) {
        M mp = Proc.getm();
        emit(mp, THREAD_START, 0, newmid, null);
        if (TraceJfr.recording) {
            TraceJfr.threadStart(newmid, name, pp != null ? pp.id : -1, spinning);
        }
    }

    /** checkdead is about to die with "all goroutines are asleep - deadlock!". */
    static void deadlock(String msg, int waiting) {
        Session s = session;
        if (s != null) {
            emitGlobal(s, threadM(), DEADLOCK, 0, waiting, null);
        }
        if (TraceJfr.recording) {
            TraceJfr.deadlock(msg, waiting);
        }
    }

    /** Recomputes {@link #on} after the JFR side changed. */
    static synchronized void jfrChanged() {
        setOn(session != null || TraceJfr.recording);
    }

    /** The name the JSON gives a goroutine's function (see FN_NAMES). */
    static String functionName(Object fnClass) {
        return fnClass instanceof Class<?> c ? FN_NAMES.get(c) : "?";
    }

    /**
     * A goroutine's name in the trace: its function. Java keeps no entry PC, so the Runnable's
     * class stands for it: {@code pkg.Outer.lambda} for a lambda, {@code pkg.Task.run} otherwise.
     */
    private static final ClassValue<String> FN_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> c) {
            String n = c.getName();
            int i = n.indexOf("$$Lambda");
            return i >= 0 ? n.substring(0, i) + ".lambda" : n + ".run";
        }
    };
}
