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
    public sealed interface Case permits RecvCase, RecvOkCase, SendCase, DefaultCase {}

    private record RecvCase<T>(Chan<T> ch, Consumer<? super T> then) implements Case {}

    private record RecvOkCase<T>(Chan<T> ch, BiConsumer<? super T, Boolean> then) implements Case {}

    private record SendCase<T>(Chan<T> ch, T value, Runnable then) implements Case {}

    private record DefaultCase(Runnable then) implements Case {}

    /** {@code case v := <-ch:}; v is null if the channel is closed. */
    public static <T> Case recv(Chan<T> ch, Consumer<? super T> then) {
        return new RecvCase<>(ch, Objects.requireNonNull(then, "then"));
    }

    /** {@code case v, ok := <-ch:}. */
    public static <T> Case recvOk(Chan<T> ch, BiConsumer<? super T, Boolean> then) {
        return new RecvOkCase<>(ch, Objects.requireNonNull(then, "then"));
    }

    /** {@code case ch <- v:}; panics {@code send on closed channel} if chosen on a closed channel. */
    public static <T> Case send(Chan<T> ch, T value, Runnable then) {
        return new SendCase<>(ch, value, Objects.requireNonNull(then, "then"));
    }

    /** {@code default:}: makes the select non-blocking. */
    public static Case otherwise(Runnable then) {
        return new DefaultCase(Objects.requireNonNull(then, "then"));
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
            if (k instanceof DefaultCase) {
                if (dflt >= 0) {
                    throw new IllegalArgumentException("select: multiple defaults");
                }
                dflt = i;
            }
        }
        Selectgo.Scratch sc = Selectgo.scratch(n);
        Hchan[] c = sc.c;
        for (int i = 0; i < n; i++) {
            switch (cases[i]) {
                case RecvCase r -> c[i] = r.ch() != null ? r.ch().h : null;
                case RecvOkCase r -> c[i] = r.ch() != null ? r.ch().h : null;
                case SendCase s -> {
                    c[i] = s.ch() != null ? s.ch().h : null;
                    sc.send[i] = true;
                    sc.sendv[i] = s.value();
                }
                case DefaultCase d -> {
                    // a default has no channel: c[i] stays null, so selectgo never picks it
                }
            }
        }
        int i = Selectgo.selectgo(sc, n, dflt < 0);
        if (i < 0) {
            ((DefaultCase) cases[dflt]).then().run();
            return dflt;
        }
        Object v = sc.recv; // before the callback, whose own selects reuse sc
        sc.recv = null;
        switch (cases[i]) {
            case RecvCase r -> ((Consumer) r.then()).accept(v == Hchan.CLOSED ? null : v);
            case RecvOkCase r -> ((BiConsumer) r.then()).accept(v == Hchan.CLOSED ? null : v, v != Hchan.CLOSED);
            case SendCase s -> s.then().run();
            case DefaultCase d -> throw new AssertionError();
        }
        return i;
    }
}
