package dev.gort.internal.runtime;

import static java.nio.channels.SelectionKey.OP_ACCEPT;
import static java.nio.channels.SelectionKey.OP_CONNECT;
import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The portable netpoller: one {@link Selector}, with Go's edge-triggered contract emulated on
 * its level-triggered readiness.
 *
 * <h2>Edge-triggered emulation</h2>
 * {@link #open} registers the channel for reading (OP_READ, or OP_ACCEPT for a listener) and
 * writing (OP_WRITE, or OP_CONNECT while a connect is pending). When poll reports an interest as
 * ready, it first removes that interest from the key and then reports the event: the socket is
 * not reported again, however long it stays ready, until {@link #arm} — called by a waiter after
 * EAGAIN, before it waits — puts the interest back. Readiness that arrived between the EAGAIN and
 * the arm is seen by the next select (level-triggered), so no wake-up is lost; readiness reported
 * while nobody waits is kept by the token's owner (Go's pdReady) and makes the next operation try
 * the socket, get EAGAIN, and arm. Removal happens before the report, so an arm never gets
 * undone by the report it raced with. When a connect completes ({@link NioNetFD}'s
 * finishConnect) a leftover OP_CONNECT interest becomes OP_WRITE: OP_CONNECT on a connected
 * channel would make the Selector spin.
 *
 * <h2>Waking a blocked select</h2>
 * A Selector applies interest and registration changes only when a selection starts. So open,
 * arm and close wake a blocked select ({@link #selecting}) with {@link Selector#wakeup}; poll
 * then sees no event and no break and selects again — these wake-ups never surface as returns of
 * poll. The Dekker pair "change then read selecting" / "set selecting then select (which reads
 * the changes under the Selector's update lock)" guarantees one side sees the other.
 *
 * <h2>netpollBreak</h2>
 * {@link #wakeSig} as in Go. A blocking poll that finds it set does not block; one that returns
 * with it set clears it and returns. A non-blocking poll leaves it set: its selectNow clears the
 * Selector's own wake-up, but the flag keeps the break for the next blocking poll.
 *
 * <h2>Closing</h2>
 * close cancels the key; the JDK frees a channel's descriptor only when the Selector drops the
 * cancelled key, at its next selection. So that a closed listener frees its port at once even
 * when no poll is running, whoever holds {@link #busy} (the poller, or close itself when no poll
 * runs) flushes cancelled keys with a selectNow ({@link #cancelPending}).
 */
final class NioNetpoll extends Netpoll {
    private Selector selector;
    /** Go: netpollWakeSig; atomic. */
    private final AtomicInteger wakeSig = new AtomicInteger();
    /** True while poll is blocked (or about to block) in select; poller writes, others read. */
    private volatile boolean selecting;
    /** Bumped each time a blocking select returns; close waits for it (see close). */
    private volatile long selectCount;
    /** Held by poll for its duration, or by close to flush cancelled keys; atomic. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** A key was cancelled and the Selector has not flushed it yet. */
    private volatile boolean cancelPending;

    /** One batch, delivered after the selection (outside the Selector's locks); poller's. */
    private final Object[] readyTokens = new Object[MAX_EVENTS];
    private final int[] readyModes = new int[MAX_EVENTS];
    private int nready;

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public void init() throws IOException {
        selector = Selector.open();
    }

    private static int readOps(NioNetFD fd) {
        return fd.listener ? OP_ACCEPT : OP_READ;
    }

    private static int writeOps(NioNetFD fd) {
        return fd.listener ? 0 : fd.connectPending() ? OP_CONNECT : OP_WRITE;
    }

    @Override
    void netpollopen(NetFD nfd, Object token) throws IOException {
        NioNetFD fd = (NioNetFD) nfd;
        synchronized (fd) {
            if (fd.key != null || fd.poller != null) {
                throw new IllegalStateException("netpollopen: channel is already registered");
            }
            fd.key = fd.ch.register(selector, readOps(fd) | writeOps(fd), token);
            fd.poller = this;
        }
        if (selecting) {
            selector.wakeup();
        }
    }

    @Override
    public void close(NetFD nfd) {
        NioNetFD fd = (NioNetFD) nfd;
        SelectionKey key;
        synchronized (fd) {
            key = fd.key;
            if (key == null || fd.poller != this) {
                return;
            }
            fd.key = null;
            fd.poller = null;
        }
        key.cancel();
        cancelPending = true;
        if (busy.compareAndSet(false, true)) {
            releaseBusy();
        } else if (selecting) {
            // The JDK closes a registered channel only once its key is deregistered, which a
            // select does on its way out: wait (briefly, bounded) for the blocked select to
            // return, so the socket is really closed when close returns (a closed listener must
            // refuse the next dial at once, as Go's does).
            long n = selectCount;
            selector.wakeup();
            long deadline = System.nanoTime() + 100_000_000L;
            while (selecting && selectCount == n && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void arm(NetFD nfd, int mode) {
        NioNetFD fd = (NioNetFD) nfd;
        SelectionKey key = fd.key;
        if (key == null) {
            return;
        }
        int ops = ((mode & READ) != 0 ? readOps(fd) : 0) | ((mode & WRITE) != 0 ? writeOps(fd) : 0);
        try {
            int old = key.interestOpsOr(ops);
            if ((old & ops) != ops && selecting) {
                selector.wakeup();
            }
        } catch (CancelledKeyException closed) {
            // closed meanwhile: the waiter learns it from its pollDesc
        }
    }

    /** A dial finished: a pending OP_CONNECT interest becomes OP_WRITE (see the class comment). */
    static void connected(NioNetFD fd) {
        SelectionKey key = fd.key;
        if (key == null) {
            return;
        }
        try {
            int old = key.interestOpsAnd(~OP_CONNECT);
            if ((old & OP_CONNECT) != 0) {
                key.interestOpsOr(OP_WRITE);
                if (fd.poller instanceof NioNetpoll np && np.selecting) {
                    np.selector.wakeup();
                }
            }
        } catch (CancelledKeyException closed) {
            // nothing to fix
        }
    }

    @Override
    public int poll(long delay, ReadySink sink) {
        while (!busy.compareAndSet(false, true)) {
            Thread.onSpinWait(); // a close is flushing cancelled keys: a selectNow, short
        }
        try {
            nready = 0;
            if (delay == 0) {
                selector.selectNow(this::collect);
            } else {
                long deadline = delay > 0 ? System.nanoTime() + delay : 0;
                for (;;) {
                    if (wakeSig.get() != 0) {
                        selector.selectNow(this::collect);
                        wakeSig.set(0);
                        break;
                    }
                    long ms = 0; // forever
                    if (delay > 0) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        ms = Math.max(1, Math.min(left / 1_000_000L, 1_000_000_000L));
                    }
                    selecting = true;
                    try {
                        selector.select(this::collect, ms);
                    } finally {
                        selecting = false;
                        selectCount++; // single writer: the one polling thread
                    }
                    if (wakeSig.get() != 0) {
                        wakeSig.set(0); // Go: the blocking poll that sees the break clears it
                        break;
                    }
                    if (nready > 0) {
                        break;
                    }
                    // A timeout (the loop checks the deadline), or a wake-up for an interest
                    // change or a close: select again.
                }
            }
        } catch (IOException e) {
            System.err.println("runtime: netpoll: select failed: " + e);
            throw Proc.fatal("runtime: netpoll failed");
        } finally {
            releaseBusy();
        }
        int k = nready;
        nready = 0;
        for (int i = 0; i < k; i++) {
            Object t = readyTokens[i];
            readyTokens[i] = null;
            sink.ready(t, readyModes[i]);
        }
        return k;
    }

    /** The Selector's action for one ready key: drop what fired, then record it. */
    private void collect(SelectionKey key) {
        if (nready == MAX_EVENTS || !key.isValid()) {
            return; // left ready in the kernel: the next poll reports it
        }
        int fired;
        try {
            fired = key.readyOps() & key.interestOps();
            if (fired == 0) {
                return;
            }
            key.interestOpsAnd(~fired);
        } catch (CancelledKeyException closed) {
            return;
        }
        int mode = ((fired & (OP_READ | OP_ACCEPT)) != 0 ? READ : 0) | ((fired & (OP_WRITE | OP_CONNECT)) != 0 ? WRITE : 0);
        readyTokens[nready] = key.attachment();
        readyModes[nready] = mode;
        nready++;
    }

    /** Releases busy; flushes cancelled keys first if a close asked for it and nobody else will. */
    private void releaseBusy() {
        for (;;) {
            if (cancelPending) {
                cancelPending = false;
                try {
                    selector.selectNow(k -> { }); // deregisters cancelled keys; ready ones stay ready
                } catch (IOException ignored) {
                    // the next poll reports it
                }
            }
            busy.set(false);
            if (!cancelPending || !busy.compareAndSet(false, true)) {
                return;
            }
        }
    }

    @Override
    public void wakeup() {
        if (wakeSig.compareAndSet(0, 1)) {
            selector.wakeup();
        }
    }

    @Override
    public void shutdown() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public NetFD listen(String net, InetSocketAddress laddr) throws IOException {
        return NioNetFD.listen(net, laddr);
    }

    @Override
    public NetFD dial(String net, InetSocketAddress raddr) throws IOException {
        return NioNetFD.dial(net, raddr);
    }
}
