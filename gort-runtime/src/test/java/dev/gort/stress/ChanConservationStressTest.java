package dev.gort.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Panic;
import dev.gort.Received;
import dev.gort.Select;
import dev.gort.sync.WaitGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conservation under random traffic: goroutines and plain threads send uniquely numbered values over
 * a mix of unbuffered and buffered channels, and receive them through every receiving operation
 * (recv, recvOk, the iterator, tryRecv, select with recv/recvOk/send/nil/default cases). At the end
 * every value was received exactly once, no operation panicked, every channel is closed and empty,
 * and no goroutine is left behind.
 *
 * <p>Topology (random, from a logged seed): stage-0 and stage-1 channels; direct producers send to
 * one or several channels of either stage; forwarders receive from stage-0 channels and either
 * keep a value (it is received) or forward it to a stage-1 channel through a select send case;
 * sinks receive from stage-1 channels. A channel is closed by its own closer once every producer of
 * it (direct producers and the forwarders feeding it) is done, so a send on a closed channel can
 * only be a runtime bug.
 *
 * <p>Why it cannot deadlock (so a hang is a bug): a producer that blocks always offers its value
 * on every channel it produces for (one select with a send case each), or uses a plain send when
 * it has only one channel; consumers may block on any of their inputs. A blocked receiver on an
 * open channel X then always has a partner: X's unfinished producers are either running, blocked
 * offering to X (impossible at the same time for a correct channel), or forwarders blocked on an
 * open stage-0 input whose producers offer to it.
 */
class ChanConservationStressTest extends StressBase {

    /** GOMAXPROCS 1, 2, 4, and 0: changing between 1 and 4 all along (stop the world, move Gs). */
    @ParameterizedTest(name = "GOMAXPROCS={0} (0: changing 1..4)")
    @ValueSource(ints = {1, 2, 4, 0})
    void everyValueReceivedExactlyOnce(int procs) {
        Stress.withGomaxprocs(procs == 0 ? 2 : procs, () -> new Scenario(Stress.seed(), procs, errors).run());
    }

    /** One run of the topology. */
    private static final class Scenario {
        final long seed;
        final boolean resizing;
        final String name;
        final Stress.Errors errors;
        final SplittableRandom topo;

        final List<Chan<Integer>> stage0 = new ArrayList<>();
        final List<Chan<Integer>> stage1 = new ArrayList<>();
        final List<Chan<Integer>> all = new ArrayList<>();
        /** Per channel: its producers (direct ones and forwarders); the closer waits for them. */
        final List<WaitGroup> producersOf = new ArrayList<>();

        final int producers;
        final int perProducer;
        final int total;
        final AtomicIntegerArray got;
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicLong sends = new AtomicLong();
        final AtomicLong receives = new AtomicLong();
        final AtomicLong forwards = new AtomicLong();
        final AtomicLong selects = new AtomicLong();
        final AtomicLong defaults = new AtomicLong();

        Scenario(long seed, int procs, Stress.Errors errors) {
            this.seed = seed;
            this.resizing = procs == 0;
            this.name = "conservation GOMAXPROCS=" + (resizing ? "1..4 (changing)" : procs) + " seed=" + seed;
            this.errors = errors;
            this.topo = new SplittableRandom(seed);
            this.producers = 14;
            this.perProducer = Stress.scaled(15000);
            this.total = producers * perProducer;
            this.got = new AtomicIntegerArray(total);
        }

        Chan<Integer> newChan(List<Chan<Integer>> stage, int cap) {
            Chan<Integer> ch = Chan.make(cap);
            stage.add(ch);
            all.add(ch);
            producersOf.add(new WaitGroup());
            return ch;
        }

        int indexOf(Chan<Integer> ch) {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i) == ch) {
                    return i;
                }
            }
            throw new AssertionError();
        }

        /** k distinct channels from pool, the first one given. */
        List<Chan<Integer>> pick(List<Chan<Integer>> pool, Chan<Integer> first, int k) {
            List<Chan<Integer>> shuffled = new ArrayList<>(pool);
            shuffled.remove(first);
            Collections.shuffle(shuffled, new java.util.Random(topo.nextLong()));
            List<Chan<Integer>> out = new ArrayList<>();
            out.add(first);
            for (int i = 0; out.size() < k && i < shuffled.size(); i++) {
                out.add(shuffled.get(i));
            }
            return out;
        }

        void run() {
            int baseline = Go.numGoroutine();
            // Channels: both stages mix unbuffered and buffered ones.
            int[] caps0 = {0, 1, 0, 4, 32, 0};
            int[] caps1 = {0, 2, 0, 16};
            for (int c : caps0) {
                newChan(stage0, c);
            }
            for (int c : caps1) {
                newChan(stage1, c);
            }
            Stress.Crew crew = new Stress.Crew(errors);

            // Direct producers: 12 goroutines and 2 plain threads; half of them single-channel.
            for (int p = 0; p < producers; p++) {
                List<Chan<Integer>> pool = topo.nextInt(4) == 0 ? all : stage0;
                Chan<Integer> first = pool.get(p % pool.size());
                List<Chan<Integer>> outs = topo.nextBoolean() ? List.of(first) : pick(pool, first, 2 + topo.nextInt(2));
                for (Chan<Integer> ch : outs) {
                    producersOf.get(indexOf(ch)).add(1);
                }
                int id = p;
                long s = topo.nextLong();
                crew.add("producer-" + p, p >= 12 ? false : true, g -> produce(g, id, outs, new SplittableRandom(s)));
            }
            // Forwarders: every stage-0 channel has one; 6 goroutines, 1 plain thread.
            int forwarders = 7;
            for (int f = 0; f < forwarders; f++) {
                List<Chan<Integer>> ins = pick(stage0, stage0.get(f % stage0.size()), 1 + topo.nextInt(3));
                List<Chan<Integer>> outs = pick(stage1, stage1.get(topo.nextInt(stage1.size())), 1 + topo.nextInt(2));
                for (Chan<Integer> ch : outs) {
                    producersOf.get(indexOf(ch)).add(1);
                }
                long s = topo.nextLong();
                crew.add("forwarder-" + f, f != 3, g -> consume(g, ins, outs, new SplittableRandom(s)));
            }
            // Sinks: every stage-1 channel has one; 4 goroutines, 1 plain thread.
            for (int k = 0; k < 5; k++) {
                List<Chan<Integer>> ins = pick(stage1, stage1.get(k % stage1.size()), 1 + topo.nextInt(3));
                long s = topo.nextLong();
                crew.add("sink-" + k, k != 1, g -> consume(g, ins, List.of(), new SplittableRandom(s)));
            }
            // Closers: one per channel, once all its producers are done; a few are plain threads.
            for (int i = 0; i < all.size(); i++) {
                Chan<Integer> ch = all.get(i);
                WaitGroup wg = producersOf.get(i);
                crew.add("closer-" + i, i % 4 != 2, g -> {
                    wg.await();
                    ch.close();
                });
            }

            Stress.Resizer resizer = resizing ? Stress.Resizer.start() : null;
            try {
                crew.runAndAwait(name);
            } finally {
                if (resizer != null) {
                    resizer.stop();
                }
            }
            errors.check(name);

            assertEquals(0, duplicates.get(), name + ": values received more than once");
            int lost = 0;
            int firstLost = -1;
            for (int v = 0; v < total; v++) {
                if (got.get(v) == 0) {
                    if (firstLost < 0) {
                        firstLost = v;
                    }
                    lost++;
                }
            }
            assertEquals(0, lost, name + ": values lost (first: producer " + (firstLost < 0 ? -1 : firstLost / perProducer)
                    + " seq " + (firstLost < 0 ? -1 : firstLost % perProducer) + ")");
            assertEquals(total, sends.get(), name + ": sends");
            assertEquals(total, receives.get(), name + ": receives");
            for (Chan<Integer> ch : all) {
                assertEquals(0, ch.len(), name + ": a closed channel still holds values");
                assertEquals(new Received<Integer>(null, false), ch.tryRecv(), name + ": channel closed and drained");
            }
            assertTrue(selects.get() > 0 && forwards.get() > 0, name + ": the scenario exercised selects and forwarding");
            Stress.assertNoGoroutineLeftBehind(baseline, name);
        }

        // ------------------------------------------------------------ producers

        void produce(boolean g, int id, List<Chan<Integer>> outs, SplittableRandom rnd) {
            try {
                for (int seq = 0; seq < perProducer; seq++) {
                    int v = id * perProducer + seq;
                    if (outs.size() == 1) {
                        sendOne(g, outs.get(0), v, rnd);
                    } else {
                        offerAll(g, outs, v, rnd);
                    }
                    sends.incrementAndGet();
                }
            } catch (Panic p) {
                errors.add("producer-" + id, p); // nobody closes a channel before its producers are done
            } finally {
                for (Chan<Integer> ch : outs) {
                    producersOf.get(indexOf(ch)).done();
                }
            }
        }

        /** Sends v on a producer's only channel, by one of several equivalent means. */
        void sendOne(boolean g, Chan<Integer> ch, int v, SplittableRandom rnd) {
            switch (rnd.nextInt(5)) {
                case 0, 1 -> ch.send(v);
                case 2 -> {
                    for (int tries = 0; tries < 3; tries++) {
                        if (ch.trySend(v)) {
                            return;
                        }
                        Stress.yieldNow(g);
                    }
                    ch.send(v);
                }
                case 3 -> {
                    boolean[] dflt = new boolean[1];
                    int i = Select.select(Select.send(ch, v, () -> {}), Select.otherwise(() -> dflt[0] = true));
                    if (i == 1) {
                        defaults.incrementAndGet();
                        assertTrue(dflt[0]);
                        ch.send(v);
                    }
                    selects.incrementAndGet();
                }
                default -> {
                    // A nil-channel case in a blocking select never fires.
                    int i = Select.select(Select.send((Chan<Integer>) null, -1, () -> {}), Select.send(ch, v, () -> {}),
                            Select.recv((Chan<Integer>) null, x -> errors.fail("nil recv", "fired")));
                    if (i != 1) {
                        errors.fail("producer", "a nil-channel case fired: " + i);
                    }
                    selects.incrementAndGet();
                }
            }
        }

        /** Offers v on every channel of outs in one select (so a blocked producer has no favourite). */
        void offerAll(boolean g, List<Chan<Integer>> outs, int v, SplittableRandom rnd) {
            boolean nonBlockingFirst = rnd.nextInt(3) == 0;
            int n = outs.size();
            List<Select.Case> cases = new ArrayList<>();
            int[] fired = new int[1];
            for (int k = 0; k < n; k++) {
                cases.add(Select.send(outs.get(k), v, () -> fired[0]++));
            }
            if (rnd.nextBoolean()) {
                cases.add(rnd.nextInt(cases.size() + 1), Select.recv((Chan<Integer>) null, x -> fired[0] += 100));
            }
            Collections.shuffle(cases, new java.util.Random(rnd.nextLong()));
            if (nonBlockingFirst) {
                List<Select.Case> withDefault = new ArrayList<>(cases);
                withDefault.add(Select.otherwise(() -> {}));
                for (int tries = 0; tries < 2; tries++) {
                    int i = Select.select(withDefault.toArray(Select.Case[]::new));
                    selects.incrementAndGet();
                    if (i != withDefault.size() - 1) {
                        checkFired(fired[0]);
                        return;
                    }
                    defaults.incrementAndGet();
                    Stress.yieldNow(g);
                }
            }
            Select.select(cases.toArray(Select.Case[]::new));
            selects.incrementAndGet();
            checkFired(fired[0]);
        }

        void checkFired(int fired) {
            if (fired != 1) {
                errors.fail("select", "expected exactly one send callback, got " + fired);
            }
        }

        // ------------------------------------------------------------ consumers

        void record(int v) {
            if (v < 0 || v >= total) {
                errors.fail("consumer", "received a value never sent: " + v);
                return;
            }
            if (got.getAndIncrement(v) != 0) {
                duplicates.incrementAndGet();
                errors.fail("consumer", "value received twice: " + v);
            }
            receives.incrementAndGet();
        }

        /**
         * Receives from ins until all are closed. A forwarder (outs non-empty) keeps about half of
         * its values and forwards the rest; it blocks only with an open input in the same operation
         * or offering to all its outputs.
         */
        void consume(boolean g, List<Chan<Integer>> insList, List<Chan<Integer>> outs, SplittableRandom rnd) {
            try {
                consume0(g, insList, outs, rnd);
            } finally {
                for (Chan<Integer> ch : outs) {
                    producersOf.get(indexOf(ch)).done();
                }
            }
        }

        private void consume0(boolean g, List<Chan<Integer>> insList, List<Chan<Integer>> outs, SplittableRandom rnd) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Chan<Integer>[] in = insList.toArray(new Chan[0]);
            int open = in.length;
            boolean forwarder = !outs.isEmpty();
            ArrayDeque<Integer> pending = new ArrayDeque<>();
            Object[] rv = new Object[1];
            boolean[] rok = new boolean[1];
            while (open > 0 || !pending.isEmpty()) {
                if (open == 0 || pending.size() >= 16) {
                    int v = pending.poll();
                    if (outs.size() == 1) {
                        outs.get(0).send(v);
                    } else {
                        offerAll(g, outs, v, rnd);
                    }
                    forwards.incrementAndGet();
                    continue;
                }
                int k = randomOpen(in, rnd);
                Chan<Integer> ch = in[k];
                int op = rnd.nextInt(8);
                switch (op) {
                    case 0 -> {
                        Received<Integer> r = ch.recvOk();
                        if (r.ok()) {
                            handle(r.value(), forwarder, pending, rnd);
                        } else {
                            in[k] = null;
                            open--;
                        }
                    }
                    case 1 -> {
                        Integer v = ch.recv(); // values are never null: null means closed
                        if (v != null) {
                            handle(v, forwarder, pending, rnd);
                        } else {
                            in[k] = null;
                            open--;
                        }
                    }
                    case 2 -> {
                        Iterator<Integer> it = ch.iterator();
                        if (it.hasNext()) {
                            handle(it.next(), forwarder, pending, rnd);
                        } else {
                            in[k] = null;
                            open--;
                        }
                    }
                    case 3 -> {
                        Received<Integer> r = ch.tryRecv();
                        if (r == null) {
                            Stress.yieldNow(g);
                        } else if (r.ok()) {
                            handle(r.value(), forwarder, pending, rnd);
                        } else {
                            in[k] = null;
                            open--;
                        }
                    }
                    default -> {
                        // A select over every input (closed ones as nil channels), maybe a send of the
                        // oldest pending value to one output, maybe a nil case, maybe a default.
                        List<Select.Case> cases = new ArrayList<>();
                        int[] caseInput = new int[in.length + 3];
                        int sendCase = -1;
                        int dfltCase = -1;
                        for (int i = 0; i < in.length; i++) {
                            caseInput[cases.size()] = i;
                            if (rnd.nextBoolean()) {
                                cases.add(Select.recvOk(in[i], (x, ok) -> {
                                    rv[0] = x;
                                    rok[0] = ok;
                                }));
                            } else {
                                cases.add(Select.recv(in[i], x -> {
                                    rv[0] = x;
                                    rok[0] = x != null;
                                }));
                            }
                        }
                        if (forwarder && !pending.isEmpty()) {
                            sendCase = cases.size();
                            cases.add(Select.send(outs.get(rnd.nextInt(outs.size())), pending.peek(), () -> {}));
                        }
                        if (rnd.nextInt(4) == 0) {
                            caseInput[cases.size()] = -1;
                            cases.add(Select.recvOk((Chan<Integer>) null, (x, ok) -> errors.fail("select", "nil case fired")));
                        }
                        if (rnd.nextInt(4) == 0) {
                            dfltCase = cases.size();
                            cases.add(Select.otherwise(() -> {}));
                        }
                        rv[0] = null;
                        rok[0] = false;
                        int i = Select.select(cases.toArray(Select.Case[]::new));
                        selects.incrementAndGet();
                        if (i == dfltCase) {
                            defaults.incrementAndGet();
                            Stress.yieldNow(g);
                        } else if (i == sendCase) {
                            pending.poll();
                            forwards.incrementAndGet();
                        } else if (i < 0 || i >= cases.size() || caseInput[i] < 0 || in[caseInput[i]] == null) {
                            errors.fail("select", "returned case " + i + " that cannot fire");
                            return;
                        } else if (rok[0]) {
                            handle((Integer) rv[0], forwarder, pending, rnd);
                        } else {
                            in[caseInput[i]] = null;
                            open--;
                        }
                    }
                }
            }
        }

        static int randomOpen(Chan<Integer>[] in, SplittableRandom rnd) {
            int k = rnd.nextInt(in.length);
            while (in[k] == null) {
                k = (k + 1) % in.length;
            }
            return k;
        }

        void handle(Integer v, boolean forwarder, ArrayDeque<Integer> pending, SplittableRandom rnd) {
            if (v == null) {
                errors.fail("consumer", "received null with ok == true");
                return;
            }
            if (forwarder && rnd.nextBoolean()) {
                pending.add(v);
            } else {
                record(v);
            }
        }
    }
}
