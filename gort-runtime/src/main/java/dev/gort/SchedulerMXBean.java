package dev.gort;

/**
 * The scheduler as a platform MXBean, {@code dev.gort:type=Scheduler}: Go's scheduler counters (the
 * numbers {@code GODEBUG=schedtrace} prints, and a few more) and two operations. The runtime
 * registers it in {@link java.lang.management.ManagementFactory#getPlatformMBeanServer() the
 * platform MBean server} on a background thread about one second after it starts (creating that
 * server costs the JVM a fraction of a second of CPU, which short programs never pay);
 * {@code -Dgort.mxbean=false} turns this off. JConsole, VisualVM, {@code ./gort dump PID} and any
 * JMX client see it.
 *
 * <p>Every attribute is read without stopping anything, as Go's schedtrace reads them: a racy
 * snapshot in which two attributes may come from different instants, and a counter may briefly
 * lag while a processor is being removed. Counters count from the runtime's start.
 *
 * <p>JMX requires an interface for an MXBean; the runtime holds the only implementation.
 */
public interface SchedulerMXBean {
    /** The MXBean's object name. */
    String OBJECT_NAME = "dev.gort:type=Scheduler";

    /** Processors (Ps), as {@link Go#gomaxprocs(int) Go.gomaxprocs(0)} returns (schedtrace {@code gomaxprocs}). */
    int getGomaxprocs();

    /** Ps with nothing to run (schedtrace {@code idleprocs}). */
    int getIdleProcs();

    /** Worker threads (Ms) that exist now, sysmon included (schedtrace {@code threads}). */
    int getThreads();

    /** Ms looking for work without a goroutine (schedtrace {@code spinningthreads}). */
    int getSpinningThreads();

    /** Ms parked with no P (schedtrace {@code idlethreads}). */
    int getIdleThreads();

    /** Length of the global run queue (schedtrace {@code runqueue}). */
    int getGlobalRunQueue();

    /** Length of each P's local run queue, by P id, {@code runnext} not counted (schedtrace's {@code [ 1 0 ]}). */
    int[] getLocalRunQueues();

    /** Live goroutines, as {@link Go#numGoroutine()} counts them. */
    int getGoroutines();

    /** Successful steals: a spinning M took half of another P's run queue. */
    long getSteals();

    /** Ps handed to another M: goroutines in a long syscall, {@code Go.syscallBlock}, and stuck goroutines. */
    long getHandOffs();

    /** Goroutines that yielded their P at a preemption point after sysmon or a stop-the-world asked. */
    long getPreemptions();

    /** Goroutines (and plain threads) waiting on the network poller (Go: {@code netpollWaiters}). */
    int getNetpollWaiters();

    /**
     * Every goroutine's stack in Go's layout ({@code goroutine 7 [chan receive, 2 minutes]:} and its
     * frames), as {@link Go#stack(boolean) Go.stack(true)} prints it.
     */
    String dumpGoroutines();

    /**
     * Sets the number of Ps as {@link Go#gomaxprocs(int) Go.gomaxprocs(n)} does (stopping the world)
     * and returns the previous value.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    int setGomaxprocs(int n);
}
