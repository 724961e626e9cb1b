package dev.gort;

import dev.gort.internal.runtime.Hchan;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * {@code chan T}: a typed conduit between goroutines, with Go's semantics: unbuffered channels hand
 * each value directly from a sender to a receiver; buffered ones hold up to {@link #cap()} values
 * in FIFO order; a closed channel delivers what is buffered, then {@code null}/{@code ok == false}.
 *
 * <p>Usable from goroutines and plain Java threads alike: a goroutine that blocks parks and frees
 * its thread; a plain thread blocks itself. Goroutines and threads can meet on one channel.
 *
 * <pre>{@code
 * Chan<String> ch = Chan.make();
 * Go.go(() -> ch.send("ping"));
 * String v = ch.recv();
 * }</pre>
 */
public final class Chan<T> implements Iterable<T> {
    static {
        dev.gort.internal.runtime.ChanAccess.install(Chan::new);
    }

    final Hchan h;

    private Chan(Hchan h) {
        this.h = h;
    }

    /** {@code make(chan T)}: an unbuffered channel. */
    public static <T> Chan<T> make() {
        return new Chan<>(Hchan.makechan(0));
    }

    /**
     * {@code make(chan T, cap)}.
     *
     * @throws Panic {@code makechan: size out of range} when cap is negative, or larger than a buffer
     *     the heap could ever hold: {@code min(Integer.MAX_VALUE - 8, Runtime.maxMemory() / 4)}
     *     slots (a slot is a reference of 4 bytes or more). Refused before allocating, so a huge
     *     cap never ends in an OutOfMemoryError.
     */
    public static <T> Chan<T> make(int cap) {
        return new Chan<>(Hchan.makechan(cap));
    }

    /**
     * {@code ch <- v}: blocks until a receiver takes v or the buffer has room.
     *
     * @throws Panic {@code send on closed channel}
     */
    public void send(T v) {
        h.chansend(v, true);
    }

    /** {@code <-ch}: blocks until a value arrives; {@code null} once the channel is closed and drained. */
    @SuppressWarnings("unchecked")
    public T recv() {
        Object v = h.chanrecv(true);
        return v == Hchan.CLOSED ? null : (T) v;
    }

    /** {@code v, ok := <-ch}. */
    @SuppressWarnings("unchecked")
    public Received<T> recvOk() {
        Object v = h.chanrecv(true);
        return v == Hchan.CLOSED ? new Received<>(null, false) : new Received<>((T) v, true);
    }

    /**
     * {@code select { case ch <- v: default: }}: sends only if that can happen now.
     *
     * @throws Panic {@code send on closed channel}
     */
    public boolean trySend(T v) {
        return h.chansend(v, false);
    }

    /**
     * {@code select { case v, ok := <-ch: default: }}: receives only if that can happen now;
     * {@code null} when nothing is ready (a closed, drained channel is "ready": ok == false).
     */
    @SuppressWarnings("unchecked")
    public Received<T> tryRecv() {
        Object v = h.chanrecv(false);
        if (v == Hchan.NOT_READY) {
            return null;
        }
        return v == Hchan.CLOSED ? new Received<>(null, false) : new Received<>((T) v, true);
    }

    /**
     * {@code close(ch)}: no more values will be sent; blocked receivers get {@code null, false},
     * blocked senders panic.
     *
     * @throws Panic {@code close of closed channel}
     */
    public void close() {
        h.closechan();
    }

    /** {@code len(ch)}: values buffered now. */
    public int len() {
        return h.len();
    }

    /** {@code cap(ch)}: the buffer's size. */
    public int cap() {
        return h.cap();
    }

    /**
     * {@code for v := range ch}: {@code hasNext()} blocks until a value arrives or the channel is
     * closed and drained; {@code next()} after that throws {@link NoSuchElementException}.
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private Object next;
            private boolean fetched;

            @Override
            public boolean hasNext() {
                if (!fetched) {
                    next = h.chanrecv(true);
                    fetched = true;
                }
                return next != Hchan.CLOSED;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel closed");
                }
                fetched = false;
                T v = (T) next;
                next = null;
                return v;
            }
        };
    }

    @Override
    public String toString() {
        return "chan(len " + h.len() + ", cap " + h.cap() + ")";
    }
}
