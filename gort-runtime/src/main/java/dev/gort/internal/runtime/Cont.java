package dev.gort.internal.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The one place that touches {@code jdk.internal.vm.Continuation}: a goroutine's body runs in one.
 *
 * <p>Why method handles and not direct calls: the build compiles with {@code --release 25}, and javac
 * forbids {@code --add-exports} of a system module's package under {@code --release}. Constant
 * (static final) method handles are inlined by the JIT like direct calls. At run time the package
 * must still be exported to us ({@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, or
 * {@code =dev.gort} on the module path); {@link #check} says so clearly when it is not.
 *
 * <p>Continuations are one-shot: {@link #make} for every run of a goroutine, {@link #run} mounts it
 * on the current thread until it yields or ends, {@link #yield} (from inside) unmounts it.
 */
final class Cont {
    private Cont() {}

    private static final Class<?> CONTINUATION;
    private static final Object SCOPE;
    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle IS_DONE;
    private static final MethodHandle YIELD;
    private static final MethodHandle STACK;
    private static final Throwable UNAVAILABLE;

    static {
        Class<?> c = null;
        Object scope = null;
        MethodHandle mNew = null, mRun = null, mDone = null, mYield = null, mStack = null;
        Throwable err = null;
        try {
            c = Class.forName("jdk.internal.vm.Continuation");
            Class<?> sc = Class.forName("jdk.internal.vm.ContinuationScope");
            MethodHandles.Lookup l = MethodHandles.lookup();
            scope = l.findConstructor(sc, MethodType.methodType(void.class, String.class)).invoke("gort");
            mNew = l.findConstructor(c, MethodType.methodType(void.class, sc, Runnable.class))
                    .bindTo(scope).asType(MethodType.methodType(Object.class, Runnable.class));
            mRun = l.findVirtual(c, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            mDone = l.findVirtual(c, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            mYield = l.findStatic(c, "yield", MethodType.methodType(boolean.class, sc)).bindTo(scope);
            mStack = l.findVirtual(c, "getStackTrace", MethodType.methodType(StackTraceElement[].class))
                    .asType(MethodType.methodType(StackTraceElement[].class, Object.class));
        } catch (Throwable t) {
            err = t;
        }
        CONTINUATION = c;
        SCOPE = scope;
        NEW = mNew;
        RUN = mRun;
        IS_DONE = mDone;
        YIELD = mYield;
        STACK = mStack;
        UNAVAILABLE = err;
    }

    /** Throws a clear error when continuations are not reachable (the JVM flag is missing). */
    static void check() {
        if (UNAVAILABLE != null) {
            String target = Cont.class.getModule().isNamed() ? "dev.gort" : "ALL-UNNAMED";
            throw new IllegalStateException("gort: cannot use jdk.internal.vm.Continuation; start the JVM with"
                    + " --add-exports java.base/jdk.internal.vm=" + target + " (and Java 25 or newer)", UNAVAILABLE);
        }
    }

    /** A new continuation that will run {@code body}. */
    static Object make(Runnable body) {
        try {
            return NEW.invokeExact(body);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Mounts c on this thread and runs it until it yields or ends. */
    static void run(Object c) {
        try {
            RUN.invokeExact(c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static boolean isDone(Object c) {
        try {
            return (boolean) IS_DONE.invokeExact(c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Unmounts the running continuation; returns when it is resumed (maybe on another thread). */
    static void yield() {
        boolean ok;
        try {
            ok = (boolean) YIELD.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (!ok) {
            throw Proc.fatal("goroutine could not yield (pinned by a native frame)");
        }
    }

    /**
     * Like {@link #yield}, but when the continuation cannot yield now (pinned: a native or VM frame
     * on its stack, such as a class initialiser or a JNI upcall, or a critical section) returns false
     * instead of throwing, and nothing has happened. The JDK reports pinning by throwing
     * {@code IllegalStateException("Pinned: ...")} from {@code onPinned} after a clean failed attempt.
     */
    static boolean tryYield() {
        try {
            return (boolean) YIELD.invokeExact();
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Pinned")) {
                return false;
            }
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The frames of an unmounted continuation, top first. */
    static StackTraceElement[] stackTrace(Object c) {
        try {
            return (StackTraceElement[]) STACK.invokeExact(c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static boolean isContinuationClass(String className) {
        return className.startsWith("jdk.internal.vm.Continuation");
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    static {
        // Keep the class reference reachable for debugging (e.g. heap dumps name it).
        if (CONTINUATION == null && SCOPE != null) {
            throw new AssertionError();
        }
    }
}
