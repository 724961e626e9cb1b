package dev.gort.internal.runtime;

import java.util.function.Consumer;

/**
 * The runtime's one public door (Go: the {@code //go:linkname} entry points that packages
 * {@code sync}, {@code time} and {@code net} use). The exported packages ({@code dev.gort},
 * {@code dev.gort.sync}, ...) call these; users never do: the package is not exported by the
 * module {@code dev.gort}.
 */
public final class Linkname {
    private Linkname() {}

    /**
     * How many goroutines have a pending preemption request (see G.requestPreempt). Read by
     * {@code Go.checkpoint()} on its fast path; written only through G's VarHandle.
     */
    public static volatile int preemptRequests;

    public static void go(Runnable body) {
        Proc.newproc(body, false);
    }

    /** Runs body as a new main goroutine and blocks the calling plain thread until it ends. */
    public static void main(Runnable body) {
        if (Proc.getg() != null) {
            throw new IllegalStateException("Go.main called from a goroutine");
        }
        MainRun mr = MainRun.begin();
        try {
            Proc.newproc(body, false, mr);
            mr.await();
        } finally {
            MainRun.end();
        }
        Throwable t = mr.panic;
        if (t != null) {
            throw Linkname.<RuntimeException>sneaky(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    public static boolean onGoroutine() {
        return Proc.getg() != null;
    }

    public static void gosched() {
        if (Proc.getg() != null) {
            Proc.gosched();
        }
    }

    public static Error goexit() {
        M mp = Proc.getm();
        if (mp == null || (mp.curg == null && mp.syscallg == null)) {
            throw new IllegalStateException("not on a goroutine");
        }
        return Proc.goexit();
    }

    public static void checkpoint() {
        Proc.checkpoint();
    }

    public static void lockOSThread() {
        Proc.lockOSThread();
    }

    public static void unlockOSThread() {
        Proc.unlockOSThread();
    }

    public static int setMaxThreads(int n) {
        Proc.ensureStarted();
        return Proc.setMaxThreads(n);
    }

    @SuppressWarnings("unchecked")
    public static <T, X extends Throwable> T syscall(dev.gort.Blocking<T, X> call, boolean block) throws X {
        return (T) Syscall.syscall(call, null, block);
    }

    public static <X extends Throwable> void syscall(dev.gort.BlockingRun<X> call, boolean block) throws X {
        Syscall.syscall(null, call, block);
    }

    public static int numGoroutine() {
        Proc.ensureStarted();
        return Proc.gcount();
    }

    public static int gomaxprocs(int n) {
        return Proc.setGomaxprocs(n);
    }

    public static String stack(boolean all) {
        Proc.ensureStarted();
        return Traceback.stack(all);
    }

    public static void startTrace(java.nio.file.Path file) throws java.io.IOException {
        java.util.Objects.requireNonNull(file, "file");
        Proc.ensureStarted();
        Trace.start(file);
    }

    public static void stopTrace() throws java.io.IOException {
        Trace.stop();
    }

    public static void onPanic(Consumer<Throwable> handler) {
        Panics.onPanic = handler;
    }

    // ---- semaphores for dev.gort.sync (Go: sync_runtime_Semacquire / Semrelease)

    public static Object newSema() {
        return new Sema(0);
    }

    public static void semacquireWaitGroup(Object sema) {
        Proc.ensureStarted();
        ((Sema) sema).acquire(WaitReason.SyncWaitGroupWait);
    }

    public static void semrelease(Object sema) {
        ((Sema) sema).release(false);
    }

    /** Go: sync_runtime_SemacquireMutex. lifo: the caller has waited before (queue at the front). */
    public static void semacquireMutex(Object sema, boolean lifo) {
        ((Sema) sema).acquire(lifo, WaitReason.SyncMutexLock);
    }

    /** Go: sync_runtime_SemacquireRWMutexR (a reader waiting for a writer). */
    public static void semacquireRWMutexR(Object sema, boolean lifo) {
        ((Sema) sema).acquire(lifo, WaitReason.SyncRWMutexRLock);
    }

    /** Go: sync_runtime_SemacquireRWMutex (a writer waiting for the readers to leave). */
    public static void semacquireRWMutex(Object sema, boolean lifo) {
        ((Sema) sema).acquire(lifo, WaitReason.SyncRWMutexLock);
    }

    /** Go: sync_runtime_Semrelease. handoff: give the unit to the first waiter and let it run now. */
    public static void semrelease(Object sema, boolean handoff) {
        ((Sema) sema).release(handoff);
    }

    /** Go: sync_runtime_canSpin. */
    public static boolean canSpin(int iter) {
        return SyncRuntime.canSpin(iter);
    }

    /** Go: sync_runtime_doSpin. */
    public static void doSpin() {
        SyncRuntime.doSpin();
    }

    /** Go: sync.fatal (linknamed to runtime.fatal): prints fatal error: msg and a dump, exits 2. */
    public static Error fatal(String msg) {
        throw Proc.fatal(msg);
    }

    // ---- sync.Cond's notify list (Go: sync.runtime_notifyList*)

    public static Object newNotifyList() {
        return new NotifyList();
    }

    public static int notifyListAdd(Object l) {
        return ((NotifyList) l).add();
    }

    public static void notifyListWait(Object l, int ticket) {
        ((NotifyList) l).await(ticket);
    }

    public static void notifyListNotifyOne(Object l) {
        ((NotifyList) l).notifyOne();
    }

    public static void notifyListNotifyAll(Object l) {
        ((NotifyList) l).notifyAllTickets();
    }
}
