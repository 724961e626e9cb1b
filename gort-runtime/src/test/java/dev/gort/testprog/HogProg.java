package dev.gort.testprog;

import dev.gort.Go;

/**
 * The seed's hog (Go: {@code go println("goroutine ran"); for {}} at GOMAXPROCS=1): the main
 * goroutine spins in a loop without calls, so the other goroutine runs only if the loop is
 * preempted (sysmon's request, reaching the loop through the agent's back-edge checkpoint). Prints
 * {@code goroutine ran after N ms} and exits 0 when it is; without preemption it spins forever.
 */
public final class HogProg {
    static long x;
    static volatile long hogStart;

    public static void main(String[] args) {
        Go.main(() -> {
            Go.go(() -> {
                System.out.println("goroutine ran after " + (System.nanoTime() - hogStart) / 1_000_000 + " ms");
                System.out.flush();
                System.exit(0);
            });
            hogStart = System.nanoTime();
            for (;;) {
                x++;
            }
        });
    }
}
