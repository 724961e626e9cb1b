package dev.gort;

/**
 * A blocking call without a result, so {@code Go.syscall(() -> Thread.sleep(5))} needs no dummy
 * return value.
 *
 * @param <X> the checked exception it may throw (propagated unchanged)
 */
@FunctionalInterface
public interface BlockingRun<X extends Throwable> {
    void run() throws X;
}
