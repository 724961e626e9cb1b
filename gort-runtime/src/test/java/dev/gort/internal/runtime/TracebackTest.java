package dev.gort.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.Chan;
import dev.gort.Go;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dump header's suffixes (Go: traceback.go goroutineheader): {@code , N minutes} once a
 * goroutine has waited a minute since a dump first saw it, then {@code , locked to thread}; and
 * a goroutine's own stack alone, as runtime.Stack(buf, false) prints it.
 */
class TracebackTest {
    private static final Pattern HEADER = Pattern.compile("(?m)^goroutine (\\d+) \\[([^\\]]*)\\]:$");

    /** The parked G that runs on a locked M (lockedm set) or not. */
    private static G parked(boolean locked) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (G gp : Proc.allgsSnapshot()) {
                if (gp.readgstatus() == G._Gwaiting && gp.waitreason == WaitReason.ChanReceive
                        && (gp.lockedm != null) == locked) {
                    return gp;
                }
            }
            LockSupport.parkNanos(1_000_000);
        }
        fail("no parked goroutine (locked=" + locked + ")\n" + Go.stack(true));
        return null;
    }

    /** Moves gp's waitsince back, as if it had waited that long; under _Gscan, as a dump writes it. */
    private static void waitedFor(G gp, long nanos) {
        int s = gp.readgstatus();
        assertTrue(s == G._Gwaiting || s == G._Gsyscall, "status " + s);
        assertTrue(gp.tryCasgstatus(s, s | G._Gscan));
        gp.waitsince = System.nanoTime() - nanos;
        gp.casgstatus(s | G._Gscan, s);
    }

    private static String header(String dump, long goid) {
        Matcher m = HEADER.matcher(dump);
        while (m.find()) {
            if (Long.parseLong(m.group(1)) == goid) {
                return m.group(2);
            }
        }
        return fail("goroutine " + goid + " is not in the dump:\n" + dump);
    }

    @Test
    void minutesAndLockedToThread() {
        Chan<Integer> plain = Chan.make();
        Chan<Integer> locked = Chan.make();
        Chan<Integer> ack = Chan.make();
        Go.go(() -> {
            plain.recv();
            ack.send(0);
            plain.recv();
        });
        Go.go(() -> {
            Go.lockOSThread();
            locked.recv();
            Go.unlockOSThread();
        });
        G gp = parked(false);
        G lg = parked(true);
        assertNotNull(lg.lockedm);

        String first = Go.stack(true);
        // The first dump sets waitsince: less than a minute, so no suffix yet.
        assertEquals("chan receive", header(first, gp.goid), first);
        assertEquals("chan receive, locked to thread", header(first, lg.goid), first);
        assertTrue(gp.waitsince != 0, "a dump records when it first saw the goroutine waiting");

        waitedFor(gp, TimeUnit.SECONDS.toNanos(61));
        waitedFor(lg, TimeUnit.MINUTES.toNanos(3) + 1);
        String later = Go.stack(true);
        assertEquals("chan receive, 1 minutes", header(later, gp.goid), later); // Go's plural, always
        assertEquals("chan receive, 3 minutes, locked to thread", header(later, lg.goid), later);

        // Running again resets it: the next wait is timed from the next dump that sees it.
        plain.send(1);
        assertEquals(0, ack.recv());
        G again = parked(false);
        assertEquals(gp, again);
        String after = Go.stack(true);
        assertEquals("chan receive", header(after, gp.goid), after);
        plain.send(2);
        locked.send(3);
        // Go.stack(false) on a goroutine: just its own header, [running]. (Checked here, not in
        // the goroutine: a failed assertion there would be an unrecovered panic.)
        Chan<String> own = Chan.make(1);
        Go.go(() -> own.send(Go.stack(false)));
        String o = own.recv();
        assertTrue(o.startsWith("goroutine ") && o.contains(" [running]:\n"), o);
        assertEquals(1, HEADER.matcher(o).results().count(), o);
    }

    /** Where the syscall goroutine below blocks: its name must show in the dump. */
    private static void blockInSyscall(java.util.concurrent.CountDownLatch in, java.util.concurrent.CountDownLatch out)
            throws InterruptedException {
        Go.syscall(() -> {
            in.countDown();
            out.await();
            return null;
        });
    }

    /**
     * A goroutine in a syscall: Go prints its stack (walked from the saved syscall sp) and, once a
     * dump has seen it blocked for a minute, {@code , N minutes}, as for a waiting one.
     */
    @Test
    void syscallShowsItsFramesAndMinutes() throws Exception {
        var in = new java.util.concurrent.CountDownLatch(1);
        var out = new java.util.concurrent.CountDownLatch(1);
        Chan<Integer> done = Chan.make(1);
        // Goroutines of earlier tests in this JVM that may still be in a syscall: not ours.
        java.util.Set<G> before = new java.util.HashSet<>();
        for (G g : Proc.allgsSnapshot()) {
            if (g.readgstatus() == G._Gsyscall) {
                before.add(g);
            }
        }
        Go.go(() -> {
            try {
                blockInSyscall(in, out);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            done.send(1);
        });
        assertTrue(in.await(60, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // in.countDown() runs inside the syscall, so ours is in _Gsyscall by now.
        G gp = null;
        for (G g : Proc.allgsSnapshot()) {
            if (g.readgstatus() == G._Gsyscall && !before.contains(g)) {
                gp = g;
            }
        }
        assertNotNull(gp, "no goroutine in _Gsyscall");
        try {
            // Dump until the goroutine is seen in out.await(): the first dumps may catch it still
            // leaving in.countDown(). Every dump shows it in the syscall with its frames.
            String own;
            do {
                String d = Go.stack(true);
                assertEquals("syscall", header(d, gp.goid), d);
                own = d.substring(d.indexOf("goroutine " + gp.goid + " ["));
                int end = own.indexOf("\n\n");
                own = end < 0 ? own : own.substring(0, end);
                assertTrue(own.contains("TracebackTest.blockInSyscall("), "the syscall's frames:\n" + own);
                assertTrue(!own.contains("stack unavailable"), own);
                if (System.nanoTime() > deadline) {
                    fail("the goroutine was never seen blocked in out.await():\n" + own);
                }
            } while (!own.contains("CountDownLatch.await("));
            assertTrue(gp.waitsince != 0, "a dump records when it first saw the goroutine in the syscall");

            waitedFor(gp, TimeUnit.MINUTES.toNanos(2) + 1);
            String later = Go.stack(true);
            assertEquals("syscall, 2 minutes", header(later, gp.goid), later);
        } finally {
            out.countDown();
        }
        assertEquals(1, done.recv());
    }
}
