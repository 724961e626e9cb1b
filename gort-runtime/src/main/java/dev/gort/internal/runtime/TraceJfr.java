package dev.gort.internal.runtime;

import dev.gort.internal.trace.DeadlockEvent;
import dev.gort.internal.trace.GoroutineParkEvent;
import dev.gort.internal.trace.PreemptionEvent;
import dev.gort.internal.trace.SyscallHandoffEvent;
import dev.gort.internal.trace.ThreadStartEvent;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * The runtime side of the JFR events {@code dev.gort.*} (classes in {@code dev.gort.internal.trace}).
 *
 * <p>{@link #recording} follows JFR: a listener registered at runtime start sets it while any
 * recording runs, and {@link Trace#on} with it, so with no recording the scheduler's hooks cost
 * the one branch they cost anyway. Each event then also passes JFR's own enabled/threshold check
 * ({@code shouldCommit}), so a recording that does not enable {@code dev.gort.*} gets nothing.
 *
 * <p>Park events: the parking goroutine begins the event (at gopark, before it yields) and keeps
 * it in {@link #parked} until the waker ends it; it is committed only for a wait of at least
 * {@code gort.jfr.parkThreshold} (default 20 ms, JDK's jdk.ThreadPark default).
 */
final class TraceJfr {
    private TraceJfr() {}

    /** A JFR recording is running; written by the listener (JFR's threads, or the caller of start/stop). */
    static volatile boolean recording;
    /** Minimum park duration for GoroutinePark events, ns; written once by init. */
    static long parkThresholdNs = 20_000_000L;
    /** Parked goroutines and their open events. Concurrent: parker and waker are different Ms. */
    private static final ConcurrentHashMap<G, Parked> parked = new ConcurrentHashMap<>();

    private record Parked(GoroutineParkEvent ev, long t0) {}

    static void init() {
        String t = System.getProperty("gort.jfr.parkThreshold");
        if (t != null && !t.isEmpty()) {
            long ns = parseDuration(t);
            if (ns < 0) {
                Env.warn("gort: ignoring malformed gort.jfr.parkThreshold=\"" + t + "\" (want e.g. 20ms, 500us, 0)");
            } else {
                parkThresholdNs = ns;
            }
        }
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    update();
                }

                @Override
                public void recordingStateChanged(Recording r) {
                    update();
                }
            });
        } catch (Throwable e) {
            // No JFR in this JVM (a jlinked image without jdk.jfr, or JFR disabled): no events.
        }
    }

    /** "20ms", "500us", "1s", "250ns", "0" (JFR's units); -1 if malformed. */
    static long parseDuration(String s) {
        String v = s.trim().replace(" ", "");
        long mul;
        if (v.endsWith("ms")) {
            mul = 1_000_000L;
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("us")) {
            mul = 1_000L;
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("ns")) {
            mul = 1L;
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            mul = 1_000_000_000L;
            v = v.substring(0, v.length() - 1);
        } else if (v.equals("0")) {
            return 0;
        } else {
            return -1;
        }
        try {
            long n = Long.parseLong(v);
            return n < 0 ? -1 : n * mul;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Follows the recordings' states. JFR calls listeners holding its recorder's lock, so the
     * recordings are read without holding ours (no lock-order cycle); a change that races with
     * the read is caught by the second read.
     */
    private static void update() {
        for (;;) {
            boolean any = anyRunning();
            if (any) {
                registerEvents();
            }
            synchronized (TraceJfr.class) {
                if (any != recording) {
                    parked.clear(); // events begun for an earlier recording
                    recording = any;
                    Trace.jfrChanged();
                }
            }
            if (anyRunning() == any) {
                return;
            }
        }
    }

    private static volatile boolean registered;

    /**
     * Loads and registers the event classes when a recording starts, so JFR instruments them then,
     * not inside the scheduler at the first park or hand-off (which would then take milliseconds).
     */
    private static void registerEvents() {
        if (registered) {
            return;
        }
        FlightRecorder.register(GoroutineParkEvent.class);
        FlightRecorder.register(SyscallHandoffEvent.class);
        FlightRecorder.register(PreemptionEvent.class);
        FlightRecorder.register(ThreadStartEvent.class);
        FlightRecorder.register(DeadlockEvent.class);
        registered = true;
    }

    private static boolean anyRunning() {
        if (FlightRecorder.isInitialized()) {
            for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getState() == RecordingState.RUNNING) {
                    return true;
                }
            }
        }
        return false;
    }

    static void parkBegin(G gp) {
        GoroutineParkEvent ev = new GoroutineParkEvent();
        if (!ev.isEnabled()) {
            return;
        }
        ev.begin();
        ev.goroutineId = gp.goid;
        ev.waitReason = WaitReason.string(gp.waitreason);
        parked.put(gp, new Parked(ev, System.nanoTime()));
    }

    static void parkAborted(G gp) {
        if (!parked.isEmpty()) {
            parked.remove(gp);
        }
    }

    static void parkEnd(G gp, long waker) {
        // With a recording that leaves GoroutinePark off, parkBegin stores nothing: skip the
        // hash-map removal (it cost 6 % of a select benchmark profiled under JFR).
        if (parked.isEmpty()) {
            return;
        }
        Parked p = parked.remove(gp);
        if (p == null) {
            return;
        }
        GoroutineParkEvent ev = p.ev;
        ev.end();
        if (System.nanoTime() - p.t0 >= parkThresholdNs && ev.shouldCommit()) {
            ev.unparkedBy = waker;
            ev.commit();
        }
    }

    static void preemption(long goid, int pid, long mid, String mechanism) {
        PreemptionEvent ev = new PreemptionEvent();
        if (ev.shouldCommit()) {
            ev.goroutineId = goid;
            ev.pId = pid;
            ev.mId = mid;
            ev.mechanism = mechanism;
            ev.commit();
        }
    }

    static void handoff(int pid, long goid, long mid, String reason) {
        SyscallHandoffEvent ev = new SyscallHandoffEvent();
        if (ev.shouldCommit()) {
            ev.pId = pid;
            ev.goroutineId = goid;
            ev.mId = mid;
            ev.reason = reason;
            ev.commit();
        }
    }

    static void threadStart(long mid, String name, int pid, boolean spinning) {
        ThreadStartEvent ev = new ThreadStartEvent();
        if (ev.shouldCommit()) {
            ev.mId = mid;
            ev.threadName = name;
            ev.pId = pid;
            ev.spinning = spinning;
            ev.commit();
        }
    }

    static void deadlock(String msg, int waiting) {
        DeadlockEvent ev = new DeadlockEvent();
        if (ev.shouldCommit()) {
            ev.message = msg;
            ev.waitingGoroutines = waiting;
            ev.commit();
        }
    }

    /**
     * A fatal error halts the JVM, so JFR's dump-on-exit (a shutdown hook) never runs: stop the
     * recordings that have a file (-XX:StartFlightRecording:filename=..., or a destination set),
     * which writes them, so the Deadlock event and what led to it are not lost.
     */
    static void dumpAtHalt() {
        try {
            for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getState() == RecordingState.RUNNING && r.getDestination() != null) {
                    r.stop();
                }
            }
        } catch (Throwable e) {
            Env.warn("gort: writing the JFR recording at exit failed: " + e);
        }
    }
}
