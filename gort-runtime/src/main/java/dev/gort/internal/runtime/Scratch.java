package dev.gort.internal.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Native scratch memory for one system call of the epoll backend: the errno capture state, a
 * {@code sockaddr_storage} with its length word, a small option word, and a data area that
 * {@code recv}/{@code send} copy through when the caller's buffer is on the Java heap (a
 * {@code byte[]} or a heap {@code ByteBuffer}; a direct buffer is passed as it is).
 *
 * <h2>Why a pool, not a thread-local or a per-fd buffer</h2>
 * A thread-local belongs to the M, and a goroutine's code must not rely on thread identity (the
 * JIT may reuse a {@code Thread.currentThread()} read from before a park: see {@link Proc#carrier}).
 * A buffer per fd would cost 64 KiB of native memory per connection. So a call borrows one from a
 * small lock-free pool ({@link #get}, {@link #release}: one {@code getAndSet} each way when the pool
 * has one) and gives it back before it returns; it is never held across a park. The pool keeps at
 * most {@link #POOL_SIZE} spares; more are made on demand and left to the GC ({@link Arena#ofAuto}).
 *
 * <p>Slots are probed from a hint (the fd number) so that concurrent calls on different fds tend
 * to use different slots. The slot array is shared, but each {@code Scratch} is owned by one call
 * at a time: its contents need no further synchronization.
 */
final class Scratch {
    /** The most one recv/send moves through scratch memory (Go caps a call at 1 GiB; we copy). */
    static final int DATA_SIZE = 64 * 1024;
    private static final long SOCKADDR_SIZE = 128; // sizeof(struct sockaddr_storage)
    private static final int POOL_SIZE = Math.max(8, Integer.highestOneBit(
            Runtime.getRuntime().availableProcessors() * 4 - 1) << 1);

    private static final AtomicReferenceArray<Scratch> pool = new AtomicReferenceArray<>(POOL_SIZE);

    /** errno capture state (Libc.STATE_LAYOUT). */
    final MemorySegment state;
    /** A struct sockaddr_storage. */
    final MemorySegment sockaddr;
    /** A socklen_t (int) for the sockaddr's length, in and out. */
    final MemorySegment socklen;
    /** An int for setsockopt/getsockopt values, and its length word; also eventfd's 8-byte counter. */
    final MemorySegment word;
    final MemorySegment wordLen;
    /** DATA_SIZE bytes for recv/send copies. */
    final MemorySegment data;

    private Scratch() {
        Arena arena = Arena.ofAuto();
        long stateSize = (Libc.STATE_LAYOUT.byteSize() + 7) & ~7L;
        MemorySegment all = arena.allocate(stateSize + SOCKADDR_SIZE + 8 + 8 + 8 + DATA_SIZE, 16);
        long off = 0;
        state = all.asSlice(off, Libc.STATE_LAYOUT.byteSize());
        off += stateSize;
        sockaddr = all.asSlice(off, SOCKADDR_SIZE);
        off += SOCKADDR_SIZE;
        socklen = all.asSlice(off, 4);
        off += 8;
        word = all.asSlice(off, 8);
        off += 8;
        wordLen = all.asSlice(off, 4);
        off += 8;
        data = all.asSlice(off, DATA_SIZE);
    }

    /** Borrows a scratch area; hint spreads concurrent callers over the pool (an fd number). */
    static Scratch get(int hint) {
        int n = POOL_SIZE;
        int start = hint & (n - 1);
        for (int i = 0; i < n; i++) {
            int idx = (start + i) & (n - 1);
            if (pool.getPlain(idx) != null) {
                Scratch s = pool.getAndSet(idx, null);
                if (s != null) {
                    return s;
                }
            }
        }
        return new Scratch();
    }

    /** Gives a borrowed area back (or drops it if the pool is full). */
    void release(int hint) {
        int n = POOL_SIZE;
        int start = hint & (n - 1);
        for (int i = 0; i < n; i++) {
            int idx = (start + i) & (n - 1);
            if (pool.getPlain(idx) == null && pool.compareAndSet(idx, null, this)) {
                return;
            }
        }
    }
}
