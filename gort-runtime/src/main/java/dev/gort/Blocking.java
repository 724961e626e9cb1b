package dev.gort;

/**
 * A blocking call that returns a value, for {@link Go#syscall(Blocking)} and
 * {@link Go#syscallBlock(Blocking)}: file I/O, {@code Thread.sleep}, JDBC, a {@code java.util.concurrent}
 * lock, a native call.
 *
 * @param <T> what the call returns
 * @param <X> the checked exception it may throw (propagated unchanged)
 */
@FunctionalInterface
public interface Blocking<T, X extends Throwable> {
    T call() throws X;
}
