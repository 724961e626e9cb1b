package dev.gort.internal.runtime;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.Locale;

/**
 * Network errors with Go's wording (Go: net.OpError, os.SyscallError, syscall.Errno's strings).
 *
 * <p>Go's message is {@code op net [source->]addr: syscall: errno text}, for example
 * {@code dial tcp 127.0.0.1:1: connect: connection refused},
 * {@code listen tcp 127.0.0.1:8080: bind: address already in use},
 * {@code read tcp 127.0.0.1:40001->127.0.0.1:8080: read: connection reset by peer}. The op is the
 * user's operation ({@code dial}, {@code listen}, {@code accept}, {@code read}, {@code write},
 * {@code close}); the syscall is the one that failed, named as Go names it (Go calls read(2) and
 * write(2) where we call recv and send, and says {@code read}/{@code write}).
 *
 * <p>The Java class says what happened in Java's terms, so ordinary Java code can catch it:
 * {@link ConnectException} for a refused or timed-out connect, {@link BindException} for an address
 * that cannot be bound, {@link NoRouteToHostException} for an unreachable network or host, and
 * {@link SocketException} for everything else (a closed connection included, as the API promises).
 */
final class NetError {
    private NetError() {}

    // errno values used by name (Linux generic ABI, as in Libc).
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETUNREACH = 101;
    static final int ECONNABORTED = 103;
    static final int EISCONN = 106;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;
    static final int EALREADY = 114;
    static final int EINPROGRESS = 115;

    /** Go: poll.ErrNetClosing's text. */
    static final String NET_CLOSING = "use of closed network connection";

    /** Go's syscall.Errno strings (zerrors_linux_*.go) for the errors sockets meet. */
    static String errnoText(int errno) {
        return switch (errno) {
            case 1 -> "operation not permitted";
            case 2 -> "no such file or directory";
            case EINTR -> "interrupted system call";
            case 9 -> "bad file descriptor";
            case EAGAIN -> "resource temporarily unavailable";
            case 12 -> "cannot allocate memory";
            case 13 -> "permission denied";
            case 22 -> "invalid argument";
            case 23 -> "too many open files in system";
            case 24 -> "too many open files";
            case 32 -> "broken pipe";
            case 88 -> "socket operation on non-socket";
            case 93 -> "protocol not supported";
            case 95 -> "operation not supported";
            case EAFNOSUPPORT -> "address family not supported by protocol";
            case EADDRINUSE -> "address already in use";
            case EADDRNOTAVAIL -> "cannot assign requested address";
            case 100 -> "network is down";
            case ENETUNREACH -> "network is unreachable";
            case ECONNABORTED -> "software caused connection abort";
            case 104 -> "connection reset by peer";
            case 105 -> "no buffer space available";
            case EISCONN -> "transport endpoint is already connected";
            case 107 -> "transport endpoint is not connected";
            case ETIMEDOUT -> "connection timed out";
            case ECONNREFUSED -> "connection refused";
            case EHOSTUNREACH -> "no route to host";
            case EALREADY -> "operation already in progress";
            case EINPROGRESS -> "operation now in progress";
            default -> "errno " + errno;
        };
    }

    /** Go: OpError.Error(): {@code op net [source->]addr: detail}; source and addr may be null. */
    static String message(String op, String net, InetSocketAddress source, InetSocketAddress addr, String detail) {
        StringBuilder s = new StringBuilder(op);
        if (net != null && !net.isEmpty()) {
            s.append(' ').append(net);
        }
        if (source != null) {
            s.append(' ').append(NetAddr.format(source));
        }
        if (addr != null) {
            s.append(source != null ? "->" : " ").append(NetAddr.format(addr));
        }
        return s.append(": ").append(detail).toString();
    }

    /** An errno from {@code syscall}, during the user's {@code op}. */
    static IOException of(String op, String net, InetSocketAddress source, InetSocketAddress addr, String syscall,
            int errno) {
        return make(syscall, errno, message(op, net, source, addr, syscall + ": " + errnoText(errno)));
    }

    /** An operation on a NetFD that was closed (Go: ErrNetClosing). */
    static SocketException closed(String op, String net, InetSocketAddress source, InetSocketAddress addr) {
        return new SocketException(message(op, net, source, addr, NET_CLOSING));
    }

    /**
     * A JDK exception from a channel operation (the nio backend), reworded as Go would say it. The
     * JDK's messages on Unix are strerror texts ("Connection refused"); Go's are the same words in
     * lower case. The original stays attached as the cause.
     */
    static IOException fromJdk(String op, String net, InetSocketAddress source, InetSocketAddress addr,
            String syscall, IOException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!text.isEmpty() && Character.isUpperCase(text.charAt(0))
                && (text.length() == 1 || !Character.isUpperCase(text.charAt(1)))) {
            text = text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
        }
        if (text.equals("connection reset")) {
            text = "connection reset by peer"; // the JDK shortens strerror(ECONNRESET)
        }
        String msg = message(op, net, source, addr, syscall + ": " + text);
        IOException out;
        if (e instanceof ConnectException) {
            out = new ConnectException(msg);
        } else if (e instanceof BindException) {
            out = new BindException(msg);
        } else if (e instanceof NoRouteToHostException) {
            out = new NoRouteToHostException(msg);
        } else if (e instanceof java.nio.channels.ClosedChannelException) {
            out = new SocketException(message(op, net, source, addr, NET_CLOSING));
        } else {
            out = new SocketException(msg);
        }
        out.initCause(e);
        return out;
    }

    private static IOException make(String syscall, int errno, String msg) {
        if (errno == ETIMEDOUT && syscall.equals("connect")) {
            return new ConnectException(msg);
        }
        return switch (errno) {
            case ECONNREFUSED -> new ConnectException(msg);
            case EADDRINUSE, EADDRNOTAVAIL -> new BindException(msg);
            case ENETUNREACH, EHOSTUNREACH -> new NoRouteToHostException(msg);
            default -> new SocketException(msg);
        };
    }
}
