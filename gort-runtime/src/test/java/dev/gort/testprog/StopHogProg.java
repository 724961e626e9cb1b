package dev.gort.testprog;

import dev.gort.Go;

/**
 * A goroutine spins in a loop without calls while the main goroutine changes GOMAXPROCS, which
 * stops the world: that returns once the spinner has stopped at a preemption point (the agent's
 * back-edge checkpoint) or, without the agent, once sysmon has handed its P off. Prints
 * {@code stopped the world in N ms}, exits 0.
 */
public final class StopHogProg {
    static long x;
    static volatile boolean spinning;

    public static void main(String[] args) {
        Go.main(() -> {
            Go.go(() -> {
                spinning = true;
                for (;;) {
                    x++;
                }
            });
            while (!spinning) {
                Go.gosched();
            }
            long t0 = System.nanoTime();
            Go.gomaxprocs(1);
            System.out.println("stopped the world in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            System.out.flush();
            System.exit(0);
        });
    }
}
