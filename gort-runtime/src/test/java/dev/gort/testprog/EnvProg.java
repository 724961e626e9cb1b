package dev.gort.testprog;

import dev.gort.Go;

/** Prints the GOMAXPROCS the runtime started with. */
public final class EnvProg {
    public static void main(String[] args) {
        Go.main(() -> System.out.println("gomaxprocs=" + Go.gomaxprocs(0) + " ncpu=" + Go.numCPU()));
    }
}
