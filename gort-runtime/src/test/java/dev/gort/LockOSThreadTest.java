package dev.gort;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.sync.WaitGroup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code Go.lockOSThread} / {@code unlockOSThread} (Go: TestLockOSThreadNesting, TestLockOSThreadExit,
 * TestYieldLocked, TestBlockLocked): a locked goroutine runs only on its thread, and that thread
 * runs nothing else.
 */
class LockOSThreadTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    /**
     * Thread.currentThread() through a method handle the JIT cannot treat as a constant. A plain
     * Thread.currentThread() in a compiled loop that parks may be hoisted out of the loop (the JIT
     * assumes a thread's code never changes threads), which would hide a goroutine that moved.
     */
    private static volatile MethodHandle currentThread;

    static {
        try {
            currentThread = MethodHandles.lookup().findStatic(Thread.class, "currentThread",
                    MethodType.methodType(Thread.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Thread thread() {
        try {
            return (Thread) currentThread.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static void mainWithProcs(int n, Runnable body) {
        int before = Go.gomaxprocs(n);
        try {
            assertTimeoutPreemptively(BOUND, () -> Go.main(body));
        } finally {
            Go.gomaxprocs(before);
        }
    }

    private static boolean locked() {
        String s = Go.stack(false);
        return s.substring(0, s.indexOf('\n')).contains(", locked to thread]:");
    }

    /**
     * A locked goroutine parks on channel receives, sleeps, Gosched and syscalls, hundreds of times,
     * while other goroutines churn: it always resumes on its thread, and no other goroutine ever
     * runs on that thread.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void lockedGoroutineKeepsItsThreadAcrossParks(int procs) {
        AtomicInteger moved = new AtomicInteger();
        AtomicInteger intruders = new AtomicInteger();
        AtomicLong churn = new AtomicLong();
        mainWithProcs(procs, () -> {
            Chan<Integer> feed = Chan.make();
            Chan<Thread> lockedThread = Chan.make(1);
            Chan<Boolean> lockedDone = Chan.make(1);
            Chan<Boolean> release = Chan.make();
            Thread[] theThread = new Thread[1];
            boolean[] stop = {false};
            Object stopLock = new Object();
            Go.go(() -> {
                Go.lockOSThread();
                Thread t0 = thread();
                lockedThread.send(t0);
                boolean wasLocked = locked();
                for (int i = 0; i < 400; i++) {
                    switch (i % 4) {
                        case 0 -> feed.recv();
                        case 1 -> Go.sleep(Duration.ofNanos(100_000));
                        case 2 -> Go.gosched();
                        default -> Go.syscall(() -> LockSupport.parkNanos(100_000));
                    }
                    if (thread() != t0) {
                        moved.incrementAndGet();
                    }
                }
                wasLocked &= locked();
                lockedDone.send(wasLocked);
                // Stay locked until the churners have stopped looking: once unlocked, the thread
                // may legitimately run them.
                release.recv();
                Go.unlockOSThread();
            });
            theThread[0] = lockedThread.recv();
            WaitGroup churners = new WaitGroup();
            for (int c = 0; c < 4; c++) {
                churners.go(() -> {
                    Chan<Integer> ping = Chan.make();
                    Go.go(() -> {
                        for (Integer v; (v = ping.recv()) != null; ) {
                            churn.incrementAndGet();
                        }
                    });
                    for (;;) {
                        synchronized (stopLock) {
                            if (stop[0]) {
                                break;
                            }
                        }
                        if (thread() == theThread[0]) {
                            intruders.incrementAndGet();
                        }
                        ping.send(1);
                        Go.gosched();
                    }
                    ping.close();
                });
            }
            WaitGroup feeder = new WaitGroup();
            feeder.go(() -> {
                for (int i = 0; i < 100; i++) {
                    if (thread() == theThread[0]) {
                        intruders.incrementAndGet();
                    }
                    feed.send(i);
                }
            });
            assertTrue(lockedDone.recv(), "the goroutine's dump header said 'locked to thread' while locked");
            feeder.await();
            synchronized (stopLock) {
                stop[0] = true;
            }
            churners.await();
            release.close();
        });
        assertEquals(0, moved.get(), "times the locked goroutine resumed on another thread");
        assertEquals(0, intruders.get(), "times another goroutine ran on the locked thread");
        assertTrue(churn.get() > 0);
    }

    @Test
    void lockingNestsAsInGo() {
        mainWithProcs(2, () -> {
            Chan<String> result = Chan.make(1);
            Go.go(() -> {
                Go.lockOSThread();
                Go.lockOSThread();
                Thread t0 = thread();
                Go.unlockOSThread(); // one of two: still locked
                boolean stillLocked = locked();
                for (int i = 0; i < 50; i++) {
                    Go.gosched();
                    Go.sleep(Duration.ofNanos(50_000));
                }
                boolean sameThread = thread() == t0;
                Go.unlockOSThread();
                boolean unlocked = !locked();
                result.send(stillLocked + " " + sameThread + " " + unlocked);
            });
            assertEquals("true true true", result.recv(), "locked after 2 locks + 1 unlock; same thread; unlocked after the 2nd");
        });
    }

    @Test
    void unlockWithoutLockIsANoOp() {
        assertDoesNotThrow(Go::unlockOSThread, "on a plain thread too");
        mainWithProcs(2, () -> {
            assertFalse(locked());
            Go.unlockOSThread();
            Go.unlockOSThread();
            assertFalse(locked());
            Go.lockOSThread(); // the extra unlocks did not go below zero: one lock locks
            assertTrue(locked());
            Go.unlockOSThread();
            assertFalse(locked());
        });
    }

    @Test
    void lockOnAPlainThreadIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Go::lockOSThread);
        assertEquals("not on a goroutine", e.getMessage());
    }

    /**
     * Go: TestLockOSThreadExit. A goroutine that ends while locked takes its thread with it; the
     * program goes on (here at GOMAXPROCS=1, so the dying thread's P must be handed on).
     */
    @ParameterizedTest
    @ValueSource(strings = {"return", "goexit", "nested"})
    void goroutineEndingLockedTakesItsThread(String how) {
        mainWithProcs(1, () -> {
            int base = Go.numGoroutine();
            Chan<Thread> ch = Chan.make(1);
            Go.go(() -> {
                Go.lockOSThread();
                if (how.equals("nested")) {
                    Go.lockOSThread();
                }
                Go.gosched(); // park once while locked first
                ch.send(thread());
                if (how.equals("goexit")) {
                    Go.goexit();
                }
            });
            Thread t = ch.recv();
            assertTrue(t.getName().startsWith("gort-m"), t.getName());
            try {
                Go.syscall(() -> t.join(TimeUnit.SECONDS.toMillis(30)));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertFalse(t.isAlive(), "the locked goroutine's thread ended with it");
            // The program goes on, on other threads.
            AtomicInteger ran = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 100; i++) {
                wg.go(() -> {
                    Go.sleep(Duration.ofNanos(10_000));
                    ran.incrementAndGet();
                });
            }
            wg.await();
            assertEquals(100, ran.get());
            assertTrue(thread() != t);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Go.numGoroutine() != base && System.nanoTime() < deadline) {
                Go.gosched();
            }
            assertEquals(base, Go.numGoroutine());
        });
    }

    /** A goroutine that unlocks before it ends leaves its thread to the runtime. */
    @Test
    void goroutineEndingUnlockedKeepsItsThreadForOthers() {
        mainWithProcs(1, () -> {
            Chan<Thread> ch = Chan.make(1);
            WaitGroup wg = new WaitGroup();
            wg.go(() -> {
                Go.lockOSThread();
                Go.gosched();
                Go.unlockOSThread();
                ch.send(thread());
            });
            Thread t = ch.recv();
            wg.await();
            // Keep the only P busy on threads until the unlocked one has surely been reused or
            // parked: it must still be alive (a bounded join that is expected to time out).
            boolean ended;
            try {
                ended = Go.syscall(() -> {
                    t.join(200);
                    return !t.isAlive();
                });
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertFalse(ended, "an unlocked goroutine's end does not end its thread");
        });
    }

    @Test
    void lockedGoroutineLeavesItsPToOthersWhileItWaits() {
        mainWithProcs(1, () -> {
            Chan<Integer> wake = Chan.make();
            Chan<Thread> done = Chan.make(1);
            Go.go(() -> {
                Go.lockOSThread();
                Thread t0 = thread();
                wake.recv(); // its M sleeps; the only P must go to another M
                done.send(thread() == t0 ? t0 : null);
                Go.unlockOSThread();
            });
            // At GOMAXPROCS=1 these run only if the locked goroutine's M gave the P away.
            AtomicInteger n = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 1000; i++) {
                wg.go(n::incrementAndGet);
            }
            wg.await();
            assertEquals(1000, n.get());
            wake.send(1);
            assertTrue(done.recv() != null, "woke on its own thread");
        });
    }

    /** Stop-the-world started by a locked goroutine; it continues on its thread afterwards. */
    @Test
    void lockedGoroutineResizesGomaxprocs() {
        mainWithProcs(2, () -> {
            Go.lockOSThread();
            Thread t0 = thread();
            int[] sizes = {1, 3, 1, 4, 2};
            for (int n : sizes) {
                Go.gomaxprocs(n);
                Go.sleep(Duration.ofNanos(100_000));
                assertSame(t0, thread(), "still on its thread after GOMAXPROCS=" + n);
                assertEquals(1000, spawnAndCount(1000));
            }
            Go.unlockOSThread();
        });
    }

    /** The main goroutine may end locked; its thread goes, and a later Go.main works. */
    @Test
    void mainGoroutineEndingLocked() {
        Thread[] t = new Thread[1];
        mainWithProcs(1, () -> {
            Go.lockOSThread();
            t[0] = thread();
        });
        assertTimeoutPreemptively(BOUND, () -> {
            t[0].join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t[0].isAlive(), "the main goroutine's locked thread ended");
        });
        mainWithProcs(1, () -> assertEquals(100, spawnAndCount(100)));
    }

    /** Many locked goroutines at once: each keeps its own thread. */
    @Test
    void manyLockedGoroutinesEachKeepTheirThread() {
        AtomicInteger moved = new AtomicInteger();
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        mainWithProcs(2, () -> {
            WaitGroup wg = new WaitGroup();
            // All 40 hold their lock at the same time: a goroutine that finished and unlocked
            // first would legitimately hand its thread to a later one.
            WaitGroup allLocked = new WaitGroup();
            allLocked.add(40);
            Chan<Integer> tokens = Chan.make(4);
            for (int i = 0; i < 40; i++) {
                wg.go(() -> {
                    Go.lockOSThread();
                    Thread t0 = thread();
                    threads.add(t0);
                    for (int k = 0; k < 20; k++) {
                        tokens.send(k);
                        Go.gosched();
                        tokens.recv();
                        if (thread() != t0) {
                            moved.incrementAndGet();
                        }
                    }
                    allLocked.done();
                    allLocked.await();
                    if (thread() != t0) {
                        moved.incrementAndGet();
                    }
                    Go.unlockOSThread();
                });
            }
            wg.await();
        });
        assertEquals(0, moved.get());
        assertEquals(40, threads.size(), "40 goroutines locked at once hold 40 threads");
    }

    private static int spawnAndCount(int n) {
        AtomicInteger ran = new AtomicInteger();
        WaitGroup wg = new WaitGroup();
        for (int i = 0; i < n; i++) {
            wg.go(ran::incrementAndGet);
        }
        wg.await();
        return ran.get();
    }

    @Test
    void lockedGoroutineSeesTheSameThreadLocal() {
        ThreadLocal<Object> tl = new ThreadLocal<>();
        mainWithProcs(2, () -> {
            Chan<Boolean> result = Chan.make(1);
            Go.go(() -> {
                Go.lockOSThread();
                Object mine = new Object();
                tl.set(mine);
                boolean same = true;
                for (int i = 0; i < 100; i++) {
                    Go.sleep(Duration.ofNanos(20_000));
                    same &= tl.get() == mine;
                }
                tl.remove();
                Go.unlockOSThread();
                result.send(same);
            });
            assertTrue(result.recv(), "thread locals survive parks while locked");
        });
        assertSame(null, tl.get());
    }
}
