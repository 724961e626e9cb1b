package dev.gort;

import dev.gort.internal.runtime.Linkname;
import java.util.function.Consumer;

/**
 * The {@code go} statement and package {@code runtime}: goroutines on Go's G-M-P scheduler.
 *
 * <pre>{@code
 * Go.main(() -> {
 *     WaitGroup wg = new WaitGroup();
 *     for (int i = 0; i < 10; i++) {
 *         int n = i;
 *         wg.go(() -> System.out.println("hello from goroutine " + n));
 *     }
 *     wg.await();
 * });
 * }</pre>
 *
 * <p>A goroutine runs on a worker thread (an M) that it shares with others: inside a goroutine,
 * {@code Thread.currentThread()} and {@code ThreadLocal}s belong to that M, not to the goroutine,
 * and may change between two statements. Blocking the thread (a {@code synchronized} wait,
 * {@code Thread.sleep}, blocking I/O) blocks every goroutine queued behind it on that M's P.
 */
public final class Go {
    private Go() {}

    /**
     * {@code go f()}: starts a goroutine running {@code body}. Callable from a goroutine (the new one
     * goes to the front of this P's queue) or from any Java thread (the runtime starts on first use).
     *
     * @throws Panic {@code go of nil func value} when body is null
     */
    public static void go(Runnable body) {
        if (body == null) {
            throw new Panic("go of nil func value");
        }
        Linkname.go(body);
    }

    /**
     * {@code func main}: runs {@code body} as the main goroutine and blocks the calling thread until
     * it returns. A panic in it is rethrown here, as the same exception instance. Other goroutines
     * keep running on daemon threads, so a JVM whose {@code main} returns after this exits, as a Go
     * program does. May be called again after an earlier call returned.
     *
     * @throws IllegalStateException when called from a goroutine or while another Go.main runs
     */
    public static void main(Runnable body) {
        if (body == null) {
            throw new Panic("go of nil func value");
        }
        Linkname.main(body);
    }

    /**
     * {@code runtime.Gosched}: yields the processor; the goroutine goes to the global run queue and
     * resumes later. Does nothing on a plain Java thread.
     */
    public static void gosched() {
        Linkname.gosched();
    }

    /**
     * {@code runtime.Goexit}: ends the calling goroutine; its {@code finally} blocks run. The
     * unwinding uses an {@link Error}, so {@code catch (Exception e)} cannot stop it.
     *
     * @throws IllegalStateException ({@code not on a goroutine}) on a plain Java thread
     */
    public static void goexit() {
        throw Linkname.goexit();
    }

    /**
     * {@code time.Sleep}: parks the goroutine (never its thread) for at least d. A zero or negative
     * d returns at once, without yielding. From a plain Java thread, sleeps that thread.
     */
    public static void sleep(java.time.Duration d) {
        java.util.Objects.requireNonNull(d, "d");
        dev.gort.internal.runtime.TimeLink.sleep(dev.gort.internal.runtime.TimeLink.nanos(d));
    }

    /** {@code runtime.NumGoroutine}: the number of live goroutines (the runtime's own excluded). */
    public static int numGoroutine() {
        return Linkname.numGoroutine();
    }

    /**
     * {@code runtime.GOMAXPROCS}: with {@code n >= 1}, sets the number of processors (resizing a
     * running runtime: the world stops, goroutines of removed processors move to the global queue,
     * the world restarts). Returns the previous value; {@code n < 1} only queries.
     */
    public static int gomaxprocs(int n) {
        return Linkname.gomaxprocs(n);
    }

    /** {@code runtime.NumCPU}: the processors available to the JVM. */
    public static int numCPU() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * {@code runtime.LockOSThread}: wires the calling goroutine to its M (thread): until as many
     * {@link #unlockOSThread} calls as lock calls, it runs only on this thread and the thread runs
     * nothing else (while the goroutine waits, the thread gives its processor away). So
     * {@code Thread.currentThread()} and thread locals stay the same across parks. A goroutine that
     * ends locked takes its thread with it, as in Go.
     *
     * @throws IllegalStateException ({@code not on a goroutine}) on a plain Java thread
     */
    public static void lockOSThread() {
        Linkname.lockOSThread();
    }

    /**
     * {@code runtime.UnlockOSThread}: undoes one {@link #lockOSThread}; with none outstanding it
     * does nothing (as in Go), also on a plain thread.
     */
    public static void unlockOSThread() {
        Linkname.unlockOSThread();
    }

    /**
     * Runs a blocking call on this goroutine's thread without holding up the others (Go:
     * {@code entersyscall} / {@code exitsyscall} around a system call). The goroutine's processor is
     * marked as in a syscall; if the call lasts (more than a sysmon tick, 20 us to 10 ms), sysmon
     * hands the processor to another thread, so the other goroutines keep running. On return the
     * goroutine takes its processor back if it can, else another idle one, else it queues. The call's
     * own exception propagates unchanged. Inside the call the code runs as on a plain Java thread:
     * channel operations and locks block the thread, not a goroutine. From a plain thread it just
     * runs the call.
     */
    public static <T, X extends Throwable> T syscall(Blocking<T, X> call) throws X {
        if (call == null) {
            throw new NullPointerException("call");
        }
        return Linkname.syscall(call, false);
    }

    /** {@link #syscall(Blocking)} for a call without a result. */
    public static <X extends Throwable> void syscall(BlockingRun<X> call) throws X {
        if (call == null) {
            throw new NullPointerException("call");
        }
        Linkname.syscall(call, false);
    }

    /**
     * Like {@link #syscall(Blocking)}, but hands the processor to another thread at once (Go:
     * {@code entersyscallblock}), for calls known to block for long.
     */
    public static <T, X extends Throwable> T syscallBlock(Blocking<T, X> call) throws X {
        if (call == null) {
            throw new NullPointerException("call");
        }
        return Linkname.syscall(call, true);
    }

    /** {@link #syscallBlock(Blocking)} for a call without a result. */
    public static <X extends Throwable> void syscallBlock(BlockingRun<X> call) throws X {
        if (call == null) {
            throw new NullPointerException("call");
        }
        Linkname.syscall(call, true);
    }

    /**
     * {@code runtime/debug.SetMaxThreads}: sets the most threads (Ms) the runtime may make, sysmon
     * included, and returns the previous limit (initially 10,000). Going over it is the fatal error
     * {@code thread exhaustion}, also at once if the new limit is below the current count.
     */
    public static int setMaxThreads(int n) {
        return Linkname.setMaxThreads(n);
    }

    /**
     * A preemption point: yields if the runtime asked this goroutine to stop (to stop the world, or,
     * with sysmon, because it ran too long); costs a field read otherwise. Nothing on a plain thread.
     */
    public static void checkpoint() {
        // Inlined at every instrumented loop (the agent): one static volatile read while nobody has
        // been asked to stop.
        if (Linkname.preemptRequests != 0) {
            Linkname.checkpoint();
        }
    }

    /**
     * {@code runtime.Stack}: a goroutine dump in Go's layout ({@code goroutine 1 [chan receive]:}
     * then Java frames). With {@code all}, every goroutine; otherwise only the caller's (empty on a
     * plain thread).
     */
    public static String stack(boolean all) {
        return Linkname.stack(all);
    }

    /**
     * Replaces the default reaction to an unrecovered panic in a goroutine (print it and exit with
     * status 2): {@code handler} receives the exception on the dying goroutine's thread, nothing is
     * printed, the goroutine ends and the program goes on. {@code null} restores the default.
     */
    public static void onPanic(Consumer<Throwable> handler) {
        Linkname.onPanic(handler);
    }
}
