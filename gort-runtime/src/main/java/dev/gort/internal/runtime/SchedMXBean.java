package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code dev.gort:type=Scheduler} MXBean ({@link dev.gort.SchedulerMXBean}) and its registration.
 *
 * <p>Owns nothing the scheduler uses: every attribute is a racy read of counters that
 * {@link SchedTrace} prints too (same reads), plus the steal, hand-off and preemption counters.
 * The two operations go through the public paths: {@code dumpGoroutines} is {@code Go.stack(true)}
 * run on the JMX thread (a plain thread, so every goroutine is "other"), {@code setGomaxprocs} is
 * {@code Go.gomaxprocs(n)}, whose stop-the-world works from a plain thread (it blocks on worldsema).
 *
 * <p>Registration: {@link #start} (from schedinit) starts one daemon thread, a {@link Registrar},
 * which waits {@link #REGISTER_DELAY_NS}, registers the bean in the platform MBean server and ends.
 * Why a thread and a delay: creating the platform server loads the JDK's management classes, about
 * 0.4 s of CPU on the 2-core test machine; on the start path it would triple a small program's
 * start-up, and a program that ends within the delay never pays it. Nothing it does can fail the
 * runtime: any failure (no {@code java.management} module, a broken JMX configuration) is
 * reported once on stderr. The deadlock scan ignores the thread (PlainThreads), since it can never
 * ready a goroutine.
 */
final class SchedMXBean implements dev.gort.SchedulerMXBean {
    /** How long after the runtime starts the bean is registered. */
    static final long REGISTER_DELAY_NS = TimeUnit.SECONDS.toNanos(1);

    private SchedMXBean() {}

    /**
     * The registration thread, so the deadlock scan can tell it apart from user threads. It holds
     * every reference to java.management's classes: they are resolved only when it runs, inside
     * its try, so a JVM without that module (a jlinked image, on the class path) still runs Gort.
     */
    static final class Registrar extends Thread {
        Registrar() {
            super("gort.mxbean-register"); // not "gort-...": tools count the runtime's threads (Ms, sysmon) by that prefix
            setDaemon(true);
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + REGISTER_DELAY_NS;
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);
            }
            try {
                var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
                var name = new javax.management.ObjectName(OBJECT_NAME);
                if (!server.isRegistered(name)) { // someone may have registered one in our name
                    server.registerMBean(new SchedMXBean(), name);
                }
            } catch (Throwable t) {
                report(t);
            }
        }
    }

    /** Starts the registration thread, unless {@code -Dgort.mxbean=false}. Called once, by schedinit. */
    static void start() {
        if ("false".equalsIgnoreCase(System.getProperty("gort.mxbean", ""))) {
            return;
        }
        try {
            new Registrar().start();
        } catch (Throwable t) { // e.g. OutOfMemoryError: unable to create native thread
            report(t);
        }
    }

    private static void report(Throwable t) {
        System.err.println("gort: the " + OBJECT_NAME + " MXBean is not available: " + t);
        System.err.flush();
    }

    // ---------------------------------------------------------------- attributes (racy reads)

    @Override
    public int getGomaxprocs() {
        return Proc.gomaxprocs;
    }

    @Override
    public int getIdleProcs() {
        return sched.npidle.get();
    }

    @Override
    public int getThreads() {
        return sched.mcount();
    }

    @Override
    public int getSpinningThreads() {
        return sched.nmspinning.get();
    }

    @Override
    public int getIdleThreads() {
        return sched.nmidle;
    }

    @Override
    public int getGlobalRunQueue() {
        return sched.runqsize();
    }

    @Override
    public int[] getLocalRunQueues() {
        P[] ps = Proc.allp;
        int[] n = new int[ps.length];
        for (int i = 0; i < ps.length; i++) {
            n[i] = SchedTrace.runqlen(ps[i]);
        }
        return n;
    }

    @Override
    public int getGoroutines() {
        return Proc.gcount();
    }

    @Override
    public long getSteals() {
        long n = sched.nstealGone.get();
        for (P pp : Proc.allp) {
            n += pp.nsteal;
        }
        for (Proc.RetakenList r = sched.retaken; r != null; r = r.next) {
            n += r.p.nsteal; // Ps still held by stuck Ms keep their counts until dropped
        }
        return n;
    }

    @Override
    public long getHandOffs() {
        return sched.nhandoff.get();
    }

    @Override
    public long getPreemptions() {
        return sched.npreempt.get();
    }

    @Override
    public int getNetpollWaiters() {
        return sched.netpollWaiters.get();
    }

    // ---------------------------------------------------------------- operations

    @Override
    public String dumpGoroutines() {
        return Traceback.stack(true);
    }

    @Override
    public int setGomaxprocs(int n) {
        if (n < 1) {
            // Go.gomaxprocs(n < 1) only queries; an operation named "set" refuses instead, so a
            // mistyped value in a JMX console is not silently ignored.
            throw new IllegalArgumentException("setGomaxprocs: n must be at least 1, got " + n);
        }
        return Proc.setGomaxprocs(n);
    }
}
