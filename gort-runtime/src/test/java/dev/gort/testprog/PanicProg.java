package dev.gort.testprog;

import dev.gort.Go;
import dev.gort.Panic;
import dev.gort.sync.WaitGroup;

/** An exception escapes a goroutine: the runtime must print Go's panic report and exit 2. */
public final class PanicProg {
    public static void main(String[] args) {
        Go.main(() -> {
            WaitGroup never = new WaitGroup();
            never.add(1);
            Go.go(PanicProg::thrower);
            never.await(); // the panic ends the program before this returns
            System.out.println("UNREACHABLE");
        });
    }

    static void thrower() {
        if (System.getProperty("panicType", "").equals("panic")) {
            throw new Panic("send on closed channel");
        }
        throw new IllegalStateException("boom");
    }
}
