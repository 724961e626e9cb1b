package dev.gort.internal.runtime;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One bit per P (Go: {@code pMask}), read without locks by stealers. A mask is made for a fixed
 * number of Ps; procresize replaces it rather than resizing it.
 */
final class PMask {
    private final AtomicIntegerArray words;

    PMask(int nprocs) {
        words = new AtomicIntegerArray(Math.max(1, (nprocs + 31) / 32));
    }

    boolean read(int id) {
        int w = id >>> 5;
        return w < words.length() && (words.get(w) & (1 << (id & 31))) != 0;
    }

    void set(int id) {
        int w = id >>> 5;
        int mask = 1 << (id & 31);
        for (;;) {
            int old = words.get(w);
            if ((old & mask) != 0 || words.compareAndSet(w, old, old | mask)) {
                return;
            }
        }
    }

    void clear(int id) {
        int w = id >>> 5;
        int mask = 1 << (id & 31);
        for (;;) {
            int old = words.get(w);
            if ((old & mask) == 0 || words.compareAndSet(w, old, old & ~mask)) {
                return;
            }
        }
    }
}
