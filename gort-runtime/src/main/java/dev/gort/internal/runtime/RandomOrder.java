package dev.gort.internal.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Go: {@code randomOrder}. Enumerates 0..count-1 in a pseudo-random order that visits every P
 * exactly once: start at {@code r % count} and step by a stride coprime with {@code count}, also
 * picked from r. Immutable; procresize installs a new one.
 */
final class RandomOrder {
    final int count;
    private final int[] coprimes;

    RandomOrder(int count) {
        this.count = count;
        List<Integer> c = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (gcd(i, count) == 1) {
                c.add(i);
            }
        }
        coprimes = c.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The first position of the walk for random value r. */
    int start(int r) {
        return Integer.remainderUnsigned(r, count);
    }

    /** The stride of the walk for random value r. */
    int inc(int r) {
        return coprimes[Integer.remainderUnsigned(Integer.divideUnsigned(r, count), coprimes.length)];
    }

    int next(int pos, int inc) {
        return (pos + inc) % count;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
