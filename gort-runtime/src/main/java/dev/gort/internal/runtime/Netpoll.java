package dev.gort.internal.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The netpoller's platform seam (Go: runtime/netpoll.go's {@code netpollinit},
 * {@code netpollopen}, {@code netpollclose}, {@code netpoll(delay)}, {@code netpollBreak}), with
 * the socket calls of the same platform ({@link #listen}, {@link #dial}, and {@link NetFD}). No
 * goroutines and no scheduler here: pollDesc and findRunnable sit on top.
 *
 * <h2>Backends, chosen once ({@link #get})</h2>
 * <ul>
 *   <li>{@code epoll} ({@link EpollNetpoll}, {@link EpollNetFD}) — Linux x86_64/aarch64: epoll in
 *       edge-triggered mode, each socket registered once for reading and writing, an eventfd for
 *       netpollBreak, raw non-blocking sockets; all through java.lang.foreign.</li>
 *   <li>{@code nio} ({@link NioNetpoll}, {@link NioNetFD}) — anywhere: a
 *       {@link java.nio.channels.Selector} and JDK channels, with edge-triggered readiness
 *       emulated on the level-triggered Selector ({@link #arm}).</li>
 * </ul>
 * The system property {@code gort.netpoll} = {@code epoll} | {@code nio} picks one. The default is
 * epoll on Linux x86_64/aarch64 when this code has native access
 * ({@code --enable-native-access=ALL-UNNAMED}, or {@code =dev.gort} on the module path) and the C
 * library's functions link, else nio: without the flag the JDK would print a warning at the
 * first downcall, so the default quietly takes nio instead. An invalid value, or epoll asked for
 * where it cannot work, is reported once on stderr and the default (or nio) is used.
 *
 * <h2>Readiness contract (both backends; Go's)</h2>
 * After {@link #open}, each readiness <em>change</em> is reported once by {@link #poll}: a socket
 * that became readable (data, EOF, error, a pending connection) or writable (buffer space, a
 * finished connect). A caller that got {@link NetFD#EAGAIN} calls {@link #arm} and then waits;
 * readiness that arrived in between is reported, never lost. Spurious reports are possible (Go
 * tolerates them too: the waiter retries and gets EAGAIN again). An event harvested by a poll
 * that races with {@link #close} may still reach the token's owner afterwards (Go's pollDesc
 * checks {@code closing}); once close has returned, a later poll reports nothing for it.
 *
 * <h2>Threads</h2>
 * {@link #poll} is called by one thread at a time (the caller guarantees it). {@link #open},
 * {@link #close}, {@link #arm} and {@link #wakeup} may be called from any thread, concurrently
 * with a poll blocked in the kernel.
 */
public abstract class Netpoll {
    /** Mode bits given to {@link ReadySink#ready} (Go: 'r', 'w'). */
    public static final int READ = 1;
    public static final int WRITE = 2;
    /**
     * Set with READ|WRITE when the kernel reported only EPOLLERR (Go: pd.setEventErr, which makes
     * a waiting read fail as "not pollable"). The nio backend never sets it.
     */
    public static final int ERROR = 4;

    /** Go: netpoll's 128-event batch. */
    static final int MAX_EVENTS = 128;

    /** Receives the events of one {@link #poll} call (Go: netpollready). */
    @FunctionalInterface
    public interface ReadySink {
        /** token: what open was given; mode: READ and/or WRITE (and maybe ERROR). */
        void ready(Object token, int mode);
    }

    /** The backend's name: "epoll" or "nio". */
    public abstract String name();

    /** Go: netpollinit. Called once before anything else ({@link #get} does it). */
    public abstract void init() throws IOException;

    /**
     * Go: netpollopen. Registers fd for read and write readiness, once, edge-triggered; token is
     * handed back with its events. A socket is registered with one Netpoll at most. Holds a
     * reference on fd meanwhile, so a closed socket (whose descriptor number may already belong
     * to another) is refused with {@code use of closed network connection}.
     */
    public final void open(NetFD fd, Object token) throws IOException {
        if (!fd.incref()) {
            throw NetError.closed("open", fd.net, null, fd.laddr);
        }
        try {
            netpollopen(fd, token);
        } finally {
            fd.decref();
        }
    }

    /** The backend's half of {@link #open}, with a reference on fd held. */
    abstract void netpollopen(NetFD fd, Object token) throws IOException;

    /**
     * Go: netpollclose. Deregisters fd (no event for it after this returns, except one a racing
     * poll already harvested). Idempotent; {@link NetFD}'s destroy calls it too.
     */
    public abstract void close(NetFD fd);

    /**
     * Go: netpoll(delay). Waits for events: delayNs &lt; 0 blocks until an event or a
     * {@link #wakeup}; 0 does not block; otherwise waits up to delayNs (rounded up to 1 ms,
     * capped near 11.5 days as Go does). Calls sink.ready for each event, at most
     * {@link #MAX_EVENTS} per call, after all internal locks are released, and returns their
     * number. An interrupted timed wait (EINTR) returns 0; the caller recomputes its delay.
     */
    public abstract int poll(long delayNs, ReadySink sink);

    /**
     * Go: netpollBreak. Makes a blocked (or the next blocking) poll return. Coalesced: until a
     * blocking poll has seen the break, more calls do nothing. A non-blocking poll leaves a
     * pending break for the next blocking one.
     */
    public abstract void wakeup();

    /**
     * Called by a waiter after an operation returned EAGAIN, right before it waits for mode
     * (READ or WRITE). A no-op with epoll (edge-triggered: nothing to re-arm); the nio backend
     * turns the interest the last event dropped back on, waking a blocked Selector if needed.
     */
    public abstract void arm(NetFD fd, int mode);

    /** Releases the backend's own descriptors (tests; the runtime's instance lives forever). */
    public abstract void shutdown();

    // ---------------------------------------------------------------- sockets

    /**
     * Go: net.Listen's socket, bind, listen: a non-blocking listening socket with SO_REUSEADDR,
     * not yet registered. Errors: {@code listen tcp 127.0.0.1:8080: bind: address already in use}.
     */
    public abstract NetFD listen(String net, InetSocketAddress laddr) throws IOException;

    /**
     * Go: net.Dial's socket and connect(2): a non-blocking socket with TCP_NODELAY whose connect
     * has been started, not yet registered. Register it, then call {@link NetFD#finishConnect}
     * after each write-readiness event until it returns 0. An immediate failure is thrown:
     * {@code dial tcp 127.0.0.1:1: connect: connection refused}.
     */
    public abstract NetFD dial(String net, InetSocketAddress raddr) throws IOException;

    /** {@link #listen} on an address string ({@code "127.0.0.1:0"}, {@code ":8080"}); may block on DNS. */
    public final NetFD listen(String net, String address) throws IOException {
        return listen(net, NetAddr.forListen(NetAddr.resolve("listen", net, address)));
    }

    /** Every address to try, in order, for {@link #dial} (Go dials them in turn); may block on DNS. */
    public static java.util.List<InetSocketAddress> resolveDial(String net, String address) throws IOException {
        return NetAddr.resolve("dial", net, address);
    }

    // ---------------------------------------------------------------- choosing the backend

    private static volatile Netpoll instance;

    /** The process's netpoller, chosen and initialized on first use. */
    public static Netpoll get() {
        Netpoll np = instance;
        if (np == null) {
            np = createDefault();
        }
        return np;
    }

    private static synchronized Netpoll createDefault() {
        if (instance == null) {
            Netpoll np = create(NetpollChoice.choose(System.getProperty("gort.netpoll")));
            try {
                np.init();
            } catch (IOException e) {
                throw Proc.fatal("runtime: netpollinit failed: " + e.getMessage());
            }
            instance = np;
        }
        return instance;
    }

    /** A new, uninitialized backend by name ("epoll" or "nio"); tests make one of each. */
    public static Netpoll create(String name) {
        return switch (name) {
            case "epoll" -> new EpollNetpoll();
            case "nio" -> new NioNetpoll();
            default -> throw new IllegalArgumentException("unknown netpoll backend " + name);
        };
    }
}
