package dev.gort.testprog;

import java.util.function.IntUnaryOperator;

/**
 * Input for the preemption agent's unit tests: methods with known numbers of back-edges and calls.
 * The expected checkpoint count of each method is in its comment (entry point only when the method
 * makes a call; one per backward branch).
 */
public class AgentSample {
    static final int[] SQUARES;

    static { // <clinit>: never instrumented
        SQUARES = new int[10];
        for (int i = 0; i < SQUARES.length; i++) {
            SQUARES[i] = i * i;
        }
    }

    private final int k;

    public AgentSample(int k) { // 1: entry (calls super())
        this.k = k;
    }

    public int k() { // 0: a leaf without loops
        return k;
    }

    public static long sumTo(int n) { // 1: the for loop's goto
        long s = 0;
        for (int i = 1; i <= n; i++) {
            s += i;
        }
        return s;
    }

    public static int fib(int n) { // 1: entry (recursive, no loop)
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    public static int countDown(int n) { // 1: the do-while's conditional branch
        int c = 0;
        do {
            c++;
            n--;
        } while (n > 0);
        return c;
    }

    public static int triangle(int n) { // 2: the inner and the outer loop's goto ("continue outer" jumps forward)
        int c = 0;
        outer:
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j > i) {
                    continue outer;
                }
                c++;
            }
        }
        return c;
    }

    public static int withLambda(int n) { // 2: entry (invokedynamic, interface call) and the loop
        IntUnaryOperator inc = x -> x + 1; // lambda$withLambda$0: 0, a leaf
        int s = 0;
        for (int i = 0; i < n; i++) {
            s = inc.applyAsInt(s);
        }
        return s + SQUARES[3];
    }

    public static Object pick(boolean a) { // 1: entry (calls constructors); the join merges two types
        return a ? new Left() : new Right();
    }

    public static final class Left {}

    public static final class Right {}
}
