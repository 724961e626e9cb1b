package dev.gort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.sync.WaitGroup;
import dev.gort.testprog.SyscallHandoffProg;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code Go.syscall} and {@code Go.syscallBlock} (Go: entersyscall / exitsyscall, sysmon's retake
 * of a P in a syscall; proc_test.go TestPreemptionAfterSyscall).
 */
class SyscallTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** Runs body as the main goroutine with GOMAXPROCS n, restoring the previous value afterwards. */
    private static void mainWithProcs(int n, Runnable body) {
        int before = Go.gomaxprocs(n);
        try {
            assertTimeoutPreemptively(BOUND, () -> Go.main(body));
        } finally {
            Go.gomaxprocs(before);
        }
    }

    private static boolean await(CountDownLatch l) {
        try {
            return Go.syscall(() -> l.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The headline: at GOMAXPROCS=1 a goroutine blocked in a syscall does not stop
     * the others, because sysmon hands its P to a new thread (child JVM, so the thread count starts
     * from nothing).
     */
    @Test
    void syscallDoesNotStopTheOthersAtGomaxprocs1() throws Exception {
        ChildJvm.Result r = ChildJvm.run(60, SyscallHandoffProg.class, Map.of(), List.of("-Dgort.gomaxprocs=1"));
        assertEquals(0, r.exit(), r.toString());
        Matcher m = Pattern.compile("rounds=(\\d+) sleeps=(\\d+) during=(\\d+) syscallThread=(\\S+) before=(\\d+) mainThreads=(\\S+)")
                .matcher(r.stdout());
        assertTrue(m.find(), r.toString());
        long rounds = Long.parseLong(m.group(1));
        long sleeps = Long.parseLong(m.group(2));
        int during = Integer.parseInt(m.group(3));
        int before = Integer.parseInt(m.group(5));
        System.out.println("syscall hand-off at GOMAXPROCS=1: " + m.group());
        // The syscall blocks until these are reached or 30 s pass; without the hand-off both
        // would be 0.
        assertTrue(rounds >= 200, "channel ping-pongs during the syscall: " + rounds);
        assertTrue(sleeps >= 30, "1 ms Go.sleep rounds during the syscall: " + sleeps);
        assertTrue(m.group(4).startsWith("gort-m"), "the syscall runs on its goroutine's M: " + m.group(4));
        assertTrue(during >= 2, "the M in the syscall plus one running the P: " + during);
        // Not "during > before": an M left idle earlier (a hand-off while the JVM was still
        // loading classes, say) is reused by this hand-off instead of a new thread.
        List<String> mainThreads = List.of(m.group(6).split(","));
        assertFalse(mainThreads.contains(m.group(4)),
                "the main goroutine ran on another M while the syscall held " + m.group(4) + ": " + mainThreads);
    }

    @Test
    void returnValueAndCheckedExceptionPropagateUnchanged() {
        mainWithProcs(2, () -> {
            Object o = new Object();
            assertSame(o, Go.syscall(() -> o));
            assertEquals(42, Go.syscall(() -> 42));
            IOException io = new IOException("disk on fire");
            IOException got = assertThrows(IOException.class, () -> Go.syscall(() -> {
                throw io;
            }));
            assertSame(io, got);
            InterruptedException ie = new InterruptedException("void form");
            assertSame(ie, assertThrows(InterruptedException.class, () -> Go.syscall(() -> {
                if (o != null) {
                    throw ie;
                }
            })));
            // The goroutine is a normal goroutine again afterwards: it can park and be woken.
            Chan<Integer> ch = Chan.make();
            Go.go(() -> ch.send(7));
            assertEquals(7, ch.recv());
        });
    }

    @Test
    void uncheckedExceptionsAndErrorsPropagateUnchanged() {
        mainWithProcs(2, () -> {
            IllegalStateException ise = new IllegalStateException("x");
            assertSame(ise, assertThrows(IllegalStateException.class, () -> Go.syscall(() -> {
                throw ise;
            })));
            StackOverflowError soe = new StackOverflowError("y");
            assertSame(soe, assertThrows(StackOverflowError.class, () -> Go.syscallBlock(() -> {
                throw soe;
            })));
            Go.sleep(Duration.ofMillis(1));
        });
    }

    @Test
    void syscallBlockReturnsAndThrowsTheSame() {
        mainWithProcs(2, () -> {
            Object o = new Object();
            assertSame(o, Go.syscallBlock(() -> o));
            IOException io = new IOException("slow disk");
            assertSame(io, assertThrows(IOException.class, () -> Go.syscallBlock(() -> {
                throw io;
            })));
            AtomicInteger ran = new AtomicInteger();
            Go.syscallBlock(ran::incrementAndGet);
            assertEquals(1, ran.get());
        });
    }

    @Test
    void syscallBlockDoesNotStopTheOthersAtGomaxprocs1() {
        mainWithProcs(1, () -> {
            CountDownLatch otherRan = new CountDownLatch(1);
            Chan<Boolean> result = Chan.make(1);
            Go.go(() -> {
                // Hands its P off at once; the main goroutine must then run and release us.
                boolean ok;
                try {
                    ok = Go.syscallBlock(() -> otherRan.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                result.send(ok);
            });
            Go.gosched(); // let it enter the call
            otherRan.countDown();
            assertTrue(result.recv(), "the main goroutine ran while the other blocked in syscallBlock");
        });
    }

    @Test
    void fromAPlainThreadItJustRunsTheCall() throws Exception {
        Thread me = Thread.currentThread();
        assertSame(me, Go.syscall(Thread::currentThread));
        assertSame(me, Go.syscallBlock(Thread::currentThread));
        IOException io = new IOException("plain");
        assertSame(io, assertThrows(IOException.class, () -> Go.syscall(() -> {
            throw io;
        })));
        AtomicInteger ran = new AtomicInteger();
        Go.syscall(ran::incrementAndGet);
        Go.syscallBlock(ran::incrementAndGet);
        assertEquals(2, ran.get());
    }

    @Test
    void nullCallIsRefused() {
        assertThrows(NullPointerException.class, () -> Go.syscall((Blocking<Object, RuntimeException>) null));
        assertThrows(NullPointerException.class, () -> Go.syscall((BlockingRun<RuntimeException>) null));
        assertThrows(NullPointerException.class, () -> Go.syscallBlock((Blocking<Object, RuntimeException>) null));
    }

    /**
     * Inside the call the code runs as on a plain thread: a channel receive blocks the thread (the
     * goroutine stays "in syscall"), and a goroutine's send completes it. At GOMAXPROCS=1 the sender
     * can only run because the receiver's P was handed off.
     */
    @Test
    void channelReceiveInsideSyscallBlocksTheThread() {
        mainWithProcs(1, () -> {
            Chan<Object> ch = Chan.make();
            Chan<Object> out = Chan.make(1);
            CountDownLatch entered = new CountDownLatch(1);
            AtomicReference<Thread> caller = new AtomicReference<>();
            Go.go(() -> {
                Object v = Go.syscall(() -> {
                    caller.set(Thread.currentThread());
                    entered.countDown();
                    return ch.recv();
                });
                out.send(v);
            });
            assertTrue(await(entered));
            Thread t = caller.get();
            assertTrue(t.getName().startsWith("gort-m"), t.getName());
            // Wait (bounded) until that thread is really blocked in the receive.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Go.sleep(Duration.ofMillis(1));
            }
            assertEquals(Thread.State.WAITING, t.getState(), "the receive blocks the thread");
            String dump = Go.stack(true);
            assertTrue(dump.matches("(?s).*\ngoroutine \\d+ \\[syscall\\]:\n.*"), "it is in a syscall: " + dump);
            assertFalse(dump.contains("[chan receive]"), "not a parked goroutine: " + dump);
            Object v = new Object();
            ch.send(v);
            assertSame(v, out.recv());
        });
    }

    /**
     * The exception of a call whose P was taken meanwhile (the main goroutine keeps the only P
     * busy, so the goroutine comes back by the slow path: global queue, another M) is still the
     * same instance, and so is the return value.
     */
    @Test
    void resultsSurviveTheSlowPathBack() {
        mainWithProcs(1, () -> {
            IOException io = new IOException("late");
            Object value = new Object();
            CountDownLatch bothEntered = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            Chan<Object> out = Chan.make(2);
            Go.go(() -> {
                try {
                    Go.syscall(() -> {
                        bothEntered.countDown();
                        release.await(30, TimeUnit.SECONDS);
                        throw io;
                    });
                    out.send("no exception");
                } catch (Exception e) { // X is inferred as Exception: IOException or InterruptedException
                    out.send(e);
                }
            });
            Go.go(() -> {
                Object v;
                try {
                    v = Go.syscall(() -> {
                        bothEntered.countDown();
                        release.await(30, TimeUnit.SECONDS);
                        return value;
                    });
                } catch (InterruptedException e) {
                    v = e;
                }
                out.send(v);
            });
            assertTrue(await(bothEntered));
            // Both Ps in syscalls were handed off; the one P is ours now. Release them while we
            // keep it busy, so neither finds its P or an idle one.
            release.countDown();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            while (System.nanoTime() < until) {
                sinkField++;
            }
            Object a = out.recv();
            Object b = out.recv();
            assertTrue((a == io && b == value) || (a == value && b == io), a + " / " + b);
        });
    }

    static volatile long sinkField;

    @Test
    void nestedSyscallAndGoroutinesStartedInsideASyscall() {
        mainWithProcs(2, () -> {
            assertEquals(5, Go.syscall(() -> Go.syscall(() -> 5)), "a syscall inside a syscall just runs");
            Chan<String> ch = Chan.make(1);
            Go.syscall(() -> Go.go(() -> ch.send("started from a syscall")));
            assertEquals("started from a syscall", ch.recv());
            // Runtime calls inside the call act as on a plain thread: gosched and checkpoint do
            // nothing, sleep sleeps the thread.
            Go.syscall(() -> {
                Go.gosched();
                Go.checkpoint();
                Go.sleep(Duration.ofMillis(1));
            });
        });
    }

    /** Goexit inside a syscall ends the goroutine; the syscall is left properly on the way out. */
    @Test
    void goexitInsideASyscall() {
        mainWithProcs(1, () -> {
            int base = Go.numGoroutine();
            Chan<Boolean> finallyRan = Chan.make(1);
            Go.go(() -> {
                try {
                    Go.syscall(Go::goexit);
                    finallyRan.send(false); // not reached
                } finally {
                    finallyRan.send(true);
                }
            });
            assertTrue(finallyRan.recv());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Go.numGoroutine() != base && System.nanoTime() < deadline) {
                Go.gosched();
            }
            assertEquals(base, Go.numGoroutine());
            // The runtime is fine afterwards.
            Chan<Integer> c = Chan.make();
            Go.go(() -> c.send(3));
            assertEquals(3, c.recv());
        });
    }

    /** Go: TestPreemptionAfterSyscall's shape. Many short syscalls from many goroutines. */
    @Test
    void manySyscallsFromManyGoroutinesLoseNothing() {
        final int goroutines = 8;
        final int calls = 2000;
        AtomicLong total = new AtomicLong();
        AtomicLong sum = new AtomicLong();
        mainWithProcs(2, () -> {
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < goroutines; g++) {
                int id = g;
                wg.go(() -> {
                    for (int i = 0; i < calls; i++) {
                        int v = i;
                        if ((i + id) % 2 == 0) {
                            sum.addAndGet(Go.syscall(() -> v));
                        } else {
                            Go.syscall(() -> LockSupport.parkNanos(50_000));
                            sum.addAndGet(v);
                        }
                        total.incrementAndGet();
                    }
                });
            }
            wg.await();
        });
        assertEquals((long) goroutines * calls, total.get());
        assertEquals((long) goroutines * calls * (calls - 1) / 2, sum.get());
        // Threads come back to the idle pool and are reused: 16,000 syscalls do not make a
        // thread each. (At most one per goroutine in a syscall at once, plus the Ps' own.)
        int threads = SyscallHandoffProg.gortThreads();
        System.out.println("worker threads after 16,000 syscalls: " + threads);
        assertTrue(threads <= goroutines + 2 + 4, "worker threads: " + threads);
    }

    @Test
    void gomaxprocsChangesWhileGoroutinesAreInSyscalls() {
        mainWithProcs(2, () -> {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch inside = new CountDownLatch(4);
            AtomicInteger finished = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 4; i++) {
                wg.go(() -> {
                    try {
                        Go.syscall(() -> {
                            inside.countDown();
                            release.await(30, TimeUnit.SECONDS);
                        });
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    Go.gosched();
                    finished.incrementAndGet();
                });
            }
            assertTrue(await(inside));
            assertTrue(Go.numGoroutine() >= 5, "goroutines in syscalls are counted: " + Go.numGoroutine());
            assertEquals(2, Go.gomaxprocs(1));
            assertEquals(1, Go.gomaxprocs(3));
            assertEquals(3, Go.gomaxprocs(1));
            release.countDown();
            wg.await();
            assertEquals(4, finished.get());
            assertEquals(1, Go.gomaxprocs(2));
        });
    }

    @Test
    void gomaxprocsChangesWhileGoroutinesLoopOnSyscalls() {
        AtomicLong total = new AtomicLong();
        mainWithProcs(2, () -> {
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < 8; g++) {
                wg.go(() -> {
                    for (int i = 0; i < 300; i++) {
                        Go.syscall(() -> LockSupport.parkNanos(20_000));
                        total.incrementAndGet();
                    }
                });
            }
            Chan<Boolean> done = Chan.make(1);
            Go.go(() -> {
                wg.await();
                done.send(true);
            });
            int k = 0;
            while (done.tryRecv() == null) {
                Go.gomaxprocs(1 + k++ % 4);
                Go.sleep(Duration.ofMillis(1));
            }
            System.out.println("GOMAXPROCS changes during the syscalls: " + k);
        });
        assertEquals(8 * 300, total.get());
    }
}
