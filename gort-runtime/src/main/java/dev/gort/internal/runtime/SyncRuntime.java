package dev.gort.internal.runtime;

/**
 * The scheduler's side of sync.Mutex spinning (Go: proc.go {@code sync_runtime_canSpin},
 * {@code sync_runtime_doSpin}; the constants {@code active_spin} and {@code active_spin_cnt}).
 */
final class SyncRuntime {
    private SyncRuntime() {}

    /** Go: active_spin. Spin iterations a sync.Mutex locker may do before queueing. */
    static final int ACTIVE_SPIN = 4;
    /** Go: active_spin_cnt. Pause instructions per spin iteration (procyield's count). */
    static final int ACTIVE_SPIN_CNT = 30;

    /** Go: numCPUStartup. */
    private static final int NCPU = Runtime.getRuntime().availableProcessors();

    /**
     * Go: sync_runtime_canSpin. sync.Mutex spins only briefly and only when that can pay off: on a
     * multicore machine, with at least one other running P (whose goroutine may be about to unlock),
     * and with nothing waiting in this P's local run queue (else we should run that instead).
     * Spinning is deliberately conservative: it competes with the goroutine that holds the lock.
     *
     * <p>Deviation: on a plain Java thread (no P, Go has no such callers) only the first two
     * conditions apply; its spinning takes no P from anyone.
     */
    static boolean canSpin(int i) {
        if (i >= ACTIVE_SPIN || NCPU <= 1) {
            return false;
        }
        M mp = Proc.getm();
        P pp = mp != null ? mp.p : null;
        if (pp == null || mp.curg == null) {
            return true; // a plain thread
        }
        if (Proc.gomaxprocs <= Sched.sched.npidle.get() + Sched.sched.nmspinning.get() + 1) {
            return false;
        }
        return pp.runqempty();
    }

    /** Go: sync_runtime_doSpin, procyield(active_spin_cnt). */
    static void doSpin() {
        for (int i = 0; i < ACTIVE_SPIN_CNT; i++) {
            Thread.onSpinWait();
        }
    }
}
