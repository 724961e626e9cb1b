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
            // 80 array stores: about 480 bytes of bytecode, more than FreqInlineSize.
            padding += java.util.Arrays.hashCode(new int[] {
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
                40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
                60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79});
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
            // 80 array stores: about 480 bytes of bytecode, more than FreqInlineSize.
            padding += java.util.Arrays.hashCode(new int[] {
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
                40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
                60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79});
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
