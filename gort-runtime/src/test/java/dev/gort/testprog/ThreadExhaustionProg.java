package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;
import java.util.concurrent.CountDownLatch;

/**
 * The thread limit (Go: testprog ThreadExhaustion). Prints the previous limit that
 * {@code Go.setMaxThreads(10)} returns, then needs more than 10 threads: 20 goroutines that each
 * hold a thread, locked to it ("locked") or blocked in a syscall ("syscall"). Must die with
 * {@code runtime: program exceeds 10-thread limit} and {@code fatal error: thread exhaustion}.
 * "below" sets a limit below the threads that already exist, which is fatal at once.
 */
public final class ThreadExhaustionProg {
    public static void main(String[] args) {
        String c = args[0];
        Go.main(() -> {
            if (c.equals("below")) {
                System.out.println("prev=" + Go.setMaxThreads(1));
                System.out.flush();
                return;
            }
            System.out.println("prev=" + Go.setMaxThreads(10));
            System.out.flush();
            Chan<Integer> started = Chan.make();
            Chan<Integer> never = Chan.make();
            CountDownLatch latch = new CountDownLatch(1);
            for (int i = 0; i < 20; i++) {
                Go.go(() -> {
                    if (c.equals("locked")) {
                        Go.lockOSThread();
                        started.send(0);
                        never.recv();
                    } else {
                        started.send(0);
                        try {
                            Go.syscall(() -> latch.await());
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
                started.recv();
            }
            // Twenty threads are held: we should be dead by now, or very soon (sysmon's hand-offs).
            try {
                Go.syscall(() -> latch.await(60, java.util.concurrent.TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            System.out.println("UNREACHABLE");
        });
    }
}
