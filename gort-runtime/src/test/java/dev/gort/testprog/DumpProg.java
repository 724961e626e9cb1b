package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Select;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Something for {@code ./gort dump PID} to look at from outside: the main goroutine starts three
 * receivers on one channel, a sender nobody receives from, and a select; once the dump shows them
 * parked it prints "ready" and waits for its standard input to close (in {@code Go.syscall}, so the
 * runtime does not see a deadlock). Then it releases them all and prints "ok"; with the argument
 * "deadlock" it receives from a channel nobody sends on instead, and the runtime must report the
 * deadlock (the JMX agent's threads, started by the dump, must not count as possible wakers).
 */
public final class DumpProg {
    public static void main(String[] args) {
        Go.main(() -> {
            Chan<Integer> work = Chan.make();
            Chan<Integer> results = Chan.make();
            Chan<Integer> quit = Chan.make();
            for (int i = 0; i < 3; i++) {
                Go.go(() -> DumpProg.receiver(work));
            }
            Go.go(() -> DumpProg.sender(results));
            Go.go(() -> DumpProg.selector(quit));
            while (!allParked(Go.stack(true))) {
                Go.gosched();
            }
            System.out.println("ready");
            System.out.flush();
            try {
                Go.syscall(() -> {
                    while (System.in.read() >= 0) {
                        // until the test closes our stdin
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (args.length > 0 && args[0].equals("deadlock")) {
                Chan.<Integer>make().recv();
            }
            for (int i = 0; i < 3; i++) {
                work.send(i);
            }
            results.recv();
            quit.close();
            System.out.println("ok");
        });
    }

    private static boolean allParked(String dump) {
        return count(dump, "[chan receive]:") == 3 && count(dump, "[chan send]:") == 1
                && count(dump, "[select]:") == 1;
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }

    static void receiver(Chan<Integer> work) {
        work.recv();
    }

    static void sender(Chan<Integer> results) {
        results.send(42);
    }

    static void selector(Chan<Integer> quit) {
        Select.select(Select.recv(quit, v -> {}));
    }
}
