package dev.gort.stress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Panic;
import dev.gort.Received;
import dev.gort.Select;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closes racing blocked senders, receivers and selects. Senders never stop by themselves: each one
 * sends unique values (plain send, trySend, select with one to three send cases, with or without a
 * default or a nil case) until it gets {@code send on closed channel}. Receivers receive until each
 * of their channels is closed. When the receivers have taken a threshold of values, a trigger
 * channel is closed, and closers (goroutines and threads, two for some channels) close every
 * channel at once, while many senders and some receivers are blocked.
 *
 * <p>Checks, none of them timing-dependent: every operation returns exactly once; every sender ends
 * with exactly one panic, with Go's text; the values whose send returned normally are exactly the
 * values received (none lost, none duplicated, none invented), buffered ones included; receivers of
 * a channel nobody sends on all see {@code ok == false}; each channel is closed exactly once and a
 * second close panics {@code close of closed channel}; no goroutine is left behind.
 *
 * <p>Liveness before the close: a sender may block on any one channel, so a receiver blocks only
 * in one select over all its open channels (or a plain receive when it has a single channel).
 */
class ChanCloseRaceStressTest extends StressBase {

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @ValueSource(ints = {1, 2, 4})
    void closeRacesBlockedSendersReceiversAndSelects(int procs) {
        long seed = Stress.seed();
        Stress.withGomaxprocs(procs, () -> {
            int baseline = Go.numGoroutine();
            SplittableRandom rnd = new SplittableRandom(seed);
            int rounds = Stress.scaled(200);
            for (int r = 0; r < rounds; r++) {
                new Round("close race GOMAXPROCS=" + procs + " seed=" + seed + " round=" + r, rnd.split(), errors).run();
            }
            Stress.assertNoGoroutineLeftBehind(baseline, "close race GOMAXPROCS=" + procs + " seed=" + seed);
        });
    }

    /** A growable int list written by one actor, read by the test thread after the crew is done. */
    private static final class Ints {
        int[] a = new int[64];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    private static final class Round {
        static final int SENDERS = 10;
        static final int RECEIVERS = 7;
        static final int QUIET = 5;
        static final int THRESHOLD = 400;
        static final String SEND_CLOSED = "send on closed channel";
        static final String CLOSE_CLOSED = "close of closed channel";

        final String name;
        final SplittableRandom rnd;
        final Stress.Errors errors;
        final List<Chan<Integer>> chans = new ArrayList<>();
        /** Nobody sends on it: its receivers are all woken by the close. */
        final Chan<Integer> quiet;
        /** Closed (once) by the receiver that takes the THRESHOLD-th value. */
        final Chan<Object> trigger = Chan.make();
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger senderPanics = new AtomicInteger();
        final AtomicInteger quietClosedSeen = new AtomicInteger();
        final AtomicIntegerArray closes;
        final AtomicIntegerArray closePanics;
        final Ints[] sent = new Ints[SENDERS];
        final Ints[] got = new Ints[RECEIVERS];

        Round(String name, SplittableRandom rnd, Stress.Errors errors) {
            this.name = name;
            this.rnd = rnd;
            this.errors = errors;
            int[] caps = {0, 0, 1, 3};
            for (int c : caps) {
                chans.add(Chan.make(c));
            }
            Collections.shuffle(chans, new Random(rnd.nextLong()));
            quiet = Chan.make(rnd.nextBoolean() ? 0 : 2);
            closes = new AtomicIntegerArray(chans.size() + 1);
            closePanics = new AtomicIntegerArray(chans.size() + 1);
        }

        Chan<Integer> chanAt(int i) {
            return i < chans.size() ? chans.get(i) : quiet;
        }

        void run() {
            Stress.Crew crew = new Stress.Crew(errors);
            for (int s = 0; s < SENDERS; s++) {
                int id = s;
                Ints mine = sent[s] = new Ints();
                SplittableRandom r = rnd.split();
                crew.add("sender-" + s, s % 5 != 4, g -> send(g, id, mine, r));
            }
            for (int k = 0; k < RECEIVERS; k++) {
                // Every channel has at least one receiver (the first of each list).
                List<Chan<Integer>> ins = new ArrayList<>(chans);
                Chan<Integer> first = chans.get(k % chans.size());
                ins.remove(first);
                Collections.shuffle(ins, new Random(rnd.nextLong()));
                ins = new ArrayList<>(ins.subList(0, rnd.nextInt(3)));
                ins.add(0, first);
                Ints mine = got[k] = new Ints();
                SplittableRandom r = rnd.split();
                List<Chan<Integer>> in = ins;
                crew.add("receiver-" + k, k != 2, g -> receive(g, in, mine, r));
            }
            for (int q = 0; q < QUIET; q++) {
                int kind = q;
                crew.add("quiet-" + q, q != 4, g -> quietReceive(kind));
            }
            for (int i = 0; i <= chans.size(); i++) {
                int idx = i;
                crew.add("closer-" + i, true, g -> close(idx));
                if (i % 2 == 0) {
                    crew.add("closer-" + i + "-again", i % 4 != 0, g -> close(idx));
                }
            }
            crew.runAndAwait(name);
            errors.check(name);

            assertEquals(SENDERS, senderPanics.get(), name + ": every sender ends with one panic");
            assertEquals(QUIET, quietClosedSeen.get(), name + ": every receiver of the quiet channel saw the close");
            for (int i = 0; i <= chans.size(); i++) {
                assertEquals(1, closes.get(i), name + ": channel " + i + " closed once");
                assertEquals(i % 2 == 0 ? 1 : 0, closePanics.get(i), name + ": the second close of channel " + i + " panicked");
                assertEquals(0, chanAt(i).len(), name + ": channel " + i + " drained");
                assertEquals(new Received<Integer>(null, false), chanAt(i).tryRecv(), name);
            }
            int[] delivered = flatten(sent);
            int[] taken = flatten(got);
            Arrays.sort(delivered);
            Arrays.sort(taken);
            for (int i = 1; i < taken.length; i++) {
                if (taken[i] == taken[i - 1]) {
                    throw new AssertionError(name + ": value " + taken[i] + " received twice");
                }
            }
            if (!Arrays.equals(delivered, taken)) {
                throw new AssertionError(name + ": " + delivered.length + " values delivered, " + taken.length
                        + " received; first difference: " + firstDifference(delivered, taken));
            }
            assertArrayEquals(delivered, taken);
            assertTrue(taken.length >= THRESHOLD, name + ": the threshold was reached before the close");
        }

        static int[] flatten(Ints[] lists) {
            int n = 0;
            for (Ints l : lists) {
                n += l.n;
            }
            int[] out = new int[n];
            int k = 0;
            for (Ints l : lists) {
                System.arraycopy(l.a, 0, out, k, l.n);
                k += l.n;
            }
            return out;
        }

        static String firstDifference(int[] a, int[] b) {
            int i = 0;
            while (i < a.length && i < b.length && a[i] == b[i]) {
                i++;
            }
            return "delivered[" + i + "]=" + (i < a.length ? a[i] : "none") + ", received[" + i + "]="
                    + (i < b.length ? b[i] : "none");
        }

        // ------------------------------------------------------------ actors

        void send(boolean g, int id, Ints mine, SplittableRandom r) {
            int seq = 0;
            Object[] ignored = new Object[1];
            for (;;) {
                int v = id * 10_000_000 + seq;
                boolean delivered;
                try {
                    Chan<Integer> ch = chans.get(r.nextInt(chans.size()));
                    switch (r.nextInt(6)) {
                        case 0, 1 -> {
                            ch.send(v);
                            delivered = true;
                        }
                        case 2 -> {
                            delivered = ch.trySend(v);
                        }
                        case 3 -> {
                            // Blocking select offering v on one to three channels, maybe a nil case.
                            List<Select.Case> cases = new ArrayList<>();
                            int[] fired = new int[1];
                            List<Chan<Integer>> pool = new ArrayList<>(chans);
                            Collections.shuffle(pool, new Random(r.nextLong()));
                            for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
                                cases.add(Select.send(pool.get(k), v, () -> fired[0]++));
                            }
                            if (r.nextBoolean()) {
                                cases.add(Select.recv((Chan<Integer>) null, x -> fired[0] += 100));
                            }
                            Select.select(cases.toArray(Select.Case[]::new));
                            if (fired[0] != 1) {
                                errors.fail("sender-" + id, "send callbacks run: " + fired[0]);
                            }
                            delivered = true;
                        }
                        case 4 -> {
                            // Non-blocking select: the send case or the default.
                            int i = Select.select(Select.send(ch, v, () -> {}), Select.otherwise(() -> {}));
                            delivered = i == 0;
                        }
                        default -> {
                            // A send racing a receive on the quiet channel, which only closes.
                            ignored[0] = "unset";
                            int i = Select.select(Select.send(ch, v, () -> {}),
                                    Select.recvOk(quiet, (x, ok) -> ignored[0] = ok));
                            delivered = i == 0;
                            if (i == 1 && !Boolean.FALSE.equals(ignored[0])) {
                                errors.fail("sender-" + id, "the quiet channel delivered " + ignored[0]);
                            }
                        }
                    }
                } catch (Panic p) {
                    if (!SEND_CLOSED.equals(p.getMessage())) {
                        errors.add("sender-" + id, p);
                    }
                    senderPanics.incrementAndGet();
                    return;
                }
                if (delivered) {
                    mine.add(v);
                    seq++;
                } else {
                    Stress.yieldNow(g);
                }
            }
        }

        void took(Integer v, Ints mine) {
            if (v == null) {
                errors.fail("receiver", "received null with ok == true (nobody sends null)");
                return;
            }
            mine.add(v);
            if (received.incrementAndGet() == THRESHOLD) {
                trigger.close();
            }
        }

        void receive(boolean g, List<Chan<Integer>> ins, Ints mine, SplittableRandom r) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Chan<Integer>[] in = ins.toArray(new Chan[0]);
            int open = in.length;
            Object[] rv = new Object[1];
            boolean[] rok = new boolean[1];
            while (open > 0) {
                int op = r.nextInt(5);
                if (op == 0 && open == 1) {
                    // Plain blocking receive when this is the only open channel.
                    int k = 0;
                    while (in[k] == null) {
                        k++;
                    }
                    Received<Integer> x = in[k].recvOk();
                    if (x.ok()) {
                        took(x.value(), mine);
                    } else {
                        in[k] = null;
                        open--;
                    }
                    continue;
                }
                if (op == 1) {
                    // tryRecv on one open channel.
                    int k = r.nextInt(in.length);
                    while (in[k] == null) {
                        k = (k + 1) % in.length;
                    }
                    Received<Integer> x = in[k].tryRecv();
                    if (x == null) {
                        Stress.yieldNow(g);
                    } else if (x.ok()) {
                        took(x.value(), mine);
                    } else {
                        in[k] = null;
                        open--;
                    }
                    continue;
                }
                // A select over all channels (closed ones as nil), with a default one time in four.
                List<Select.Case> cases = new ArrayList<>();
                for (Chan<Integer> c : in) {
                    cases.add(Select.recvOk(c, (x, ok) -> {
                        rv[0] = x;
                        rok[0] = ok;
                    }));
                }
                boolean dflt = op == 2;
                if (dflt) {
                    cases.add(Select.otherwise(() -> {}));
                }
                int i = Select.select(cases.toArray(Select.Case[]::new));
                if (dflt && i == in.length) {
                    Stress.yieldNow(g);
                } else if (i < 0 || i >= in.length || in[i] == null) {
                    errors.fail("receiver", "select returned case " + i + " that cannot fire");
                    return;
                } else if (rok[0]) {
                    took((Integer) rv[0], mine);
                } else {
                    in[i] = null;
                    open--;
                }
            }
        }

        void quietReceive(int kind) {
            boolean[] seen = new boolean[1];
            switch (kind % 4) {
                case 0 -> seen[0] = !quiet.recvOk().ok();
                case 1 -> seen[0] = quiet.recv() == null;
                case 2 -> seen[0] = !quiet.iterator().hasNext();
                default -> Select.select(Select.recvOk(quiet, (x, ok) -> seen[0] = !ok),
                        Select.recv((Chan<Integer>) null, x -> {}));
            }
            if (seen[0]) {
                quietClosedSeen.incrementAndGet();
            } else {
                errors.fail("quiet-" + kind, "received a value nobody sent");
            }
        }

        void close(int i) {
            trigger.recv(); // blocks until the trigger is closed
            try {
                chanAt(i).close();
                closes.incrementAndGet(i);
            } catch (Panic p) {
                if (CLOSE_CLOSED.equals(p.getMessage())) {
                    closePanics.incrementAndGet(i);
                } else {
                    errors.add("closer-" + i, p);
                }
            }
        }
    }
}
