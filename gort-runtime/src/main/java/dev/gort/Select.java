package dev.gort;

import dev.gort.internal.runtime.Hchan;
import dev.gort.internal.runtime.Selectgo;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code select}: waits on several channel operations and runs the one that can proceed; when
 * several can, one is chosen uniformly at random.
 *
 * <pre>{@code
 * Select.select(
 *     Select.recv(jobs, job -> handle(job)),
 *     Select.send(results, r, () -> sent++),
 *     Select.otherwise(() -> idle()));
 * }</pre>
 *
 * A case whose channel is {@code null} never fires (Go's nil-channel idiom). {@code select()} with
 * no cases blocks forever, as {@code select {}} does. A {@link Case} is immutable and may be built
 * once and passed to many selects.
 */
public final class Select {
    private Select() {}

    /** One case of a select. */
    public sealed interface Case permits Op {}

    // Kinds of Op. One class with a kind, not a record per kind: select dispatches on an int
    // instead of a pattern switch over classes (an invokedynamic type switch), twice per case.
    private static final int RECV = 0, RECV_OK = 1, SEND = 2, DEFAULT = 3;

    /** A case: its kind, channel (null: never fires), value to send, and callback. */
    private static final class Op implements Case {
        final int kind;
        final Hchan h;
        final Object value;
        final Object then;

        Op(int kind, Chan<?> ch, Object value, Object then) {
            this.kind = kind;
            this.h = ch != null ? ch.h : null;
            this.value = value;
            this.then = Objects.requireNonNull(then, "then");
        }
    }

    /** {@code case v := <-ch:}; v is null if the channel is closed. */
    public static <T> Case recv(Chan<T> ch, Consumer<? super T> then) {
        return new Op(RECV, ch, null, then);
    }

    /** {@code case v, ok := <-ch:}. */
    public static <T> Case recvOk(Chan<T> ch, BiConsumer<? super T, Boolean> then) {
        return new Op(RECV_OK, ch, null, then);
    }

    /** {@code case ch <- v:}; panics {@code send on closed channel} if chosen on a closed channel. */
    public static <T> Case send(Chan<T> ch, T value, Runnable then) {
        return new Op(SEND, ch, value, then);
    }

    /** {@code default:}: makes the select non-blocking. */
    public static Case otherwise(Runnable then) {
        return new Op(DEFAULT, null, null, then);
    }

    /**
     * Blocks until one case can proceed, performs it, runs its callback, and returns its index in
     * {@code cases}.
     *
     * @throws IllegalArgumentException if there is more than one {@code otherwise} case
     * @throws Panic {@code send on closed channel}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int select(Case... cases) {
        int n = Objects.requireNonNull(cases, "cases").length;
        if (n == 0) {
            Selectgo.block();
            throw new AssertionError("select {} returned");
        }
        // Check the cases before touching the goroutine's select arrays, so a bad call leaves
        // nothing in them.
        int dflt = -1;
        for (int i = 0; i < n; i++) {
            Case k = cases[i];
            if (k == null) {
                throw new NullPointerException("cases[" + i + "]");
            }
            if (((Op) k).kind == DEFAULT) {
                if (dflt >= 0) {
                    throw new IllegalArgumentException("select: multiple defaults");
                }
                dflt = i;
            }
        }
        Selectgo.Scratch sc = Selectgo.scratch(n);
        Hchan[] c = sc.c;
        for (int i = 0; i < n; i++) {
            Op k = (Op) cases[i];
            c[i] = k.h; // null for a default (and a nil channel): selectgo never picks it
            if (k.kind == SEND) {
                sc.send[i] = true;
                sc.sendv[i] = k.value;
            }
        }
        int i = Selectgo.selectgo(sc, n, dflt < 0);
        if (i < 0) {
            ((Runnable) ((Op) cases[dflt]).then).run();
            return dflt;
        }
        Object v = sc.recv; // before the callback, whose own selects reuse sc
        sc.recv = null;
        Op k = (Op) cases[i];
        switch (k.kind) {
            case RECV -> ((Consumer) k.then).accept(v == Hchan.CLOSED ? null : v);
            case RECV_OK -> ((BiConsumer) k.then).accept(v == Hchan.CLOSED ? null : v, v != Hchan.CLOSED);
            case SEND -> ((Runnable) k.then).run();
            default -> throw new AssertionError();
        }
        return i;
    }
}
