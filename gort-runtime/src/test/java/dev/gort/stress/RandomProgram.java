package dev.gort.stress;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.Received;
import dev.gort.Select;
import dev.gort.sync.Mutex;
import dev.gort.sync.RWMutex;
import dev.gort.sync.WaitGroup;
import dev.gort.time.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One randomized program (issue 7), its shape drawn from a seed: goroutines and a few plain threads
 * sending unique values on shared channels (unbuffered and buffered) and on channels they own, with
 * plain sends, two-way select sends, selects with {@code default} and selects against a timer;
 * receivers doing receives, {@code tryRecv}, and selects over every open channel (with and without
 * default, with a timer); closes (each producer closes its own channel, the coordinator closes the
 * shared ones once the producers' WaitGroup is done); and, between operations, Gosched, sleeps,
 * {@code Mutex} and {@code RWMutex} sections with parks inside, syscalls (both kinds), timers
 * stopped and reset, {@code afterFunc}, short-lived goroutines that {@code Goexit},
 * {@code LockOSThread} sections, and a resizer changing GOMAXPROCS.
 *
 * <p>Checks (none depends on timing): every value sent is received exactly once; the mutex-guarded
 * counter equals the increments made; RWMutex readers never see a writer's half-done update;
 * {@code Timer.stop} of a timer whose value was not received returns true and nothing is received
 * afterwards; an {@code afterFunc} runs exactly when its {@code stop} returned false; every
 * Goexit ran its finally blocks; every channel is empty at the end.
 *
 * <p>The coordinator runs either in {@code Go.main} (program mode: deadlock detection is live, so a
 * false "all goroutines are asleep" kills the test JVM) or on the plain round thread (library mode).
 */
final class RandomProgram {
    private final long seed;
    private final Stress.Errors errors = new Stress.Errors();

    // The shape, fixed by the seed.
    private final int goProducers;
    private final int threadProducers;
    private final int goConsumers;
    private final int threadConsumers;
    private final int valuesPerProducer;
    private final Chan<Long>[] shared;
    private final Chan<Long>[] own;
    private final boolean resize;

    /** seen[p].get(s): how many times producer p's value s was received (must end at 1). */
    private final AtomicIntegerArray[] seen;

    private final Mutex mu = new Mutex();
    /** Guarded by mu; incremented non-atomically across a park to expose lost mutual exclusion. */
    private long guarded;
    private final AtomicLong guardedIncrements = new AtomicLong();

    private final RWMutex rw = new RWMutex();
    /** Guarded by rw; writers add 1 twice with a park between, so readers must see it even. */
    private long rwGuarded;
    private final AtomicLong rwWrites = new AtomicLong();

    private final WaitGroup producersDone = new WaitGroup();
    private final WaitGroup extras = new WaitGroup();
    private final AtomicLong goexits = new AtomicLong();
    private final AtomicLong goexitFinallies = new AtomicLong();
    private final AtomicLong timerChecks = new AtomicLong();
    private final AtomicLong afterFuncsExpected = new AtomicLong();
    private final AtomicLong afterFuncsRan = new AtomicLong();
    private volatile boolean producing = true;
    /** Values received so far (for progress reports). */
    final java.util.concurrent.atomic.LongAdder received = new java.util.concurrent.atomic.LongAdder();

    @SuppressWarnings("unchecked")
    RandomProgram(long seed, double sizeFactor) {
        this.seed = seed;
        Random r = new Random(seed);
        goProducers = 2 + r.nextInt(14);
        threadProducers = r.nextInt(3);
        goConsumers = 1 + r.nextInt(12);
        threadConsumers = r.nextInt(3);
        valuesPerProducer = (int) Math.max(10, (100 + r.nextInt(900)) * sizeFactor);
        int[] caps = {0, 0, 0, 1, 2, 8, 64};
        shared = new Chan[1 + r.nextInt(6)];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = Chan.make(caps[r.nextInt(caps.length)]);
        }
        int producers = goProducers + threadProducers;
        own = new Chan[producers];
        seen = new AtomicIntegerArray[producers];
        for (int p = 0; p < producers; p++) {
            own[p] = Chan.make(caps[r.nextInt(caps.length)]);
            seen[p] = new AtomicIntegerArray(valuesPerProducer);
        }
        resize = r.nextInt(3) > 0;
    }

    String shape() {
        return "seed=" + seed + " producers=" + goProducers + "g+" + threadProducers + "t consumers=" + goConsumers + "g+"
                + threadConsumers + "t values/producer=" + valuesPerProducer + " shared=" + shared.length + " resize="
                + resize;
    }

    /** Runs the program to the end and checks it; in program mode inside {@code Go.main}. */
    void run(boolean programMode) {
        int procsBefore = Go.gomaxprocs(0);
        try {
            if (programMode) {
                Go.main(this::coordinate);
            } else {
                coordinate();
            }
        } finally {
            Go.gomaxprocs(procsBefore);
        }
        errors.check(shape());
        verify();
    }

    private void coordinate() {
        int producers = goProducers + threadProducers;
        int consumers = goConsumers + threadConsumers;
        int actors = producers + consumers + (resize ? 1 : 0);
        Chan<Integer> finished = Chan.make(actors);
        List<Thread> threads = new ArrayList<>();
        producersDone.add(producers);
        int id = 0;
        for (int c = 0; c < consumers; c++, id++) {
            boolean g = c < goConsumers;
            int me = id;
            start(g, "c" + c, threads, finished, () -> consume(g, new Random(Tier.seedFor("actor", seed + me))));
        }
        for (int p = 0; p < producers; p++, id++) {
            boolean g = p < goProducers;
            int pp = p;
            int me = id;
            start(g, "p" + p, threads, finished, () -> {
                try {
                    produce(pp, g, new Random(Tier.seedFor("actor", seed + me)));
                } finally {
                    producersDone.done();
                }
            });
        }
        if (resize) {
            Random rr = new Random(Tier.seedFor("resizer", seed));
            boolean g = rr.nextBoolean();
            start(g, "resizer", threads, finished, () -> {
                while (producing) {
                    Go.gomaxprocs(1 + rr.nextInt(4));
                    Tier.OPS.increment();
                    Go.sleep(Duration.ofNanos(200_000 + rr.nextInt(3_000_000)));
                }
            });
        }
        producersDone.await();
        producing = false;
        for (Chan<Long> ch : shared) {
            ch.close();
            Tier.OPS.increment();
        }
        for (int i = 0; i < actors; i++) {
            finished.recv();
        }
        extras.await();
        for (Thread t : threads) {
            try {
                if (!Go.syscall(() -> {
                    t.join(TimeUnit.SECONDS.toMillis(60));
                    return !t.isAlive();
                })) {
                    errors.fail(t.getName(), "did not end within 60 s of its last statement");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        // afterFunc bodies run in their own goroutines, soon after their (sub-millisecond) delays.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (afterFuncsRan.get() < afterFuncsExpected.get() && System.nanoTime() < deadline) {
            Go.sleep(Duration.ofMillis(1));
        }
    }

    private void start(boolean goroutine, String name, List<Thread> threads, Chan<Integer> finished,
            Action body) {
        Runnable r = () -> {
            try {
                body.run();
            } catch (Throwable t) {
                errors.add(name, t);
            } finally {
                finished.send(0);
            }
        };
        if (goroutine) {
            Go.go(r);
        } else {
            Thread t = new Thread(r, "stress-" + name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** An actor's body. */
    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private void produce(int p, boolean g, Random rng) throws Exception {
        Chan<Long> mine = own[p];
        for (int s = 0; s < valuesPerProducer; s++) {
            long v = ((long) p << 32) | s;
            if (rng.nextInt(4) == 0) {
                sideOp(rng, g);
            }
            switch (rng.nextInt(6)) {
                case 0 -> shared[rng.nextInt(shared.length)].send(v);
                case 1 -> mine.send(v);
                case 2 -> Select.select(Select.send(shared[rng.nextInt(shared.length)], v, () -> {}),
                        Select.send(mine, v, () -> {}));
                case 3 -> { // select with default: do something else until someone takes it
                    Chan<Long> ch = rng.nextBoolean() ? mine : shared[rng.nextInt(shared.length)];
                    while (Select.select(Select.send(ch, v, () -> {}), Select.otherwise(() -> {})) == 1) {
                        Tier.OPS.increment();
                        sideOp(rng, g);
                    }
                }
                case 4 -> { // against a timer: on timeout, try again
                    Chan<Long> ch = shared[rng.nextInt(shared.length)];
                    while (true) {
                        Timer t = Timer.newTimer(Duration.ofNanos(rng.nextInt(1_000_000)));
                        if (Select.select(Select.send(ch, v, () -> {}), Select.recv(t.c(), x -> {})) == 0) {
                            stoppedUnreceived(t, "send-vs-timer");
                            break;
                        }
                        Tier.OPS.increment();
                    }
                }
                default -> {
                    if (!mine.trySend(v)) {
                        mine.send(v);
                    }
                }
            }
            Tier.OPS.increment();
        }
        mine.close();
        Tier.OPS.increment();
    }

    /** A timer whose value was never received: stop must return true, and nothing comes after. */
    private void stoppedUnreceived(Timer t, String where) {
        if (!t.stop()) {
            errors.fail(where, "Timer.stop returned false for a timer whose value was never received");
        }
        Received<?> late = t.c().tryRecv();
        if (late != null) {
            errors.fail(where, "received " + late + " from a timer after stop returned");
        }
        timerChecks.incrementAndGet();
        Tier.OPS.increment();
    }

    private void consume(boolean g, Random rng) throws Exception {
        List<Chan<Long>> open = new ArrayList<>(List.of(shared));
        open.addAll(List.of(own));
        long[] got = new long[1];
        boolean[] ok = new boolean[1];
        int[] which = new int[1];
        List<Select.Case> cases = new ArrayList<>();
        int built = -1;
        while (!open.isEmpty()) {
            if (rng.nextInt(6) == 0) {
                sideOp(rng, g);
            }
            int kind = rng.nextInt(10);
            if (kind == 0) {
                // A plain receive on one channel blocks for ever if its producers all wait for
                // receivers elsewhere and every receiver does the same: the program's livelock,
                // not the runtime's. So it is plain only on the last open channel (every other
                // channel is closed, so its producers are done or sending here) and has a
                // timeout otherwise.
                int i = rng.nextInt(open.size());
                Received<Long> r;
                if (open.size() == 1) {
                    r = open.get(i).recvOk();
                } else {
                    Timer t = Timer.newTimer(Duration.ofNanos(rng.nextInt(1_000_000)));
                    Received<?>[] got1 = new Received<?>[1];
                    Select.select(Select.recvOk(open.get(i), (v, o) -> got1[0] = new Received<>(v, o)),
                            Select.recv(t.c(), x -> {}));
                    @SuppressWarnings("unchecked")
                    Received<Long> g1 = (Received<Long>) got1[0];
                    r = g1;
                    if (r != null) {
                        stoppedUnreceived(t, "recv-one-vs-timer");
                    } else {
                        timerChecks.incrementAndGet();
                    }
                }
                if (r == null) {
                    sideOp(rng, g);
                } else if (r.ok()) {
                    record(r.value());
                } else {
                    open.remove(i);
                    built = -1;
                }
            } else if (kind == 1) { // poll one channel
                int i = rng.nextInt(open.size());
                Received<Long> r = open.get(i).tryRecv();
                if (r == null) {
                    sideOp(rng, g);
                } else if (r.ok()) {
                    record(r.value());
                } else {
                    open.remove(i);
                    built = -1;
                }
            } else { // select over every open channel
                if (built != open.size()) { // cases are immutable: rebuild only when the set changes
                    cases.clear();
                    for (int i = 0; i < open.size(); i++) {
                        int idx = i;
                        cases.add(Select.recvOk(open.get(i), (v, o) -> {
                            got[0] = o ? v : 0;
                            ok[0] = o;
                            which[0] = idx;
                        }));
                    }
                    built = open.size();
                }
                List<Select.Case> now = cases;
                Timer t = null;
                if (kind == 2) {
                    now = new ArrayList<>(cases);
                    now.add(Select.otherwise(() -> which[0] = -1));
                } else if (kind == 3) {
                    t = Timer.newTimer(Duration.ofNanos(rng.nextInt(2_000_000)));
                    now = new ArrayList<>(cases);
                    now.add(Select.recv(t.c(), x -> which[0] = -2));
                }
                Select.select(now.toArray(Select.Case[]::new));
                if (which[0] == -1) {
                    sideOp(rng, g);
                } else if (which[0] == -2) {
                    timerChecks.incrementAndGet();
                } else {
                    if (t != null) {
                        stoppedUnreceived(t, "recv-vs-timer");
                    }
                    if (ok[0]) {
                        record(got[0]);
                    } else {
                        open.remove(which[0]);
                        built = -1;
                    }
                }
            }
            Tier.OPS.increment();
        }
    }

    private void record(long v) {
        int p = (int) (v >>> 32);
        int s = (int) v;
        if (p < 0 || p >= seen.length || s < 0 || s >= valuesPerProducer) {
            errors.fail("receiver", "received a value nobody sent: " + Long.toHexString(v));
            return;
        }
        received.increment();
        Tier.PROGRESS.increment();
        if (seen[p].incrementAndGet(s) != 1) {
            errors.fail("receiver", "value p" + p + "/" + s + " received twice");
        }
    }

    /** Something other than a channel operation, chosen at random; goroutine-only ones on goroutines. */
    private void sideOp(Random rng, boolean g) throws Exception {
        int r = rng.nextInt(100);
        if (r < 15) {
            Stress.yieldNow(g);
        } else if (r < 25) {
            Go.sleep(Duration.ofNanos(rng.nextInt(200_000)));
        } else if (r < 40) {
            mu.lock();
            try {
                long v = guarded;
                if (rng.nextInt(3) == 0) {
                    Stress.yieldNow(g); // a park inside the critical section
                }
                guarded = v + 1;
            } finally {
                mu.unlock();
            }
            guardedIncrements.incrementAndGet();
        } else if (r < 48) {
            if (rng.nextInt(4) == 0) {
                rw.lock();
                try {
                    rwGuarded++;
                    Stress.yieldNow(g);
                    rwGuarded++;
                } finally {
                    rw.unlock();
                }
                rwWrites.incrementAndGet();
            } else {
                rw.rLock();
                try {
                    long a = rwGuarded;
                    Stress.yieldNow(g);
                    long b = rwGuarded;
                    if ((a & 1) != 0 || a != b) {
                        errors.fail("rwmutex", "a reader saw " + a + " then " + b + " under rLock");
                    }
                } finally {
                    rw.rUnlock();
                }
            }
        } else if (r < 56) {
            long nanos = rng.nextInt(300_000);
            Go.syscall(() -> LockSupport.parkNanos(nanos)); // a blocking call, announced
        } else if (r < 59) {
            long nanos = rng.nextInt(300_000);
            Go.syscallBlock(() -> LockSupport.parkNanos(nanos));
        } else if (r < 64) {
            Go.checkpoint();
        } else if (r < 70) {
            spawnEphemeral(rng.nextLong());
        } else if (r < 73 && g) {
            Go.lockOSThread();
            try {
                Go.gosched();
                Go.sleep(Duration.ofNanos(rng.nextInt(50_000)));
            } finally {
                Go.unlockOSThread();
            }
        } else if (r < 80) {
            timerDance(rng);
        } else if (r < 84) {
            afterFunc(rng);
        }
        Tier.OPS.increment();
    }

    /** A timer reset a few times, then either received (stop then false) or stopped unreceived. */
    private void timerDance(Random rng) {
        Timer t = Timer.newTimer(Duration.ofNanos(rng.nextInt(500_000)));
        for (int k = rng.nextInt(3); k > 0; k--) {
            t.reset(Duration.ofNanos(rng.nextInt(500_000)));
            Tier.OPS.increment();
        }
        if (rng.nextBoolean()) {
            t.c().recv(); // it fires: the timer is armed
            if (t.stop()) {
                errors.fail("timer", "Timer.stop returned true after the value was received");
            }
            timerChecks.incrementAndGet();
        } else {
            stoppedUnreceived(t, "timer");
        }
    }

    /** An afterFunc, stopped half the time: it must run exactly when it was not stopped in time. */
    private void afterFunc(Random rng) {
        Timer t = Timer.afterFunc(Duration.ofNanos(rng.nextInt(300_000)), afterFuncsRan::incrementAndGet);
        if (!(rng.nextBoolean() && t.stop())) {
            afterFuncsExpected.incrementAndGet(); // not stopped, or too late: it runs (or ran) once
        }
        Tier.OPS.increment();
    }

    /** A short-lived goroutine that pings back, and half the time ends by Goexit. */
    private void spawnEphemeral(long r) {
        extras.add(1);
        Go.go(() -> {
            try {
                Chan<Integer> ping = Chan.make();
                Go.go(() -> ping.send(1));
                ping.recv();
                if ((r & 1) == 0) {
                    goexits.incrementAndGet();
                    try {
                        Go.goexit();
                    } finally {
                        goexitFinallies.incrementAndGet();
                    }
                }
            } finally {
                extras.done();
            }
        });
    }

    private void verify() {
        StringBuilder bad = new StringBuilder();
        int missing = 0;
        int dup = 0;
        for (int p = 0; p < seen.length; p++) {
            for (int s = 0; s < valuesPerProducer; s++) {
                int n = seen[p].get(s);
                if (n != 1) {
                    if (n == 0) {
                        missing++;
                    } else {
                        dup++;
                    }
                    if (bad.length() < 300) {
                        bad.append(" p").append(p).append('/').append(s).append('x').append(n);
                    }
                }
            }
        }
        if (missing + dup > 0) {
            throw new AssertionError(shape() + ": " + missing + " value(s) lost, " + dup + " received more than once:" + bad);
        }
        for (Chan<Long> ch : shared) {
            if (ch.len() != 0) {
                throw new AssertionError(shape() + ": a shared channel holds " + ch.len() + " value(s) after the end");
            }
        }
        if (guarded != guardedIncrements.get()) {
            throw new AssertionError(shape() + ": Mutex lost updates: counter " + guarded + ", increments "
                    + guardedIncrements.get());
        }
        if (rwGuarded != 2 * rwWrites.get()) {
            throw new AssertionError(shape() + ": RWMutex lost updates: " + rwGuarded + " != 2 x " + rwWrites.get());
        }
        if (goexits.get() != goexitFinallies.get()) {
            throw new AssertionError(shape() + ": " + goexits.get() + " Goexit(s) but " + goexitFinallies.get()
                    + " finally block(s) ran");
        }
        if (afterFuncsRan.get() != afterFuncsExpected.get()) {
            throw new AssertionError(shape() + ": " + afterFuncsExpected.get() + " afterFunc(s) were not stopped in time but "
                    + afterFuncsRan.get() + " ran");
        }
        long values = (long) seen.length * valuesPerProducer;
        Tier.VALUES.add(values + guardedIncrements.get() + rwWrites.get() + goexits.get() + timerChecks.get()
                + afterFuncsExpected.get());
    }
}
