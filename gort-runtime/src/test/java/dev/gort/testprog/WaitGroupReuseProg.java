package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Panic;
import dev.gort.sync.WaitGroup;

/**
 * Go's WaitGroup misuse "reused before previous Wait has returned", made deterministic with one P
 * (run with {@code -Dgort.gomaxprocs=1}): the waiter is readied by the last {@code done} but cannot
 * run before the main goroutine, still holding the only P, calls {@code add} again. Prints what the
 * waiter's {@code await} did.
 */
public final class WaitGroupReuseProg {
    public static void main(String[] args) {
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            Chan<String> result = Chan.make(1);
            wg.add(1);
            Go.go(() -> {
                try {
                    wg.await();
                    result.send("await returned");
                } catch (Panic p) {
                    result.send("panic: " + p.getMessage());
                }
            });
            while (!Go.stack(true).contains("[sync.WaitGroup.Wait]")) {
                Go.gosched(); // let the waiter run until it is parked in await
            }
            wg.done(); // readies the waiter; with one P it cannot run yet
            wg.add(1); // reuse before its Wait has returned
            System.out.println(result.recv());
        });
    }
}
