package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.sync.WaitGroup;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Everything of the syscalls issue at once, while GOMAXPROCS keeps changing: goroutines in short
 * syscalls and syscallBlocks, spinners sysmon must hand off, a hog yielding at checkpoints, and
 * locked goroutines (one of which ends locked, taking its thread). Nothing may be lost, no locked
 * goroutine may change threads, and the runtime must not die or hang.
 */
class SyscallSysmonMixTest {
    static volatile long sink;

    @RepeatedTest(3)
    void syscallsSpinnersLockedGoroutinesAndResizesTogether() {
        AtomicLong syscalls = new AtomicLong();
        AtomicLong spins = new AtomicLong();
        AtomicLong lockedRounds = new AtomicLong();
        AtomicInteger moved = new AtomicInteger();
        AtomicInteger resizes = new AtomicInteger();
        AtomicLong checkpoints = new AtomicLong();
        int start = Go.gomaxprocs(2);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(90), () -> Go.main(() -> {
                int base = Go.numGoroutine();
                WaitGroup wg = new WaitGroup();
                for (int w = 0; w < 4; w++) {
                    wg.go(() -> {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        for (int i = 0; i < 400; i++) {
                            if (i % 3 == 0) {
                                Go.syscallBlock(() -> LockSupport.parkNanos(20_000));
                            } else {
                                long ns = r.nextLong(200_000);
                                Go.syscall(() -> LockSupport.parkNanos(ns));
                            }
                            syscalls.incrementAndGet();
                            if (i % 10 == 0) {
                                Go.gosched();
                            }
                        }
                    });
                }
                for (int s = 0; s < 2; s++) {
                    wg.go(() -> {
                        for (int i = 0; i < 20; i++) {
                            long until = System.nanoTime() + 3_000_000;
                            long x = 0;
                            while (System.nanoTime() < until) { // no calls into Gort
                                x++;
                            }
                            sink = x;
                            spins.incrementAndGet();
                            Go.sleep(Duration.ofMillis(1));
                        }
                    });
                }
                wg.go(() -> {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
                    while (System.nanoTime() < until) {
                        sink++;
                        Go.checkpoint();
                        checkpoints.incrementAndGet();
                    }
                });
                for (int l = 0; l < 2; l++) {
                    boolean endLocked = l == 0;
                    wg.go(() -> {
                        Chan<Integer> ping = Chan.make();
                        Chan<Integer> pong = Chan.make();
                        Go.go(() -> {
                            for (Integer v; (v = ping.recv()) != null; ) {
                                pong.send(v);
                            }
                        });
                        Go.lockOSThread();
                        Thread t0 = LockOSThreadTest.thread();
                        for (int i = 0; i < 300; i++) {
                            ping.send(i);
                            pong.recv();
                            if (i % 5 == 0) {
                                Go.syscall(() -> LockSupport.parkNanos(50_000));
                            }
                            if (LockOSThreadTest.thread() != t0) {
                                moved.incrementAndGet();
                            }
                            lockedRounds.incrementAndGet();
                        }
                        ping.close();
                        if (!endLocked) {
                            Go.unlockOSThread();
                        }
                    });
                }
                Chan<Boolean> allDone = Chan.make(1);
                Go.go(() -> {
                    wg.await();
                    allDone.send(true);
                });
                int k = 0;
                while (allDone.tryRecv() == null) {
                    Go.gomaxprocs(1 + k++ % 4);
                    resizes.incrementAndGet();
                    Go.sleep(Duration.ofMillis(2));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (Go.numGoroutine() != base && System.nanoTime() < deadline) {
                    Go.sleep(Duration.ofMillis(1));
                }
                assertEquals(base, Go.numGoroutine(), "every goroutine ended");
            }));
        } finally {
            Go.gomaxprocs(start);
        }
        System.out.println("mix: " + syscalls.get() + " syscalls, " + spins.get() + " spins, " + lockedRounds.get()
                + " locked rounds, " + checkpoints.get() + " checkpoints, " + resizes.get() + " resizes");
        assertEquals(4 * 400, syscalls.get());
        assertEquals(2 * 20, spins.get());
        assertEquals(2 * 300, lockedRounds.get());
        assertEquals(0, moved.get(), "a locked goroutine resumed on another thread");
        assertTrue(checkpoints.get() > 0);
        assertTrue(resizes.get() > 0);
    }
}
