package dev.gort.net;

import java.net.SocketTimeoutException;

/**
 * A deadline passed (Go: os.ErrDeadlineExceeded, whose text is {@code i/o timeout}). Thrown by a
 * read, write, accept or dial that was blocked when its deadline arrived, or that started after.
 * The connection stays usable: move the deadline and try again, as in Go.
 */
public class TimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    public TimeoutException() {
        super("i/o timeout");
    }
}
