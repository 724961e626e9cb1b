package dev.gort.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Chan;
import dev.gort.Go;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev.gort.* JFR events, recorded in process with a jdk.jfr.Recording started before the
 * runtime (so its threads are seen starting) and read back with jdk.jfr.consumer.RecordingFile.
 * Each situation is forced, not hoped for: at GOMAXPROCS=1 the goroutine that releases a syscall
 * or a spinning loop can only run once the P was handed off or the spinner preempted.
 */
class JfrTest {
    static final String[] EVENTS = {
        "dev.gort.GoroutinePark", "dev.gort.SyscallHandoff", "dev.gort.Preemption", "dev.gort.ThreadStart"
    };

    @Test
    void schedulerEvents(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("gort.jfr");
        try (Recording r = new Recording()) {
            for (String e : EVENTS) {
                r.enable(e);
            }
            r.start();
            Go.gomaxprocs(1); // starts the runtime: sysmon and the first M
            Go.main(JfrTest::program);
            r.stop();
            r.dump(out);
        }
        List<RecordedEvent> all = RecordingFile.readAllEvents(out);

        List<RecordedEvent> parks = of(all, "dev.gort.GoroutinePark");
        assertFalse(parks.isEmpty(), "no park event");
        for (RecordedEvent e : parks) {
            // Only waits of at least the 20 ms threshold; the ping-pong's short ones are dropped.
            assertTrue(e.getDuration().toMillis() >= 20, e.toString());
        }
        RecordedEvent sleep = parks.stream().filter(e -> e.getString("waitReason").equals("sleep")).findFirst()
                .orElseThrow(() -> new AssertionError("no sleep park: " + parks));
        assertEquals(0, sleep.getLong("unparkedBy"), "woken by the timer: " + sleep);
        assertTrue(sleep.getDuration().toMillis() >= 50, sleep.toString());
        long mainGoid = sleep.getLong("goroutineId");
        assertTrue(parks.stream().anyMatch(e -> e.getString("waitReason").equals("chan receive")
                && e.getLong("goroutineId") > 0 && e.getLong("unparkedBy") == mainGoid
                && e.getLong("goroutineId") != mainGoid && e.getDuration().toMillis() >= 50),
                "no 50 ms chan receive park readied by main: " + parks);
        assertTrue(parks.size() < 10, "short parks recorded: " + parks.size());

        List<RecordedEvent> handoffs = of(all, "dev.gort.SyscallHandoff");
        assertTrue(handoffs.stream().anyMatch(e -> e.getString("reason").equals("syscallBlock")
                && e.getLong("goroutineId") > 0 && e.getInt("pId") == 0), "no syscallBlock hand-off: " + handoffs);
        assertTrue(handoffs.stream().anyMatch(e -> e.getString("reason").equals("syscall retaken by sysmon")
                && e.getLong("goroutineId") > 0 && e.getLong("mId") >= 0), "no sysmon retake: " + handoffs);

        List<RecordedEvent> preempts = of(all, "dev.gort.Preemption");
        assertTrue(preempts.stream().anyMatch(e -> e.getString("mechanism").equals("yield at a safe point")
                && e.getLong("goroutineId") > 0 && e.getInt("pId") == 0), "no preemption: " + preempts);

        List<RecordedEvent> threads = of(all, "dev.gort.ThreadStart");
        assertTrue(threads.stream().anyMatch(e -> e.getString("threadName").equals("gort-sysmon")), threads.toString());
        assertTrue(threads.stream().anyMatch(e -> e.getString("threadName").startsWith("gort-m")
                && e.getString("threadName").equals("gort-m" + e.getLong("mId"))), threads.toString());
    }

    private static List<RecordedEvent> of(List<RecordedEvent> all, String name) {
        return all.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    static void program() {
        // A park longer than the threshold (chan receive, readied by main: the receiver parks
        // before main starts its 50 ms sleep), a timer's (main's sleep), and many short ones that
        // must not be recorded.
        Chan<Integer> c = Chan.make();
        Chan<Boolean> ready = Chan.make(1);
        Chan<Boolean> done = Chan.make();
        Go.go(() -> {
            ready.send(true);
            for (int i = 0; i < 101; i++) {
                c.recv();
            }
            done.send(true);
        });
        ready.recv(); // GOMAXPROCS=1: main runs again only once the receiver has parked in c.recv
        Go.sleep(Duration.ofMillis(50));
        for (int i = 0; i < 101; i++) {
            c.send(i);
        }
        done.recv();

        try {
            // syscallBlock hands the P off at once.
            Go.syscallBlock(() -> {});
            // A syscall that only a goroutine queued on our only P can end: sysmon must retake it.
            CountDownLatch latch = new CountDownLatch(1);
            Go.go(latch::countDown);
            Go.syscall(() -> {
                if (!latch.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the syscall's P was never retaken");
                }
            });
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }

        // A goroutine spinning on checkpoints until a goroutine on the same (only) P runs: it
        // must be preempted (sysmon's 10 ms slice) for that to happen.
        AtomicBoolean other = new AtomicBoolean();
        Chan<Boolean> started = Chan.make(1);
        Chan<Boolean> fin = Chan.make(1);
        Go.go(() -> {
            started.send(true);
            while (!other.get()) {
                Go.checkpoint();
            }
            fin.send(true);
        });
        started.recv();
        Go.go(() -> other.set(true));
        fin.recv();
    }
}
