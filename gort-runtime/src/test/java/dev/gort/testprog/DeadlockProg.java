package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Select;
import dev.gort.sync.Mutex;
import dev.gort.sync.WaitGroup;
import java.time.Duration;

/**
 * Deadlock detection (Go: checkdead; crash_test.go TestSimpleDeadlock, TestLockedDeadlock,
 * TestGoexitDeadlock, TestGoexitInPanic...). The argument names the case. The deadlocked cases must
 * die with Go's fatal error and exit status 2; the others must run to the end, print "ok" and
 * exit 0: a goroutine that is asleep on a timer, in a syscall, or waiting for a plain Java thread
 * is not deadlocked.
 */
public final class DeadlockProg {
    static volatile long spinSink;

    public static void main(String[] args) {
        String c = args[0];
        switch (c) {
            // ---- deadlocks
            case "recv" -> Go.main(() -> Chan.make().recv());
            case "select" -> Go.main(() -> Select.select());
            case "locked" -> Go.main(() -> {
                Go.lockOSThread();
                Chan.make().recv();
            });
            case "waitgroup" -> Go.main(() -> {
                // main waits for two goroutines that wait for a mutex main holds forever.
                Mutex mu = new Mutex();
                mu.lock();
                WaitGroup wg = new WaitGroup();
                for (int i = 0; i < 2; i++) {
                    wg.go(() -> {
                        mu.lock();
                        mu.unlock();
                    });
                }
                wg.await();
            });
            case "afterwork" -> Go.main(() -> {
                // Work finishes first, then everyone blocks: detection must not need a fresh M.
                Chan<Integer> ch = Chan.make();
                WaitGroup wg = new WaitGroup();
                for (int i = 0; i < 100; i++) {
                    wg.go(() -> Go.sleep(Duration.ofMillis(1)));
                }
                wg.await();
                System.out.println("work done");
                System.out.flush();
                Go.go(() -> ch.send(1));
                Go.go(() -> ch.send(2));
                ch.recv();
                ch.recv();
                ch.recv(); // nobody sends a third value
            });
            case "goexit" -> Go.main(Go::goexit);
            case "goexitOthers" -> Go.main(() -> {
                // Go: main's Goexit lets the others finish; then "no goroutines" is fatal.
                Go.go(() -> {
                    Go.sleep(Duration.ofMillis(100));
                    System.out.println("other done");
                    System.out.flush();
                });
                Go.goexit();
            });
            case "spinThenDeadlock" -> Go.main(() -> {
                // A goroutine spins 300 ms without checkpoints (sysmon hands its P off), then ends:
                // the M it kept must go idle properly so the deadlock is still found.
                Go.go(() -> {
                    long until = System.nanoTime() + 300_000_000L;
                    while (System.nanoTime() < until) {
                        spinSink++;
                    }
                });
                Chan.make().recv();
            });
            case "syscallThenDeadlock" -> Go.main(() -> {
                // The only other goroutine leaves a 200 ms syscall and blocks forever.
                Chan<Integer> never = Chan.make();
                Go.go(() -> {
                    uninterrupted(() -> Go.syscall(() -> Thread.sleep(200)));
                    never.recv();
                });
                Chan.make().recv();
            });
            case "lockedExitThenDeadlock" -> Go.main(() -> {
                // A goroutine ends locked (its thread exits: Go's mexit runs checkdead too).
                Chan<Integer> started = Chan.make(1);
                Go.go(() -> {
                    Go.lockOSThread();
                    started.send(1);
                });
                started.recv();
                Chan.make().recv();
            });
            case "resizeThenDeadlock" -> Go.main(() -> {
                Go.gomaxprocs(3);
                Go.gomaxprocs(1);
                Go.gomaxprocs(2);
                Chan.make().recv();
            });
            case "syscallsThenDeadlock" -> Go.main(() -> {
                // Eight goroutines in syscalls at once leave eight idle threads behind.
                WaitGroup wg = new WaitGroup();
                for (int i = 0; i < 8; i++) {
                    wg.go(() -> uninterrupted(() -> Go.syscall(() -> Thread.sleep(100))));
                }
                wg.await();
                Chan.make().recv();
            });
            case "lockedUnlockThenDeadlock" -> Go.main(() -> {
                Go.lockOSThread();
                Go.sleep(Duration.ofMillis(10));
                Go.unlockOSThread();
                Chan.make().recv();
            });
            case "sleepThenDeadlock" -> Go.main(() -> {
                Go.go(() -> {
                    Go.sleep(Duration.ofMillis(100));
                    Chan.make().send(1);
                });
                Chan.make().recv();
            });
            case "libraryThenMain" -> {
                // The runtime started lazily by a plain thread (library mode), then a Go.main.
                Chan<Integer> ch = Chan.make(1);
                Go.go(() -> ch.send(1));
                ch.recv();
                Go.main(() -> Chan.make().recv());
            }
            // ---- not deadlocks
            case "sleep" -> Go.main(() -> {
                Chan<Integer> ch = Chan.make();
                Go.go(() -> {
                    Go.sleep(Duration.ofMillis(300));
                    ch.send(1);
                });
                ch.recv();
            });
            case "syscall" -> Go.main(() -> {
                Chan<Integer> ch = Chan.make();
                Go.go(() -> {
                    uninterrupted(() -> Go.syscall(() -> Thread.sleep(300)));
                    ch.send(1);
                });
                ch.recv();
            });
            case "syscallBlock" -> Go.main(() -> {
                Chan<Integer> ch = Chan.make();
                Go.go(() -> {
                    uninterrupted(() -> Go.syscallBlock(() -> Thread.sleep(300)));
                    ch.send(1);
                });
                ch.recv();
            });
            case "plainthread" -> Go.main(() -> {
                Chan<Integer> ch = Chan.make();
                Thread t = sender(ch);
                // A thread made on an M inherits the M's daemon status: ask for a non-daemon one.
                t.setDaemon(false);
                t.start();
                ch.recv();
            });
            case "plainthreadFromMain" -> {
                Chan<Integer> ch = Chan.make();
                Thread t = sender(ch); // made by the JVM's main thread: non-daemon
                t.start();
                Go.main(ch::recv);
            }
            case "plainthreadInGort" -> Go.main(() -> {
                // A daemon thread outside any Gort call is invisible, but one blocked inside a
                // Gort call (here a receive) counts as a possible waker.
                Chan<Integer> in = Chan.make();
                Chan<Integer> out = Chan.make();
                Thread t = new Thread(() -> out.send(in.recv() + 1), "plain-relay");
                t.setDaemon(true);
                t.start();
                Go.go(() -> {
                    Go.sleep(Duration.ofMillis(200));
                    in.send(1);
                });
                if (out.recv() != 2) {
                    throw new AssertionError("relay");
                }
            });
            case "daemonSender" -> Go.main(() -> {
                // A daemon thread that sleeps, then sends (as a CompletableFuture task would):
                // sleeping is not waiting indefinitely, so it is a possible waker.
                Chan<Integer> ch = Chan.make();
                Thread t = sender(ch);
                t.setDaemon(true);
                t.start();
                ch.recv();
            });
            case "completableFuture" -> Go.main(() -> {
                Chan<Integer> ch = Chan.make();
                java.util.concurrent.CompletableFuture.runAsync(() -> {
                    uninterrupted(() -> Thread.sleep(300));
                    ch.send(42);
                });
                if (ch.recv() != 42) {
                    throw new AssertionError("value");
                }
            });
            case "lockedWait" -> Go.main(() -> {
                // A goroutine locked to its thread waits 300 ms for a timer: not a deadlock.
                Go.lockOSThread();
                Go.sleep(Duration.ofMillis(300));
                Go.unlockOSThread();
            });
            default -> throw new IllegalArgumentException(c);
        }
        System.out.println("ok");
    }

    /** A plain thread that sends 1 on ch after 300 ms. */
    static Thread sender(Chan<Integer> ch) {
        return new Thread(() -> {
            uninterrupted(() -> Thread.sleep(300));
            ch.send(1);
        }, "plain-sender");
    }

    interface Interruptible {
        void run() throws InterruptedException;
    }

    /** Runs body; an interrupt (which nothing here sends) is a failure. */
    static void uninterrupted(Interruptible body) {
        try {
            body.run();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
