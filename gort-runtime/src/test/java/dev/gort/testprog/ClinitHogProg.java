package dev.gort.testprog;

import dev.gort.Go;

/**
 * A goroutine runs a class initialiser that loops (through a method the agent instruments) while
 * the main goroutine stops the world. A continuation cannot yield under the initialiser's VM frame,
 * so the checkpoint must let it run on instead of failing the initialisation; the world stops once
 * the initialiser is done. Prints {@code initialised} and {@code stopped the world}, exits 0.
 */
public final class ClinitHogProg {
    static volatile boolean inInit;
    static volatile boolean release;
    static volatile boolean done;

    static final class Table {
        static final long SUM = spin();

        static long spin() {
            inInit = true;
            long s = 0;
            while (!release) {
                s++;
            }
            return s;
        }
    }

    public static void main(String[] args) {
        Go.main(() -> {
            Go.go(() -> {
                try {
                    System.out.println(Table.SUM >= 0 ? "initialised" : "?");
                } catch (Throwable t) {
                    System.out.println("class initialisation failed: " + t);
                }
                done = true;
            });
            while (!inInit) {
                Go.gosched();
            }
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                release = true;
            });
            releaser.start();
            Go.gomaxprocs(1);
            System.out.println("stopped the world");
            while (!done) {
                Go.gosched();
            }
            System.out.flush();
            System.exit(0);
        });
    }
}
