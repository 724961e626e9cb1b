package dev.gort.net;

import dev.gort.internal.runtime.NetSocket;
import java.io.IOException;
import java.util.Objects;

/**
 * Package {@code net}: TCP on the netpoller. A goroutine blocked in {@code accept}, {@code read}
 * or {@code write} is parked on the netpoller and holds no thread; a plain Java thread blocks
 * itself. The networks are {@code "tcp"}, {@code "tcp4"} and {@code "tcp6"}.
 *
 * <pre>{@code
 * Listener ln = Net.listen("tcp", "127.0.0.1:8080");
 * for (;;) {
 *     Conn c = ln.accept();
 *     Go.go(() -> serve(c)); // one goroutine per connection
 * }
 * }</pre>
 */
public final class Net {
    private Net() {}

    /**
     * {@code net.Listen}: a listening socket on {@code address} ({@code "127.0.0.1:0"},
     * {@code ":8080"}, {@code "[::1]:0"}); port 0 picks a free port (see {@link Listener#addr}).
     *
     * @throws IOException with Go's text, e.g.
     *     {@code listen tcp 127.0.0.1:8080: bind: address already in use}
     */
    public static Listener listen(String network, String address) throws IOException {
        return new Listener(NetSocket.listen(Objects.requireNonNull(network, "network"),
                Objects.requireNonNull(address, "address")));
    }

    /**
     * {@code net.Dial}: connects to {@code address}, trying each address the host resolves to.
     *
     * @throws IOException with Go's text, e.g.
     *     {@code dial tcp 127.0.0.1:1: connect: connection refused}
     */
    public static Conn dial(String network, String address) throws IOException {
        return new Conn(NetSocket.dial(Objects.requireNonNull(network, "network"),
                Objects.requireNonNull(address, "address")));
    }
}
