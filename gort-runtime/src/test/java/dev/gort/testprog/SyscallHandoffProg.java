package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Received;
import java.time.Duration;

/**
 * Run at GOMAXPROCS=1: one goroutine sits in a {@code Go.syscall} that blocks its thread (until the
 * others have made 200 ping-pongs and 30 sleeps, or 30 s) while the main goroutine ping-pongs with
 * an echo goroutine and a third goroutine loops on 1 ms sleeps. Only
 * sysmon's hand-off of the syscall's P to another M lets them run during the call. Prints what the
 * others managed during the call, the worker threads ({@code gort-m*}) alive before and during,
 * the syscall's thread and the threads the main goroutine ran on while it waited.
 */
public final class SyscallHandoffProg {
    static volatile long rounds;
    static volatile long sleeps;
    static volatile boolean done;
    /** True while the syscall's body runs, i.e. while it holds its M. */
    static volatile boolean inSyscall;

    public static void main(String[] args) {
        Go.main(() -> {
            int before = gortThreads();
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Chan<String> result = Chan.make(1);
            Go.go(() -> {
                for (Integer v; (v = ping.recv()) != null; ) {
                    pong.send(v);
                }
            });
            Go.go(() -> {
                while (!done) {
                    Go.sleep(Duration.ofMillis(1));
                    sleeps++;
                }
            });
            Go.go(() -> {
                String r;
                try {
                    r = Go.syscall(() -> {
                    inSyscall = true;
                    long r0 = rounds;
                    long s0 = sleeps;
                    // Block this M until the others have made their progress, or 30 s. Not a fixed
                    // time: on a loaded machine a fixed 500 ms saw too few rounds to judge.
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while ((rounds - r0 < 200 || sleeps - s0 < 30) && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    long r1 = rounds;
                    long s1 = sleeps;
                    inSyscall = false;
                    return "rounds=" + (r1 - r0) + " sleeps=" + (s1 - s0) + " during=" + gortThreads()
                            + " syscallThread=" + Thread.currentThread().getName();
                    });
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                result.send(r);
            });
            java.util.Set<String> mainThreads = new java.util.TreeSet<>();
            for (;;) {
                Received<String> r = result.tryRecv();
                if (r != null) {
                    System.out.println(r.value() + " before=" + before + " mainThreads=" + String.join(",", mainThreads));
                    break;
                }
                if (inSyscall) { // then the syscall holds its M, and we run on another one
                    mainThreads.add(Thread.currentThread().getName()); // the M's thread (README)
                }
                ping.send(1);
                pong.recv();
                rounds++;
            }
            done = true;
            ping.close();
        });
    }

    /** Live worker threads of the runtime (Ms; sysmon is named gort-sysmon). */
    public static int gortThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("gort-m")) {
                n++;
            }
        }
        return n;
    }
}
