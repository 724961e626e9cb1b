package dev.gort.stress;

import dev.gort.Chan;
import dev.gort.ChildJvm;
import dev.gort.Go;
import dev.gort.Select;
import dev.gort.sync.Mutex;
import dev.gort.sync.WaitGroup;
import dev.gort.testprog.ThreadLimitUnderLoadProg;
import dev.gort.time.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The fault-injection cases of the stress tier (issue 7), each a self-checking round with its shape
 * drawn from a {@link Random}: exceptions thrown at random points in goroutines under
 * {@code Go.onPanic}, goroutines blocked in {@code synchronized} on a monitor held by a parked
 * goroutine, unwrapped blocking calls, the thread limit (in a child JVM), and the network ones in
 * {@link NetFaults}. Each adds to {@link Tier#FAULTS} the faults it injected and to
 * {@link Tier#VALUES} what it checked, and throws an AssertionError on a violation.
 *
 * <p>They run from a plain thread (the harness's round thread), in library mode.
 */
final class Faults {
    private Faults() {}

    /** The exception the cases throw on purpose; anything else escaping is a failure. */
    static final class InjectedFault extends RuntimeException {
        final boolean restart;

        InjectedFault(String where, boolean restart) {
            super("injected fault: " + where, null, false, false);
            this.restart = restart;
        }
    }

    /**
     * Workers drain a channel of numbered values, recording each before anything can fail; at random
     * points they throw: right after a receive, inside a Mutex section (unlocked by finally), in a
     * select case's body, inside {@code Go.syscall}, after a sleep, and while locked to their thread
     * (the goroutine ends locked, so its M exits). An {@code onPanic} handler counts each and starts
     * a replacement worker, as a supervisor would; afterFunc bodies throw too (counted, not
     * replaced). Checks: every value recorded exactly once, every injected exception reached the
     * handler exactly once, nothing else escaped, every worker slot ended normally at the close.
     */
    static void panicsUnderLoad(Random rng, Stress.Errors errors) {
        int values = 1000 + rng.nextInt(3000);
        int workers = 2 + rng.nextInt(14);
        Chan<Integer> work = Chan.make(new int[] {0, 1, 16}[rng.nextInt(3)]);
        AtomicIntegerArray seen = new AtomicIntegerArray(values);
        AtomicLong thrown = new AtomicLong();
        AtomicLong caught = new AtomicLong();
        AtomicLong restarts = new AtomicLong();
        WaitGroup slots = new WaitGroup();
        Mutex mu = new Mutex();
        long[] guarded = new long[1]; // guarded by mu
        AtomicLong increments = new AtomicLong();
        long seed = rng.nextLong();
        Runnable[] worker = new Runnable[1];
        worker[0] = () -> {
            SplittableRandom r = new SplittableRandom(seed ^ restarts.get() ^ Go.numGoroutine());
            for (Integer v : work) {
                if (seen.incrementAndGet(v) != 1) {
                    errors.fail("panics", "value " + v + " received twice");
                }
                Tier.PROGRESS.increment();
                Tier.OPS.increment();
                if (r.nextInt(25) != 0) {
                    continue;
                }
                thrown.incrementAndGet();
                switch (r.nextInt(7)) {
                    case 0 -> throw new InjectedFault("after a receive", true);
                    case 1 -> {
                        mu.lock();
                        try {
                            guarded[0]++;
                            increments.incrementAndGet();
                            throw new InjectedFault("inside a Mutex section", true);
                        } finally {
                            mu.unlock();
                        }
                    }
                    case 2 -> Select.select(Select.otherwise(() -> {
                        throw new InjectedFault("in a select case", true);
                    }));
                    case 3 -> Go.syscall(() -> {
                        throw new InjectedFault("inside Go.syscall", true);
                    });
                    case 4 -> {
                        Go.sleep(Duration.ofNanos(r.nextInt(100_000)));
                        throw new InjectedFault("after a sleep", true);
                    }
                    case 5 -> {
                        Go.lockOSThread(); // the goroutine dies locked: its M goes with it
                        throw new InjectedFault("while locked to its thread", true);
                    }
                    default -> {
                        // This one is thrown later, by the timer's goroutine.
                        Timer.afterFunc(Duration.ofNanos(r.nextInt(200_000)), () -> {
                            throw new InjectedFault("in an afterFunc body", false);
                        });
                        mu.lock();
                        try {
                            guarded[0]++;
                            increments.incrementAndGet();
                        } finally {
                            mu.unlock();
                        }
                    }
                }
            }
            slots.done();
        };
        Go.onPanic(t -> {
            if (t instanceof InjectedFault f) {
                caught.incrementAndGet();
                Tier.PROGRESS.increment();
                if (f.restart) {
                    restarts.incrementAndGet();
                    Go.go(worker[0]); // a supervisor's restart, from the dying goroutine
                }
            } else {
                errors.add("unrecovered panic in a goroutine", t);
            }
        });
        try {
            slots.add(workers);
            for (int i = 0; i < workers; i++) {
                Go.go(worker[0]);
            }
            for (int v = 0; v < values; v++) {
                work.send(v);
            }
            work.close();
            slots.await();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (caught.get() < thrown.get() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000); // afterFunc bodies still to run
            }
        } finally {
            Go.onPanic(t -> errors.add("unrecovered panic in a goroutine", t));
        }
        errors.check("panics under load");
        for (int v = 0; v < values; v++) {
            if (seen.get(v) != 1) {
                throw new AssertionError("panics under load: value " + v + " received " + seen.get(v) + " times");
            }
        }
        if (caught.get() != thrown.get()) {
            throw new AssertionError("panics under load: " + thrown.get() + " thrown, " + caught.get() + " reached onPanic");
        }
        if (guarded[0] != increments.get()) {
            throw new AssertionError("panics under load: Mutex counter " + guarded[0] + " != " + increments.get());
        }
        Tier.FAULTS.add(thrown.get());
        Tier.VALUES.add(values + caught.get() + increments.get());
    }

    /**
     * Holders enter {@code synchronized (monitor)} and park on a channel inside it; blockers (other
     * goroutines) then try to enter the same monitors and block their Ms. While they are blocked,
     * a ping-pong workload must finish (sysmon hands the blocked Ms' Ps to other Ms), and no
     * blocker may be inside while its holder is (mutual exclusion holds across the park). Then the
     * holders are released and every blocker gets in.
     */
    static void monitorHeldByParkedGoroutine(Random rng) {
        int procs = 1 + rng.nextInt(2);
        int before = Go.gomaxprocs(procs);
        try {
            int holders = 1 + rng.nextInt(3);
            Object[] monitors = new Object[holders];
            boolean[] holderInside = new boolean[holders]; // guarded by monitors[h]
            Chan<Integer> release = Chan.make();
            Chan<Integer> holding = Chan.make();
            Chan<Integer> done = Chan.make(64);
            AtomicLong entered = new AtomicLong();
            AtomicLong violations = new AtomicLong();
            int blockers = 0;
            for (int h = 0; h < holders; h++) {
                Object mon = new Object();
                monitors[h] = mon;
                int hh = h;
                Go.go(() -> {
                    synchronized (mon) {
                        holderInside[hh] = true;
                        holding.send(hh);
                        release.recv(); // parked with the monitor held
                        holderInside[hh] = false;
                    }
                    done.send(-1);
                });
                holding.recv();
                int b = 1 + rng.nextInt(4);
                blockers += b;
                for (int k = 0; k < b; k++) {
                    Go.go(() -> {
                        synchronized (mon) {
                            if (holderInside[hh]) {
                                violations.incrementAndGet();
                            }
                            entered.incrementAndGet();
                        }
                        done.send(1);
                    });
                }
            }
            int pingPongs = 200 + rng.nextInt(800);
            for (int i = 0; i < pingPongs; i++) {
                Chan<Integer> c = Chan.make();
                int ii = i;
                Go.go(() -> c.send(ii));
                if (c.recv() != i) {
                    throw new AssertionError("monitor case: ping-pong value mixed up");
                }
                Tier.PROGRESS.increment();
                Tier.OPS.increment();
            }
            long early = entered.get();
            for (int h = 0; h < holders; h++) {
                release.send(0);
            }
            for (int i = 0; i < holders + blockers; i++) {
                done.recv();
                Tier.PROGRESS.increment();
            }
            if (violations.get() != 0 || early != 0) {
                throw new AssertionError("monitor case: " + violations.get() + " blocker(s) entered a monitor while its"
                        + " parked holder was inside (" + early + " before any release)");
            }
            if (entered.get() != blockers) {
                throw new AssertionError("monitor case: " + entered.get() + " of " + blockers + " blockers got in");
            }
            Tier.FAULTS.add(holders + blockers);
            Tier.VALUES.add(pingPongs + blockers);
        } finally {
            Go.gomaxprocs(before);
        }
    }

    /**
     * Goroutines block their threads without {@code Go.syscall}: on a j.u.c queue, in
     * {@code Object.wait}, on a monitor a plain thread holds, in {@code Thread.sleep}. The blocks
     * last until the test releases them, after a ping-pong workload at GOMAXPROCS 1 or 2 has
     * finished: it can only finish if sysmon hands the blocked goroutines' Ps to other Ms.
     */
    static void unwrappedBlocking(Random rng) throws InterruptedException {
        int procs = 1 + rng.nextInt(2);
        int before = Go.gomaxprocs(procs);
        try {
            int n = 1 + rng.nextInt(6);
            LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
            Object waitMon = new Object();
            boolean[] go = new boolean[1]; // guarded by waitMon
            Object heldMon = new Object();
            Chan<Integer> done = Chan.make(n);
            Chan<Integer> started = Chan.make(n);
            int[] kinds = new int[n];
            int queued = 0;
            Thread holderThread;
            Chan<Integer> letGo = Chan.make();
            Chan<Integer> holdingMon = Chan.make();
            holderThread = new Thread(() -> {
                synchronized (heldMon) {
                    holdingMon.send(1);
                    letGo.recv(); // a plain thread blocks itself, holding the monitor
                }
            }, "stress-monitor-holder");
            holderThread.setDaemon(true);
            holderThread.start();
            holdingMon.recv();
            for (int i = 0; i < n; i++) {
                int kind = rng.nextInt(4);
                kinds[i] = kind;
                if (kind == 0) {
                    queued++;
                }
                long sleepMs = 5 + rng.nextInt(50);
                Go.go(() -> {
                    started.send(kind);
                    try {
                        switch (kind) {
                            case 0 -> queue.take();
                            case 1 -> {
                                synchronized (waitMon) {
                                    while (!go[0]) {
                                        waitMon.wait();
                                    }
                                }
                            }
                            case 2 -> {
                                synchronized (heldMon) {
                                    Tier.OPS.increment();
                                }
                            }
                            default -> Thread.sleep(sleepMs);
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    done.send(kind);
                });
            }
            for (int i = 0; i < n; i++) {
                started.recv();
            }
            int pingPongs = 200 + rng.nextInt(800);
            for (int i = 0; i < pingPongs; i++) {
                Chan<Integer> c = Chan.make();
                Go.go(() -> c.send(1));
                c.recv();
                Tier.PROGRESS.increment();
                Tier.OPS.increment();
            }
            for (int i = 0; i < queued; i++) {
                queue.put(i);
            }
            synchronized (waitMon) {
                go[0] = true;
                waitMon.notifyAll();
            }
            letGo.send(0);
            for (int i = 0; i < n; i++) {
                done.recv();
                Tier.PROGRESS.increment();
            }
            holderThread.join(TimeUnit.SECONDS.toMillis(60));
            Tier.FAULTS.add(n);
            Tier.VALUES.add(pingPongs + n);
        } finally {
            Go.gomaxprocs(before);
        }
    }

    /**
     * The thread limit under load, in a child JVM (it is fatal): goroutines ping-pong while others
     * take threads (locked to them, or blocked in syscalls) past a random limit. The child must
     * die with Go's two lines and exit status 2, not hang.
     */
    static void threadLimitUnderLoad(Random rng) throws Exception {
        int limit = 12 + rng.nextInt(20);
        String mode = rng.nextBoolean() ? "locked" : "syscall";
        ChildJvm.Result r = ChildJvm.run(120, ThreadLimitUnderLoadProg.class, Map.of(), List.of("-Dgort.gomaxprocs=2"),
                Integer.toString(limit), mode, Long.toString(rng.nextLong()));
        String want = "runtime: program exceeds " + limit + "-thread limit\nfatal error: thread exhaustion";
        if (r.exit() != 2 || !r.stderr().startsWith(want) || r.stdout().contains("UNREACHABLE")) {
            throw new AssertionError("thread limit " + limit + " (" + mode + "): want exit 2 and\n" + want + "\ngot " + r);
        }
        Tier.PROGRESS.increment();
        Tier.FAULTS.increment();
        Tier.VALUES.increment();
    }
}
