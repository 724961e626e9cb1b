package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * numGoroutine in library mode, from a runtime at rest (a fresh JVM: surefire forks one per class).
 * Go floors its count at 1 because its main goroutine always exists; here there may be none, and a
 * floor of 1 hid the first goroutine left behind (found by the stress tier's leak check).
 */
class NumGoroutineAtRestTest {
    @Test
    void countsFromZeroWithoutAMainGoroutine() {
        assertEquals(0, Go.numGoroutine(), "no goroutine yet\n" + Go.stack(true));
        Chan<Integer> release = Chan.make();
        Chan<Integer> started = Chan.make();
        Go.go(() -> {
            started.send(1);
            release.recv();
        });
        started.recv();
        assertEquals(1, Go.numGoroutine(), "one parked goroutine\n" + Go.stack(true));
        release.send(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Go.numGoroutine() != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000); // bounded: the goroutine is running its last frames
        }
        assertEquals(0, Go.numGoroutine(), "back to none\n" + Go.stack(true));
    }
}
