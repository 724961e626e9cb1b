package dev.gort.internal.runtime;

import java.util.Arrays;

/**
 * An unbounded FIFO of run-queue entries kept as a growable ring of references (Go:
 * {@code gQueue}, the global run queue). An entry is a G, or the function of a goroutine that has
 * not started yet (see {@link Proc#newproc}).
 *
 * <p>Why not Go's intrusive list through {@code g.schedlink}: moving a batch of n Gs out of a
 * linked list means reading n G objects, which another core wrote last (cold cache lines), while
 * holding {@code sched.lock}. A ring moves a batch with one {@code arraycopy} of references and
 * never touches the Gs. Same FIFO, same operations, no per-G allocation.
 *
 * <p>Not thread-safe: the owner's lock protects it ({@code sched.lock} for the global queue).
 * {@link #size} is also read racily as a hint, hence volatile.
 */
final class GQueue {
    private Object[] buf = new Object[1024];
    /** Index of the head element. */
    private int head;
    /** Number of elements; written under the owner's lock, read racily as a hint. */
    volatile int size;

    private void grow(int need) {
        if (need <= buf.length) {
            return;
        }
        int cap = buf.length;
        while (cap < need) {
            cap <<= 1;
        }
        Object[] n = new Object[cap];
        int s = size;
        int first = Math.min(s, buf.length - head);
        System.arraycopy(buf, head, n, 0, first);
        System.arraycopy(buf, 0, n, first, s - first);
        buf = n;
        head = 0;
    }

    void put(Object gp) {
        int s = size;
        grow(s + 1);
        buf[(head + s) & (buf.length - 1)] = gp;
        size = s + 1;
    }

    void putHead(Object gp) {
        int s = size;
        grow(s + 1);
        head = (head - 1) & (buf.length - 1);
        buf[head] = gp;
        size = s + 1;
    }

    /** Appends src[off .. off+n) in order. */
    void putBatch(Object[] src, int off, int n) {
        int s = size;
        grow(s + n);
        int mask = buf.length - 1;
        int tail = (head + s) & mask;
        int first = Math.min(n, buf.length - tail);
        System.arraycopy(src, off, buf, tail, first);
        System.arraycopy(src, off + first, buf, 0, n - first);
        size = s + n;
    }

    Object pop() {
        int s = size;
        if (s == 0) {
            return null;
        }
        Object gp = buf[head];
        buf[head] = null;
        head = (head + 1) & (buf.length - 1);
        size = s - 1;
        return gp;
    }

    /** Removes up to n Gs from the head into dst[off .. off+k); returns k. */
    int popBatch(Object[] dst, int off, int n) {
        int s = size;
        n = Math.min(n, s);
        int first = Math.min(n, buf.length - head);
        System.arraycopy(buf, head, dst, off, first);
        Arrays.fill(buf, head, head + first, null);
        System.arraycopy(buf, 0, dst, off + first, n - first);
        Arrays.fill(buf, 0, n - first, null);
        head = (head + n) & (buf.length - 1);
        size = s - n;
        return n;
    }
}
