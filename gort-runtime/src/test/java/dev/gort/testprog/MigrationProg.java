package dev.gort.testprog;

import dev.gort.Go;
import dev.gort.sync.WaitGroup;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Goroutines that park and yield in hot loops while GOMAXPROCS changes, so they keep resuming on
 * other Ms. Guards against the runtime trusting a JIT-cached Thread.currentThread() across a yield:
 * that made a goroutine post its scheduler request to the M it had left ("fatal error: goroutine N
 * yielded without asking the scheduler anything"). Prints "ok" and exits 0 when nothing was lost.
 */
public final class MigrationProg {
    public static void main(String[] args) {
        int[] sizes = {1, 4, 2, 8, 1, 3, 2, 1, 5, 2};
        for (int rep = 0; rep < 10; rep++) {
            AtomicLong spawned = new AtomicLong();
            AtomicLong ran = new AtomicLong();
            Go.main(() -> {
                boolean[] stop = {false};
                WaitGroup workers = new WaitGroup();
                for (int w = 0; w < 4; w++) {
                    workers.go(() -> {
                        WaitGroup mine = new WaitGroup();
                        while (!stop[0]) {
                            for (int i = 0; i < 100; i++) {
                                spawned.incrementAndGet();
                                mine.go(ran::incrementAndGet);
                            }
                            Go.gosched();
                        }
                        mine.await();
                    });
                }
                for (int round = 0; round < 3; round++) {
                    for (int n : sizes) {
                        long target = spawned.get() + 2000;
                        while (spawned.get() < target) {
                            Go.gosched();
                        }
                        Go.gomaxprocs(n);
                    }
                }
                synchronized (stop) {
                    stop[0] = true;
                }
                workers.await();
            });
            if (spawned.get() != ran.get()) {
                System.out.println("lost goroutines: spawned " + spawned.get() + ", ran " + ran.get());
                System.exit(1);
            }
        }
        System.out.println("ok");
    }
}
