package dev.gort.testprog;

import dev.gort.Go;

/**
 * The seed's hog: at GOMAXPROCS=1 the main goroutine starts a goroutine and then spins forever in
 * a loop with no calls at all. Go 1.14+ prints "goroutine ran" (asynchronous preemption); Gort must
 * too: with the agent, at the loop's back-edge checkpoint after sysmon's request; without it, by
 * sysmon's hand-off of the spinner's P. The goroutine prints how long
 * after the spin began it ran, and ends the program.
 */
public final class HogProg {
    static volatile long x;

    public static void main(String[] args) {
        Go.main(() -> {
            long start = System.nanoTime();
            Go.go(() -> {
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println("goroutine ran");
                System.out.println("latency_ms=" + ms);
                System.out.flush();
                Runtime.getRuntime().halt(0);
            });
            for (;;) {
                x++;
            }
        });
    }
}
