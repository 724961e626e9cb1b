package dev.gort.testprog;

import dev.gort.Go;
import dev.gort.sync.WaitGroup;

/**
 * Something for {@code GODEBUG=schedtrace=100} to watch: eight goroutines each block for 400 ms in
 * {@code Go.syscall}, so the runtime needs more threads for a while. Prints "ok".
 */
public final class SchedTraceProg {
    public static void main(String[] args) {
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 8; i++) {
                wg.go(() -> {
                    try {
                        Go.syscall(() -> Thread.sleep(400));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            wg.await();
            // A little longer, so a trace line is printed after the syscalls too.
            Go.sleep(java.time.Duration.ofMillis(250));
        });
        System.out.println("ok");
    }
}
