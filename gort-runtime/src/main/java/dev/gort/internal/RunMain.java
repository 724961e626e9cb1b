package dev.gort.internal;

import dev.gort.Go;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * {@code ./gort run <main-class> [args]}: runs a class's {@code main(String[])} as the main goroutine
 * (Go's runtime.main calling main.main). A panic in it is reported as Go reports one and the JVM
 * exits with status 2; a normal return exits with status 0, even if other goroutines still run.
 */
public final class RunMain {
    private RunMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RunMain <main-class> [args...]");
            System.exit(2);
        }
        Class<?> cls;
        try {
            cls = Class.forName(args[0]);
        } catch (ClassNotFoundException e) {
            System.err.println("gort run: class not found: " + args[0]);
            System.exit(2);
            return;
        }
        Method m = cls.getMethod("main", String[].class);
        if (!Modifier.isStatic(m.getModifiers())) {
            System.err.println("gort run: " + args[0] + ".main is not static");
            System.exit(2);
        }
        m.setAccessible(true);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            Go.main(() -> {
                try {
                    m.invoke(null, (Object) rest);
                } catch (InvocationTargetException e) {
                    sneaky(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (Throwable t) {
            System.out.flush();
            System.err.println("panic: " + (t instanceof dev.gort.Panic ? t.getMessage() : t.toString()));
            System.err.println();
            System.err.println("goroutine 1 [running]:");
            for (StackTraceElement f : t.getStackTrace()) {
                if (f.getClassName().startsWith("dev.gort.internal") || f.getClassName().startsWith("jdk.internal")
                        || f.getClassName().startsWith("java.lang.reflect")) {
                    continue;
                }
                System.err.println(f.getClassName() + "." + f.getMethodName() + "(...)");
                System.err.println("\t" + f.getFileName() + ":" + Math.max(0, f.getLineNumber()));
            }
            System.err.flush();
            Runtime.getRuntime().halt(2);
        }
        System.exit(0);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
