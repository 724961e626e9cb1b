package dev.gort.internal.runtime;

import static dev.gort.internal.runtime.Sched.sched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.Go;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.time.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The first network waiter arriving while an idle M sleeps until a far timer (findRunnable's
 * timer-only wait, used while nobody waits on the network: {@code sched.lastpoll == 0},
 * {@code sched.pollerThread} set). In Go that M would be blocked in netpoll and see the socket;
 * here it must be woken to become the network poller, or someone else must poll.
 */
@Tag("net")
class NetpollTimerSleeperTest {
    @Test
    void readinessIsSeenWhileAnMSleepsUntilAFarTimer() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Go.main(() -> {}); // start the runtime (library mode afterwards)
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            Conn c = Net.dial("tcp", "127.0.0.1:" + ln.addr().getPort());
            Conn s = ln.accept();
            assertEquals(0, sched.netpollWaiters.get(), "no network waiter yet");

            // A far timer: an idle M takes it and sleeps until it (not in netpoll: nobody waits).
            long made = System.nanoTime();
            Timer far = Timer.newTimer(Duration.ofSeconds(20));
            long end = System.nanoTime() + 10_000_000_000L;
            while (sched.pollerThread == null) {
                if (System.nanoTime() - end > 0) {
                    fail("no M went to sleep until the timer");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L); // polling a condition
            }

            // Now the first network waiter: a goroutine parks in read.
            AtomicLong readAt = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Go.go(() -> {
                try {
                    assertEquals(1, s.read(new byte[1]));
                    readAt.set(System.nanoTime());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            while (sched.netpollWaiters.get() == 0) {
                if (System.nanoTime() - end > 0) {
                    fail("the reader did not park");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L); // polling a condition
            }
            long wrote = System.nanoTime();
            c.write(new byte[] {1});
            long stop = System.nanoTime() + 5_000_000_000L;
            while (readAt.get() == 0 && failure.get() == null && System.nanoTime() < stop) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L); // polling a condition
            }
            far.stop();
            if (failure.get() != null) {
                throw failure.get();
            }
            long ms = readAt.get() == 0 ? -1 : (readAt.get() - wrote) / 1_000_000;
            System.out.println("reader woke " + ms + " ms after its data (-1: not within 5 s); the timer was made "
                    + (wrote - made) / 1_000_000 + " ms before the data");
            assertTrue(ms >= 0 && ms < 2000, "the reader woke " + (ms < 0 ? "not within 5 s" : ms + " ms")
                    + " after its data arrived (lastpoll=" + sched.lastpoll.get() + ", pollerThread="
                    + sched.pollerThread + ")");
            c.close();
            s.close();
            ln.close();
        });
    }
}
