package dev.gort.internal.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Every call from a goroutine into a JDK channel of the nio backend goes through here, out of line.
 *
 * <p>Why: the JDK's channels guard reads, writes, connects, accepts and closes with j.u.c locks
 * that record {@code Thread.currentThread()} as their owner, and C2 compiles that read as a value
 * that cannot change within a compiled method (see {@link Proc#carrier}). Inlined into a
 * goroutine's method that also parks (a read loop that waits for readiness, a close after a
 * read), the lock would be taken in the name of the M the goroutine ran on before the park. If
 * its unlock, compiled elsewhere, names the true M, it throws IllegalMonitorStateException and
 * the lock stays held by the old M for good: the next close of that channel blocks its thread
 * forever (seen as a stalled nio echo benchmark: a worker stuck in close on a readLock owned by
 * an idle M). A method the JIT never inlines is compiled on its own, with no park inside, so
 * the JDK code within it reads the thread afresh on every call.
 *
 * <p>C2 does not inline a method whose bytecode exceeds FreqInlineSize (325 bytes), nor C1 one
 * over 35: the dead branches make the two entry points that large, as in Proc.carrier. The
 * epoll backend needs none of this: it calls libc and takes no JDK locks.
 */
final class NioCalls {
    private NioCalls() {}

    static final int READ = 0;
    static final int WRITE = 1;
    /** 0 when connected, NetFD.EAGAIN while the connect is still in progress. */
    static final int FINISH_CONNECT = 2;
    static final int SHUTDOWN_READ = 3;
    static final int SHUTDOWN_WRITE = 4;
    static final int NODELAY_ON = 5;
    static final int NODELAY_OFF = 6;
    static final int CLOSE = 7;

    /** An operation on an open channel (the NioNetFD's {@code *0} methods); see the class comment. */
    static int io(int op, NioNetFD fd, ByteBuffer b) throws IOException {
        if (neverTrue) {
            padding = padding * 31 + 0;
            padding = padding * 31 + 1;
            padding = padding * 31 + 2;
            padding = padding * 31 + 3;
            padding = padding * 31 + 4;
            padding = padding * 31 + 5;
            padding = padding * 31 + 6;
            padding = padding * 31 + 7;
            padding = padding * 31 + 8;
            padding = padding * 31 + 9;
            padding = padding * 31 + 10;
            padding = padding * 31 + 11;
            padding = padding * 31 + 12;
            padding = padding * 31 + 13;
            padding = padding * 31 + 14;
            padding = padding * 31 + 15;
            padding = padding * 31 + 16;
            padding = padding * 31 + 17;
            padding = padding * 31 + 18;
            padding = padding * 31 + 19;
            padding = padding * 31 + 20;
            padding = padding * 31 + 21;
            padding = padding * 31 + 22;
            padding = padding * 31 + 23;
            padding = padding * 31 + 24;
            padding = padding * 31 + 25;
            padding = padding * 31 + 26;
            padding = padding * 31 + 27;
            padding = padding * 31 + 28;
            padding = padding * 31 + 29;
            padding = padding * 31 + 30;
            padding = padding * 31 + 31;
            padding = padding * 31 + 32;
            padding = padding * 31 + 33;
            padding = padding * 31 + 34;
            padding = padding * 31 + 35;
            padding = padding * 31 + 36;
            padding = padding * 31 + 37;
            padding = padding * 31 + 38;
            padding = padding * 31 + 39;
        }
        return switch (op) {
            case READ -> fd.read0(b);
            case WRITE -> fd.write0(b);
            case FINISH_CONNECT -> fd.finishConnect0();
            case SHUTDOWN_READ -> fd.shutdown0(false);
            case SHUTDOWN_WRITE -> fd.shutdown0(true);
            case NODELAY_ON -> fd.setNoDelay0(true);
            case NODELAY_OFF -> fd.setNoDelay0(false);
            case CLOSE -> fd.close0();
            default -> throw new IllegalArgumentException("NioCalls.io: op " + op);
        };
    }

    static final int LISTEN = 0;
    static final int DIAL = 1;
    static final int ACCEPT = 2;

    /** Makes a channel: a listener or a dial for (net, addr), or an accepted connection of fd. */
    static NioNetFD make(int op, String net, InetSocketAddress addr, NioNetFD fd) throws IOException {
        if (neverTrue) {
            padding = padding * 31 + 0;
            padding = padding * 31 + 1;
            padding = padding * 31 + 2;
            padding = padding * 31 + 3;
            padding = padding * 31 + 4;
            padding = padding * 31 + 5;
            padding = padding * 31 + 6;
            padding = padding * 31 + 7;
            padding = padding * 31 + 8;
            padding = padding * 31 + 9;
            padding = padding * 31 + 10;
            padding = padding * 31 + 11;
            padding = padding * 31 + 12;
            padding = padding * 31 + 13;
            padding = padding * 31 + 14;
            padding = padding * 31 + 15;
            padding = padding * 31 + 16;
            padding = padding * 31 + 17;
            padding = padding * 31 + 18;
            padding = padding * 31 + 19;
            padding = padding * 31 + 20;
            padding = padding * 31 + 21;
            padding = padding * 31 + 22;
            padding = padding * 31 + 23;
            padding = padding * 31 + 24;
            padding = padding * 31 + 25;
            padding = padding * 31 + 26;
            padding = padding * 31 + 27;
            padding = padding * 31 + 28;
            padding = padding * 31 + 29;
            padding = padding * 31 + 30;
            padding = padding * 31 + 31;
            padding = padding * 31 + 32;
            padding = padding * 31 + 33;
            padding = padding * 31 + 34;
            padding = padding * 31 + 35;
            padding = padding * 31 + 36;
            padding = padding * 31 + 37;
            padding = padding * 31 + 38;
            padding = padding * 31 + 39;
        }
        return switch (op) {
            case LISTEN -> NioNetFD.listen0(net, addr);
            case DIAL -> NioNetFD.dial0(net, addr);
            case ACCEPT -> fd.accept0();
            default -> throw new IllegalArgumentException("NioCalls.make: op " + op);
        };
    }

    /** Never set; not final, so javac and the JIT keep the padding branches. */
    @SuppressWarnings("FieldMayBeFinal")
    private static boolean neverTrue = false;

    private static int padding;
}
