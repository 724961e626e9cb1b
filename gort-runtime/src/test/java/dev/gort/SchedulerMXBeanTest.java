package dev.gort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.sync.Cond;
import dev.gort.sync.Mutex;
import dev.gort.sync.RWMutex;
import dev.gort.sync.WaitGroup;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code dev.gort:type=Scheduler} MXBean, through the platform MBean server: attributes against
 * {@code Go.numGoroutine()} and {@code Go.gomaxprocs(0)}, the counters, {@code setGomaxprocs} and
 * {@code dumpGoroutines} with Go's wait reasons. Goroutines this class parks stay parked (one JVM
 * per test class), so the tests compare against the runtime's own counts, never fixed totals.
 */
class SchedulerMXBeanTest {
    private static final Pattern HEADER = Pattern.compile("(?m)^goroutine (\\d+) \\[([^\\]]*)\\]:$");

    private static MBeanServer server;
    private static ObjectName name;
    private static SchedulerMXBean proxy;

    @BeforeAll
    static void registered() throws Exception {
        // The build turns registration off in test JVMs (see the root pom); this class tests it.
        // Read when the runtime starts, which nothing in this JVM has done yet (a JVM per class).
        System.setProperty("gort.mxbean", "true");
        Go.numGoroutine(); // starts the runtime, which registers the bean about a second later
        server = ManagementFactory.getPlatformMBeanServer();
        name = new ObjectName(SchedulerMXBean.OBJECT_NAME);
        awaitRegistered(server, name);
        proxy = JMX.newMXBeanProxy(server, name, SchedulerMXBean.class);
        assertTrue(JMX.isMXBeanInterface(SchedulerMXBean.class));
    }

    /** Waits (bounded) for the runtime's own registration, by the server's notification. */
    private static void awaitRegistered(MBeanServer s, ObjectName n) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        NotificationListener l = (notif, hb) -> {
            if (notif instanceof MBeanServerNotification m && n.equals(m.getMBeanName())) {
                done.countDown();
            }
        };
        s.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, l, null, null);
        try {
            assertTrue(s.isRegistered(n) || done.await(60, TimeUnit.SECONDS),
                    "the runtime registers " + n + " by itself after it starts");
        } finally {
            s.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, l);
        }
    }

    private static Object attr(String a) throws Exception {
        return server.getAttribute(name, a);
    }

    /** Polls cond (with 1 ms pauses) until it holds; fails after 60 s with the message and a dump. */
    private static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "\n" + Go.stack(true));
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Waits until nothing runs or waits to run: every P idle, no spinning M, empty global queue, and
     * the dump lists as many goroutines as numGoroutine counts (goroutines of earlier tests that
     * were still finishing are gone).
     */
    private static void quiesce() {
        await("an idle scheduler", () -> {
            try {
                return (int) attr("IdleProcs") == (int) attr("Gomaxprocs") && (int) attr("SpinningThreads") == 0
                        && (int) attr("GlobalRunQueue") == 0
                        && listed() == Go.numGoroutine();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * Goroutines in the dump; 0 with none at all, as numGoroutine says (in library mode there may
     * be no goroutine: see NumGoroutineAtRestTest).
     */
    private static int listed() {
        return (int) HEADER.matcher(proxy.dumpGoroutines()).results().count();
    }

    /** Wait reason -> number of goroutines in the dump with that reason. */
    private static Map<String, Integer> reasons(String dump) {
        Map<String, Integer> m = new TreeMap<>();
        Matcher h = HEADER.matcher(dump);
        while (h.find()) {
            m.merge(h.group(2), 1, Integer::sum);
        }
        return m;
    }

    private static int count(String dump, String reason) {
        return reasons(dump).getOrDefault(reason, 0);
    }

    @Test
    void attributesMatchTheRuntimeWhenQuiescent() throws Exception {
        Chan<Integer> never = Chan.make();
        quiesce();
        long before = HEADER.matcher(proxy.dumpGoroutines()).results().count();
        for (int i = 0; i < 5; i++) {
            Go.go(never::recv);
        }
        await("5 more parked goroutines", () -> count(proxy.dumpGoroutines(), "chan receive") >= 5);
        quiesce();
        int n = Go.numGoroutine();
        assertTrue(n >= before + 5, n + " goroutines");
        assertEquals(n, attr("Goroutines"), "Goroutines is numGoroutine");
        assertEquals(n, proxy.getGoroutines());
        assertEquals(n, HEADER.matcher(proxy.dumpGoroutines()).results().count(), "one header per goroutine");
        int procs = Go.gomaxprocs(0);
        assertEquals(procs, attr("Gomaxprocs"));
        assertEquals(procs, attr("IdleProcs"), "nothing runs");
        assertArrayEquals(new int[procs], (int[]) attr("LocalRunQueues"), "every local run queue is empty");
        int threads = (int) attr("Threads");
        int idle = (int) attr("IdleThreads");
        assertTrue(threads >= 2 && idle <= threads - 1, "sysmon and at least one M; sysmon is never idle: "
                + threads + " threads, " + idle + " idle");
        assertTrue((int) attr("NetpollWaiters") >= 0);
    }

    @Test
    void setGomaxprocsResizesAndRefusesNonsense() throws Exception {
        int start = Go.gomaxprocs(0);
        int next = start == 3 ? 4 : 3;
        Object prev = server.invoke(name, "setGomaxprocs", new Object[] {next}, new String[] {"int"});
        assertEquals(start, prev, "returns the previous value, as Go.gomaxprocs(n) does");
        assertEquals(next, Go.gomaxprocs(0));
        assertEquals(next, attr("Gomaxprocs"));
        assertEquals(next, ((int[]) attr("LocalRunQueues")).length);

        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class,
                    () -> server.invoke(name, "setGomaxprocs", new Object[] {bad}, new String[] {"int"}));
            IllegalArgumentException iae = assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals("setGomaxprocs: n must be at least 1, got " + bad, iae.getMessage());
            assertEquals(next, Go.gomaxprocs(0), "a refused value changes nothing");
        }
        IllegalArgumentException viaProxy = assertThrows(IllegalArgumentException.class, () -> proxy.setGomaxprocs(0));
        assertTrue(viaProxy.getMessage().contains("at least 1"), viaProxy.getMessage());

        // From a goroutine too (the JMX thread above is a plain thread).
        Chan<Integer> res = Chan.make(1);
        Go.go(() -> res.send(proxy.setGomaxprocs(start)));
        assertEquals(next, res.recv());
        assertEquals(start, Go.gomaxprocs(0));
        assertEquals(start, proxy.getGomaxprocs());
    }

    /** The dump lists every goroutine this test parks, each with Go's wait reason string. */
    @Test
    void dumpShowsEveryParkedGoroutineWithItsWaitReason() throws Exception {
        quiesce();
        Map<String, Integer> base = reasons(proxy.dumpGoroutines());
        long goroutinesBefore = HEADER.matcher(proxy.dumpGoroutines()).results().count();
        int netBefore = proxy.getNetpollWaiters();

        Chan<Integer> unbuffered = Chan.make();
        Chan<Integer> noReceiver = Chan.make();
        Chan<Integer> a = Chan.make();
        Chan<Integer> b = Chan.make();
        Go.go(unbuffered::recv);
        Go.go(unbuffered::recv);
        Go.go(() -> noReceiver.send(1));
        Go.go(() -> Select.select(Select.recv(a, v -> {}), Select.recv(b, v -> {})));
        Go.go(() -> Select.select());
        Go.go(() -> Go.sleep(Duration.ofHours(1)));

        Mutex mu = new Mutex();
        mu.lock(); // held by this plain thread
        Go.go(() -> {
            mu.lock();
            mu.unlock();
        });

        WaitGroup wg = new WaitGroup();
        wg.add(1);
        Go.go(wg::await);

        Mutex cm = new Mutex();
        Cond cond = new Cond(cm);
        Go.go(() -> {
            cm.lock();
            cond.await();
            cm.unlock();
        });

        RWMutex rw = new RWMutex();
        rw.rLock(); // a reader (this thread) holds it
        Go.go(() -> {
            rw.lock(); // the writer waits for the reader
            rw.unlock();
        });
        await("the writer to wait", () -> count(proxy.dumpGoroutines(), "sync.RWMutex.Lock") > base.getOrDefault(
                "sync.RWMutex.Lock", 0));
        Go.go(() -> {
            rw.rLock(); // a new reader waits behind the pending writer
            rw.rUnlock();
        });

        Listener ln = Net.listen("tcp", "127.0.0.1:0");
        Conn client = Net.dial("tcp", ln.addr().getHostString() + ":" + ln.addr().getPort());
        Conn server = ln.accept();
        AtomicInteger readResult = new AtomicInteger(-2);
        Go.go(() -> {
            try {
                readResult.set(server.read(new byte[1]));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        Map<String, Integer> want = new TreeMap<>();
        want.put("chan receive", 2);
        want.put("chan send", 1);
        want.put("select", 1);
        want.put("select (no cases)", 1);
        want.put("sleep", 1);
        want.put("sync.Mutex.Lock", 1);
        want.put("sync.WaitGroup.Wait", 1);
        want.put("sync.Cond.Wait", 1);
        want.put("sync.RWMutex.Lock", 1);
        want.put("sync.RWMutex.RLock", 1);
        want.put("IO wait", 1);
        String[] last = {""};
        await("every goroutine parked with its reason", () -> {
            last[0] = proxy.dumpGoroutines();
            Map<String, Integer> got = reasons(last[0]);
            for (var e : want.entrySet()) {
                if (got.getOrDefault(e.getKey(), 0) - base.getOrDefault(e.getKey(), 0) != e.getValue()) {
                    return false;
                }
            }
            return true;
        });
        String dump = last[0];
        int added = want.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(goroutinesBefore + added, Go.numGoroutine(), dump);
        assertEquals(Go.numGoroutine(), proxy.getGoroutines());
        assertEquals(Go.numGoroutine(), HEADER.matcher(dump).results().count(), "every goroutine is in the dump:\n" + dump);
        assertEquals(netBefore + 1, proxy.getNetpollWaiters(), "the reader waits on the netpoller");
        // Frames: the goroutines' own code, in Go's two-line layout.
        assertTrue(Pattern.compile("(?m)^goroutine \\d+ \\[chan send\\]:\n(.+\n\t.+:\\d+\n)*dev\\.gort\\.Chan\\.send\\(\\.\\.\\.\\)\n"
                + "\tChan\\.java:\\d+\n").matcher(dump).find(), dump);
        assertTrue(dump.contains("dev.gort.SchedulerMXBeanTest.lambda$dumpShowsEveryParkedGoroutineWithItsWaitReason$"),
                dump);

        // Let them all go, so the other tests of this JVM see a calmer runtime.
        unbuffered.send(1);
        unbuffered.send(2);
        noReceiver.recv();
        a.send(1);
        mu.unlock();
        wg.done();
        cm.lock();
        cond.broadcast();
        cm.unlock();
        rw.rUnlock();
        client.write(new byte[] {7});
        await("the reader to get its byte", () -> readResult.get() == 1);
        client.close();
        server.close();
        ln.close();
    }

    @Test
    void handOffsCountSyscallBlock() throws Exception {
        long before = (long) attr("HandOffs");
        Chan<Boolean> done = Chan.make(1);
        Go.go(() -> {
            Go.syscallBlock(() -> {});
            done.send(true);
        });
        done.recv();
        assertTrue((long) attr("HandOffs") > before, "entersyscallblock hands its P off");
    }

    @Test
    void preemptionsCountGoroutinesAskedToYield() throws Exception {
        long before = proxy.getPreemptions();
        Chan<Long> done = Chan.make(1);
        Go.go(() -> {
            // A goroutine that runs for more than a 10 ms time slice: sysmon asks it to yield, and
            // it does at its next checkpoint.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (proxy.getPreemptions() == before && System.nanoTime() < deadline) {
                Go.checkpoint();
            }
            done.send(proxy.getPreemptions());
        });
        assertTrue(done.recv() > before, "sysmon preempted the spinning goroutine");
        assertTrue((long) attr("Preemptions") > before);
    }

    @Test
    void stealsCountWorkTakenFromAnotherP() throws Exception {
        int start = Go.gomaxprocs(2);
        try {
            // A goroutine queues work on its own P and keeps that P busy: the M that wakep starts
            // steals it. (sysmon's hand-off of a stuck P could also run it, but only after 10 ms;
            // so a few attempts are allowed.)
            long before = (long) attr("Steals");
            for (int attempt = 0; attempt < 10 && (long) attr("Steals") == before; attempt++) {
                Chan<Boolean> done = Chan.make(1);
                AtomicInteger ran = new AtomicInteger();
                Go.go(() -> {
                    for (int i = 0; i < 64; i++) {
                        Go.go(ran::incrementAndGet);
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (ran.get() < 64 && System.nanoTime() < deadline) {
                        Thread.onSpinWait(); // no checkpoint: this P stays busy
                    }
                    done.send(ran.get() == 64);
                });
                assertTrue(done.recv(), "all 64 ran");
            }
            assertTrue((long) attr("Steals") > before, "a spinning M stole from the busy P");
            assertEquals(proxy.getSteals(), (long) attr("Steals"));
        } finally {
            Go.gomaxprocs(start);
        }
    }
}
