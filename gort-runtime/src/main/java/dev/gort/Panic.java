package dev.gort;

/**
 * A Go runtime error (a panic), carrying Go's exact message, e.g. {@code send on closed channel},
 * {@code sync: negative WaitGroup counter}. Like any exception, it can be caught; one that escapes
 * a goroutine is an unrecovered panic (see {@link Go#onPanic}).
 */
public class Panic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Panic(String message) {
        super(message);
    }

    public Panic(String message, Throwable cause) {
        super(message, cause);
    }
}
