package dev.gort.testprog;

import dev.gort.Go;

/** Starts Gort without the --add-exports flag: must fail with a message naming the flag. */
public final class MissingFlagProg {
    public static void main(String[] args) {
        try {
            Go.go(() -> {});
            System.out.println("started");
        } catch (IllegalStateException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
