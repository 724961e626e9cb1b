package dev.gort.testprog;

import dev.gort.Go;
import dev.gort.sync.WaitGroup;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU loops of the shapes the agent rewrites (for, while, do-while, nested with labels, switch in a
 * loop, recursion, constructors, lambdas, try/catch in a loop) across goroutines, printing results
 * known in closed form; run with and without the agent, the output must be the same.
 */
public final class LoopsProg {
    private final long base;

    LoopsProg(int n) {
        long b = 0;
        for (int i = 1; i <= n; i++) {
            b += i;
        }
        this.base = b;
    }

    static long sumTo(long n) {
        long s = 0;
        for (long i = 1; i <= n; i++) {
            s += i;
        }
        return s;
    }

    static int collatzSteps(long n) {
        int steps = 0;
        while (n != 1) {
            n = (n & 1) == 0 ? n / 2 : 3 * n + 1;
            steps++;
        }
        return steps;
    }

    static int primesBelow(int n) {
        int count = 0;
        outer:
        for (int i = 2; i < n; i++) {
            int d = 2;
            do {
                if (d * d > i) {
                    break;
                }
                if (i % d == 0) {
                    continue outer;
                }
                d++;
            } while (true);
            count++;
        }
        return count;
    }

    static long switchy(int n) {
        long acc = 0;
        for (int i = 0; i < n; i++) {
            switch (i % 4) {
                case 0 -> acc += 1;
                case 1 -> acc += 10;
                case 2 -> acc += 100;
                default -> acc += 1000;
            }
        }
        return acc;
    }

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    static int parses(String[] xs) {
        int ok = 0;
        for (String s : xs) {
            try {
                Integer.parseInt(s);
                ok++;
            } catch (NumberFormatException e) {
                ok += 0;
            }
        }
        return ok;
    }

    public static void main(String[] args) {
        AtomicLong total = new AtomicLong();
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < 8; g++) {
                wg.go(() -> total.addAndGet(sumTo(1_000_000)));
            }
            wg.await();
            System.out.println("sum=" + total.get());
            System.out.println("collatz27=" + collatzSteps(27));
            System.out.println("primes<10000=" + primesBelow(10_000));
            System.out.println("switchy=" + switchy(1000));
            System.out.println("fib25=" + fib(25));
            System.out.println("parses=" + parses(new String[] {"1", "x", "22", "", "333"}));
            System.out.println("base=" + new LoopsProg(100).base);
        });
    }
}
