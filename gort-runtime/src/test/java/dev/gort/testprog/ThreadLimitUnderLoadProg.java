package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The thread limit reached under load (the stress tier's fault case): goroutine pairs ping-pong
 * on channels while, one at a time, goroutines take a thread each, locked to it ("locked") or
 * blocked in a syscall ("syscall"), until the count passes {@code Go.setMaxThreads(limit)}. Must die
 * with {@code runtime: program exceeds <limit>-thread limit} and {@code fatal error: thread
 * exhaustion}, exit 2. Arguments: limit, mode, seed.
 */
public final class ThreadLimitUnderLoadProg {
    public static void main(String[] args) {
        int limit = Integer.parseInt(args[0]);
        boolean locked = args[1].equals("locked");
        Random rng = new Random(Long.parseLong(args[2]));
        Go.main(() -> {
            for (int p = 0; p < 8 + rng.nextInt(32); p++) {
                Chan<Integer> ping = Chan.make(rng.nextInt(3));
                Chan<Integer> pong = Chan.make(rng.nextInt(3));
                Go.go(() -> {
                    for (Integer v : ping) {
                        pong.send(v + 1);
                    }
                });
                Go.go(() -> {
                    for (int i = 0; ; i++) {
                        ping.send(i);
                        if (pong.recv() != i + 1) {
                            System.out.println("UNREACHABLE: ping-pong mixed up");
                        }
                    }
                });
            }
            Go.setMaxThreads(limit);
            Chan<Integer> started = Chan.make();
            Chan<Integer> never = Chan.make();
            CountDownLatch latch = new CountDownLatch(1);
            for (int i = 0; i < 2 * limit; i++) {
                Go.go(() -> {
                    if (locked) {
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
            try {
                Go.syscall(() -> latch.await(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            System.out.println("UNREACHABLE");
        });
    }
}
