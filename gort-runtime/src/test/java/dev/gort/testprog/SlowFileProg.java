package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.os.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run at GOMAXPROCS=1 with a named pipe (FIFO) as args[0]: one goroutine reads it with
 * {@code dev.gort.os.Files.readString}, which blocks its thread in the open until a writer comes
 * (a "slow file": file descriptors are never "not ready", so this cannot park on the netpoller).
 * Meanwhile the main goroutine ping-pongs with an echo goroutine; only the hand-off of the reader's
 * P to another M lets it. Then a plain thread writes the pipe. Prints the rounds made while the
 * reader was blocked, the worker threads ({@code gort-m*}) before and during, the reader's thread,
 * the threads the main goroutine ran on meanwhile, and what was read.
 */
public final class SlowFileProg {
    public static void main(String[] args) {
        Path fifo = Path.of(args[0]);
        Go.main(() -> {
            int before = SyscallHandoffProg.gortThreads();
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Chan<String> read = Chan.make(1);
            Go.go(() -> {
                for (Integer v; (v = ping.recv()) != null; ) {
                    pong.send(v);
                }
            });
            Go.go(() -> {
                String s;
                try {
                    s = Files.readString(fifo);
                } catch (java.io.IOException e) {
                    s = "error: " + e;
                }
                read.send(s);
            });
            // Wait (bounded) until the dump shows the reader [syscall]: it went through Go.syscall
            // and is blocked there, not merely started (it may be preempted before the call).
            // An unwrapped blocking call would never show it (the stuck-M hand-off would still,
            // more slowly, rescue the others).
            java.util.regex.Pattern inSyscall = java.util.regex.Pattern.compile("goroutine \\d+ \\[syscall[^\\]]*\\]:");
            boolean syscallState = false;
            for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; ) {
                if (inSyscall.matcher(Go.stack(true)).find()) {
                    syscallState = true;
                    break;
                }
                Go.sleep(java.time.Duration.ofMillis(1));
            }
            // The thread blocked in the read: the one whose stack is in dev.gort.os.Files (a
            // goroutine in a syscall runs on its M's thread stack).
            String readerThread = "none";
            for (var e : Thread.getAllStackTraces().entrySet()) {
                for (StackTraceElement f : e.getValue()) {
                    if (f.getClassName().equals("dev.gort.os.Files")) {
                        readerThread = e.getKey().getName();
                    }
                }
            }
            java.util.Set<String> mainThreads = new java.util.TreeSet<>();
            long rounds = 0;
            for (; rounds < 200; rounds++) { // the reader stays blocked: nobody has opened the pipe to write
                mainThreads.add(Thread.currentThread().getName()); // the M's thread (README)
                ping.send(1);
                pong.recv();
            }
            int during = SyscallHandoffProg.gortThreads();
            boolean stillBlocked = read.len() == 0;
            Thread writer = new Thread(() -> {
                try {
                    java.nio.file.Files.writeString(fifo, "slow file data", StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            String got = read.recv();
            ping.close();
            System.out.println("rounds=" + rounds + " blocked=" + stillBlocked + " syscall=" + syscallState
                    + " during=" + during
                    + " before=" + before + " readerThread=" + readerThread
                    + " mainThreads=" + String.join(",", mainThreads) + " read=[" + got + "]");
        });
    }
}
