package dev.gort.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the sudogs of one blocked select share (Go keeps it on the G: {@code g.selectDone} and
 * {@code g.param}). A waker that dequeues a select's sudog must win {@link #tryWin} first; the
 * losers of the race skip the sudog, since another case already fired.
 */
final class SelectState {
    /** 0 until a waker won; atomic (DONE). */
    private volatile int done;
    /** The sudog that fired; written by the winning waker before it wakes the selector. */
    Sudog winner;
    /** For a plain thread's select: set by the waker (after winner), read by the blocked thread. */
    volatile boolean ready;

    /**
     * Readies this state for its goroutine's next select (it is cached with the select's scratch).
     * Only the selector calls it, before enqueuing any sudog: no waker can reach it then.
     */
    void reset() {
        DONE.setRelease(this, 0);
        winner = null;
        ready = false;
    }

    boolean tryWin(Sudog sg) {
        if (DONE.compareAndSet(this, 0, 1)) {
            winner = sg;
            return true;
        }
        return false;
    }

    private static final VarHandle DONE;

    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(SelectState.class, "done", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
