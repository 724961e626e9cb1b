package dev.gort.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.ChildJvm;
import dev.gort.Go;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link Proc#DROP_SPIN_NS}, Gort's deviation from Go: an M that finds no work keeps looking, and
 * keeps its P, for that long before it drops the P, and then does drop it (the spin is bounded).
 * Judged by when every P becomes idle after the last goroutine ends: never before the spin is
 * over, and soon after it. Each case runs in a child JVM, as the value is read once per JVM; two
 * CPUs are forced there, because on one the spin is off.
 */
class DropSpinTest {
    /** Child: run goroutines on both Ps, then report how long until every P is idle. */
    public static void main(String[] args) throws Exception {
        int n = 64;
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Go.go(() -> {
                long x = 0;
                for (int k = 0; k < 1_000_000; k++) {
                    x += k ^ (x >>> 3);
                }
                if (x == 42) {
                    System.out.print("");
                }
                done.countDown();
            });
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            System.out.println("TIMEOUT work");
            System.exit(1);
        }
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
        while (Sched.sched.npidle.get() != Proc.gomaxprocs) {
            if (System.nanoTime() > deadline) {
                System.out.println("TIMEOUT idle npidle=" + Sched.sched.npidle.get());
                System.exit(1);
            }
            LockSupport.parkNanos(1_000_000);
        }
        System.out.println("ALLIDLE " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                + " dropspin=" + Proc.DROP_SPIN_NS);
        System.exit(0);
    }

    private static long allIdleMillis(long dropSpinNs) throws Exception {
        ChildJvm.Result r = ChildJvm.run(90, DropSpinTest.class, Map.of(),
                List.of("-XX:ActiveProcessorCount=2", "-Dgort.gomaxprocs=2", "-Dgort.dropspin=" + dropSpinNs));
        assertEquals(0, r.exit(), r.toString());
        String out = r.stdout().trim();
        assertTrue(out.startsWith("ALLIDLE ") && out.endsWith(" dropspin=" + dropSpinNs), r.toString());
        return Long.parseLong(out.split(" ")[1]);
    }

    @Test
    void idleMKeepsItsPForTheSpinThenDropsIt() throws Exception {
        // 1.5 s of spin: every P is idle no sooner than that after the last goroutine's end (less
        // this thread's own wake-up from await, allowed 700 ms), and well before the 30 s bound.
        long ms = allIdleMillis(1_500_000_000L);
        assertTrue(ms >= 800, "all Ps idle after " + ms + " ms, before the 1.5 s spin was over");
        assertTrue(ms < 20_000, "the spin did not end: all Ps idle only after " + ms + " ms");
    }

    @Test
    void withoutTheSpinPsGoIdleAtOnce() throws Exception {
        long ms = allIdleMillis(0);
        assertTrue(ms < 800, "all Ps idle only after " + ms + " ms without a spin");
    }
}
