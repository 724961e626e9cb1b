package dev.gort.internal.runtime;

/**
 * One trace buffer (Go: traceBuf): a chunk of fixed-size event records appended by one writer
 * without locks. A P's buffer is written only by the M that holds the P; the session's global
 * buffer (events of threads without a P: sysmon, plain threads, an M between Ps) only under its
 * monitor. When a chunk fills, its owner hands it to the session (Go: traceBufFlush) and starts a
 * new one.
 *
 * <h2>Record layout</h2>
 * Four longs per event in {@link #words}: the timestamp (ns since the session began), a header
 * {@code kind | (p+1) << 8 | (m+1) << 32} (0 = none), a goroutine id, one argument; and a
 * reference in {@link #refs} (the goroutine's function, for names), or null.
 *
 * <h2>Quiescence</h2>
 * {@link #busy} is set (volatile) around each append, after which the writer re-reads the
 * session's {@code stopped} flag; the stopper sets {@code stopped}, then waits for {@code busy}
 * to clear. Each side writes, then reads the other's variable, so either the writer sees the stop
 * and appends nothing, or the stopper waits for the append to finish: a stopped session's buffers
 * are read by one thread with nothing writing them. The volatile clear of {@code busy} publishes
 * the record (and every earlier one, by any earlier owner of the P) to the stopper.
 */
final class TraceBuf {
    static final int CHUNK = 4096;

    final Trace.Session session;
    /** The P this buffer belongs to, or -1 for the session's global buffer. */
    final int pid;
    /** See the class comment; written by the owner, read by the stopper. */
    volatile boolean busy;
    // Owner-only (or under the global buffer's monitor) until the session stops.
    long[] words = new long[CHUNK * 4];
    Object[] refs = new Object[CHUNK];
    int n;

    TraceBuf(Trace.Session session, int pid) {
        this.session = session;
        this.pid = pid;
    }

    void put(long ts, int kind, int p, long m, long goid, long arg, Object ref) {
        if (n == CHUNK) {
            session.flush(words, refs, n);
            words = new long[CHUNK * 4];
            refs = new Object[CHUNK];
            n = 0;
        }
        int i = n * 4;
        long[] w = words;
        w[i] = ts;
        w[i + 1] = kind | (long) (p + 1) << 8 | (m + 1) << 32;
        w[i + 2] = goid;
        w[i + 3] = arg;
        if (ref != null) {
            refs[n] = ref;
        }
        n++;
    }
}
