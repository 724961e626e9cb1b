package dev.gort;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.internal.runtime.Hchan;
import dev.gort.net.Conn;
import dev.gort.net.Listener;
import dev.gort.net.Net;
import dev.gort.net.TimeoutException;
import dev.gort.os.Files;
import dev.gort.sync.Cond;
import dev.gort.sync.Once;
import dev.gort.sync.WaitGroup;
import dev.gort.testprog.EnvProg;
import dev.gort.testprog.WaitGroupReuseProg;
import dev.gort.time.Ticker;
import dev.gort.time.Time;
import dev.gort.time.Timer;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The bad-input table (README, "Reliability" / "Bad input"): one test per row, each checking the
 * exact exception type and message (Go's text where Go has one).
 *
 * <p>Null arguments: where Go has a nil (a channel, a func passed to {@code go}), Gort keeps Go's
 * meaning (a null channel never fires in select, {@code go} of a null func panics
 * {@code go of nil func value}); everywhere else a null argument throws a
 * {@link NullPointerException} whose message is the parameter's name, as
 * {@code Objects.requireNonNull(x, "x")} does, before anything else happens.
 */
class BadInputTest {
    static final Duration BOUND = Duration.ofSeconds(60);

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** Runs body as the main goroutine (a hang fails the test) and rethrows what it threw. */
    static void inGoroutine(Body body) {
        assertTimeoutPreemptively(BOUND, () -> Go.main(() -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }));
    }

    static void assertNpe(String name, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(name, e.getMessage());
    }

    static void assertPanic(String message, Executable call) {
        Panic p = assertThrows(Panic.class, call);
        assertEquals(message, p.getMessage());
    }

    // ------------------------------------------------------------------------------ channels

    @Nested
    class Channels {
        @Test
        void negativeCapacityPanics() {
            assertPanic("makechan: size out of range", () -> Chan.make(-1));
            assertPanic("makechan: size out of range", () -> Chan.make(Integer.MIN_VALUE));
        }

        @Test
        void hugeCapacityIsRefusedBeforeAllocating() {
            // Integer.MAX_VALUE slots is beyond any Java array: an OutOfMemoryError without the check.
            assertPanic("makechan: size out of range", () -> Chan.make(Integer.MAX_VALUE));
            assertPanic("makechan: size out of range", () -> Chan.make(Hchan.MAX_BUF + 1));
            long expected = Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4);
            assertEquals(expected, Hchan.MAX_BUF, "the documented limit");
        }

        @Test
        void largeCapacityBelowTheLimitWorks() {
            Chan<Integer> c = Chan.make(1 << 20);
            assertEquals(1 << 20, c.cap());
            c.send(7);
            assertEquals(1, c.len());
            assertEquals(7, c.recv());
        }

        @Test
        void nullValueIsAnOrdinaryValue() {
            Chan<String> c = Chan.make(1);
            c.send(null);
            Received<String> r = c.recvOk();
            assertNull(r.value());
            assertTrue(r.ok(), "a sent null is not a close");
        }

        @Test
        void closeOfClosedChannelPanics() {
            Chan<Integer> c = Chan.make();
            c.close();
            assertPanic("close of closed channel", c::close);
        }

        @Test
        void sendOnClosedChannelPanics() {
            Chan<Integer> c = Chan.make(1);
            c.close();
            assertPanic("send on closed channel", () -> c.send(1));
            assertPanic("send on closed channel", () -> c.trySend(1));
        }
    }

    // ------------------------------------------------------------------------------ select

    @Nested
    class SelectCases {
        @Test
        void nullChannelNeverFires() {
            int[] hits = new int[1];
            int i = Select.select(
                    Select.recv((Chan<Integer>) null, v -> hits[0]++),
                    Select.send((Chan<Integer>) null, 1, () -> hits[0]++),
                    Select.otherwise(() -> { }));
            assertEquals(2, i, "only the default can fire");
            assertEquals(0, hits[0]);
        }

        @Test
        void nullCallbackIsRefusedWhenTheCaseIsBuilt() {
            Chan<Integer> c = Chan.make();
            assertNpe("then", () -> Select.recv(c, null));
            assertNpe("then", () -> Select.recvOk(c, null));
            assertNpe("then", () -> Select.send(c, 1, null));
            assertNpe("then", () -> Select.otherwise(null));
        }

        @Test
        void nullCaseOrCaseArray() {
            assertNpe("cases", () -> Select.select((Select.Case[]) null));
            assertNpe("cases[1]", () -> Select.select(Select.otherwise(() -> { }), null));
        }

        @Test
        void twoDefaults() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Select.select(Select.otherwise(() -> { }), Select.otherwise(() -> { })));
            assertEquals("select: multiple defaults", e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------ goroutines

    @Nested
    class Goroutines {
        @Test
        void goOfNullPanicsAsGo() {
            assertPanic("go of nil func value", () -> Go.go(null));
            assertPanic("go of nil func value", () -> Go.main(null));
        }

        @Test
        void nullSyscall() {
            assertNpe("call", () -> Go.syscall((Blocking<Object, RuntimeException>) null));
            assertNpe("call", () -> Go.syscall((BlockingRun<RuntimeException>) null));
            assertNpe("call", () -> Go.syscallBlock((Blocking<Object, RuntimeException>) null));
            assertNpe("call", () -> Go.syscallBlock((BlockingRun<RuntimeException>) null));
        }

        @Test
        void nullSleep() {
            assertNpe("d", () -> Go.sleep(null));
        }

        @Test
        void zeroAndNegativeSleepReturnAtOnce() {
            Duration[] ds = {Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(-5), Duration.ofSeconds(Long.MIN_VALUE)};
            // On a plain thread and in a goroutine; bounded well below what a real sleep of the
            // absolute value would take.
            assertTimeoutPreemptively(BOUND, () -> {
                for (Duration d : ds) {
                    Go.sleep(d);
                }
            });
            inGoroutine(() -> {
                for (Duration d : ds) {
                    Go.sleep(d);
                }
            });
        }

        @Test
        void unlockOSThreadWithoutLockIsANoOp() {
            assertDoesNotThrow(Go::unlockOSThread, "plain thread");
            inGoroutine(() -> {
                Go.unlockOSThread();
                Go.unlockOSThread();
                // The surplus unlocks did not count below zero: one lock locks.
                Go.lockOSThread();
                assertTrue(header().contains(", locked to thread]"), header());
                Go.unlockOSThread();
                assertFalse(header().contains("locked to thread"), header());
            });
        }

        private static String header() {
            String s = Go.stack(false);
            return s.substring(0, s.indexOf('\n'));
        }

        @Test
        void goroutineOnlyCallsOnAPlainThread() {
            IllegalStateException e = assertThrows(IllegalStateException.class, Go::lockOSThread);
            assertEquals("not on a goroutine", e.getMessage());
            e = assertThrows(IllegalStateException.class, Go::goexit);
            assertEquals("not on a goroutine", e.getMessage());
        }

        @Test
        void gomaxprocsBelowOneOnlyQueries() {
            int n = Go.gomaxprocs(0);
            assertTrue(n >= 1);
            assertEquals(n, Go.gomaxprocs(-7));
            assertEquals(n, Go.gomaxprocs(0));
        }
    }

    // ------------------------------------------------------------------------------ sync

    @Nested
    class Sync {
        @Test
        void negativeWaitGroupCounter() {
            WaitGroup wg = new WaitGroup();
            assertPanic("sync: negative WaitGroup counter", () -> wg.add(-1));
            WaitGroup wg2 = new WaitGroup();
            assertPanic("sync: negative WaitGroup counter", wg2::done);
        }

        @Test
        void addAfterWaitReturnedReusesTheGroup() {
            inGoroutine(() -> {
                WaitGroup wg = new WaitGroup();
                for (int round = 0; round < 3; round++) {
                    wg.add(1); // after the previous await returned: legal, as in Go
                    Go.go(wg::done);
                    wg.await();
                }
            });
        }

        @Test
        void addBeforePreviousWaitReturnedPanicsInTheWaiter() throws Exception {
            ChildJvm.Result r = ChildJvm.run(WaitGroupReuseProg.class, Map.of(), List.of("-Dgort.gomaxprocs=1"));
            assertEquals(0, r.exit(), r.toString());
            assertEquals("panic: sync: WaitGroup is reused before previous Wait has returned\n", r.stdout(), r.toString());
        }

        @Test
        void nullBodiesAndLocks() {
            assertNpe("body", () -> new WaitGroup().go(null));
            assertNpe("body", () -> new Once().run(null));
            assertNpe("l", () -> new Cond(null));
        }
    }

    // ------------------------------------------------------------------------------ time

    @Nested
    class Timers {
        @Test
        void nonPositiveTickerInterval() {
            assertPanic("non-positive interval for NewTicker", () -> Ticker.newTicker(Duration.ZERO));
            assertPanic("non-positive interval for NewTicker", () -> Ticker.newTicker(Duration.ofMillis(-1)));
            Ticker t = Ticker.newTicker(Duration.ofHours(1));
            try {
                assertPanic("non-positive interval for Ticker.Reset", () -> t.reset(Duration.ZERO));
                assertPanic("non-positive interval for Ticker.Reset", () -> t.reset(Duration.ofSeconds(-1)));
            } finally {
                t.stop();
            }
        }

        @Test
        void zeroAndNegativeTimersFireAtOnce() {
            inGoroutine(() -> {
                assertTrue(Timer.newTimer(Duration.ZERO).c().recvOk().ok());
                assertTrue(Timer.newTimer(Duration.ofSeconds(-3)).c().recvOk().ok());
                assertTrue(Time.after(Duration.ofNanos(-1)).recvOk().ok());
                Chan<String> ran = Chan.make(1);
                Timer.afterFunc(Duration.ofDays(-1), () -> ran.send("ran"));
                assertEquals("ran", ran.recv());
                Timer t = Timer.newTimer(Duration.ofHours(1));
                assertTrue(t.reset(Duration.ofMillis(-10)), "it was pending");
                assertTrue(t.c().recvOk().ok());
            });
        }

        @Test
        void nonPositiveTickIsANilChannel() {
            assertNull(Time.tick(Duration.ZERO));
            assertNull(Time.tick(Duration.ofSeconds(-1)));
        }

        @Test
        void hugeDurationIsClampedNotOverflowed() {
            inGoroutine(() -> {
                // Both on this P's heap, which fires in order of when: if the huge one had
                // overflowed into the past, it would have fired before the 1 ms one.
                Timer huge = Timer.newTimer(Duration.ofSeconds(Long.MAX_VALUE));
                Timer small = Timer.newTimer(Duration.ofMillis(1));
                small.c().recv();
                assertNull(huge.c().tryRecv(), "the clamped timer has not fired");
                assertTrue(huge.stop(), "still pending");
            });
        }

        @Test
        void nullDurationsAndFuncs() {
            assertNpe("d", () -> Timer.newTimer(null));
            assertNpe("d", () -> Timer.afterFunc(null, () -> { }));
            assertNpe("f", () -> Timer.afterFunc(Duration.ofSeconds(1), null));
            assertNpe("d", () -> Ticker.newTicker(null));
            assertNpe("d", () -> Time.after(null));
            assertNpe("d", () -> Time.tick(null));
            Timer t = Timer.newTimer(Duration.ofHours(1));
            Ticker k = Ticker.newTicker(Duration.ofHours(1));
            try {
                assertNpe("d", () -> t.reset(null));
                assertNpe("d", () -> k.reset(null));
            } finally {
                t.stop();
                k.stop();
            }
        }
    }

    // ------------------------------------------------------------------------------ environment

    @Nested
    class Environment {
        private static int ncpu(ChildJvm.Result r) {
            String out = r.stdout().trim();
            return Integer.parseInt(out.substring(out.indexOf("ncpu=") + 5));
        }

        @Test
        void malformedGomaxprocsIsReportedOnceAndTheDefaultUsed() throws Exception {
            ChildJvm.Result r = ChildJvm.run(EnvProg.class, Map.of("GOMAXPROCS", "lots"), List.of());
            assertEquals(0, r.exit(), r.toString());
            int n = ncpu(r);
            assertEquals("gomaxprocs=" + n + " ncpu=" + n + "\n", r.stdout(), r.toString());
            assertEquals("gort: ignoring malformed GOMAXPROCS=\"lots\" (want a positive integer); using " + n + "\n",
                    r.stderr(), r.toString());
        }

        @Test
        void zeroOrNegativeGomaxprocsMeansNumCpuSilently() throws Exception {
            ChildJvm.Result r = ChildJvm.run(EnvProg.class, Map.of("GOMAXPROCS", "-3"), List.of());
            assertEquals(0, r.exit(), r.toString());
            int n = ncpu(r);
            assertEquals("gomaxprocs=" + n + " ncpu=" + n + "\n", r.stdout(), r.toString());
            assertEquals("", r.stderr(), r.toString());
        }

        @Test
        void malformedGodebugIsReportedOnceAndIgnored() throws Exception {
            ChildJvm.Result r = ChildJvm.run(EnvProg.class, Map.of("GODEBUG", "schedtrace=abc,scheddetail=-1,foo=bar"),
                    List.of());
            assertEquals(0, r.exit(), r.toString());
            assertEquals("gort: ignoring malformed GODEBUG schedtrace=\"abc\" (want an integer)\n"
                    + "gort: ignoring malformed GODEBUG scheddetail=\"-1\" (want an integer >= 0)\n",
                    r.stderr(), "each malformed key once, the unknown key silently, no SCHED lines: " + r);
        }
    }

    // ------------------------------------------------------------------------------ net

    @Nested
    class Network {
        static final String CLOSED = "use of closed network connection";

        /** A connected pair on loopback: [client, server]. */
        private static Conn[] pair(Listener ln) throws Exception {
            Conn c = Net.dial("tcp", ln.addr().getAddress().getHostAddress() + ":" + ln.addr().getPort());
            return new Conn[] {c, ln.accept()};
        }

        @Test
        void nullNetworkOrAddress() {
            assertNpe("network", () -> Net.listen(null, "127.0.0.1:0"));
            assertNpe("address", () -> Net.listen("tcp", null));
            assertNpe("network", () -> Net.dial(null, "127.0.0.1:1"));
            assertNpe("address", () -> Net.dial("tcp", null));
        }

        @Test
        void unknownNetworkAndMalformedAddress() {
            java.io.IOException u = assertThrows(java.io.IOException.class, () -> Net.listen("udp", "127.0.0.1:0"));
            assertEquals(java.io.IOException.class, u.getClass());
            assertEquals("listen udp 127.0.0.1:0: unknown network udp", u.getMessage());
            SocketException e = assertThrows(SocketException.class, () -> Net.dial("tcp", "127.0.0.1"));
            assertEquals("dial tcp: address 127.0.0.1: missing port in address", e.getMessage());
        }

        @Test
        void pastDeadlineFailsIoAtOnce() {
            inGoroutine(() -> {
                try (Listener ln = Net.listen("tcp", "127.0.0.1:0")) {
                    Conn[] p = pair(ln);
                    // No data will ever come: without the past deadline this read would block.
                    p[0].setReadDeadline(Instant.now().minusSeconds(1));
                    TimeoutException t = assertThrows(TimeoutException.class, () -> p[0].read(new byte[8]));
                    assertEquals("i/o timeout", t.getMessage());
                    p[0].setWriteDeadline(Instant.EPOCH);
                    t = assertThrows(TimeoutException.class, () -> p[0].write(new byte[8]));
                    assertEquals("i/o timeout", t.getMessage());
                    // Clearing the deadline (null, Go's zero time) makes I/O work again.
                    p[0].setDeadline(null);
                    assertEquals(3, p[0].write(new byte[] {1, 2, 3}));
                    assertEquals(3, p[1].read(new byte[8]));
                    p[0].close();
                    p[1].close();
                }
            });
        }

        @Test
        void closeOfClosedListenerIsHarmlessAndAcceptFails() {
            inGoroutine(() -> {
                Listener ln = Net.listen("tcp", "127.0.0.1:0");
                ln.close();
                assertDoesNotThrow(ln::close, "second close (Java's Closeable; Go returns an error)");
                // API.md: the bare text of Go's ErrNetClosing (Go wraps it: "accept tcp ADDR: ...").
                SocketException e = assertThrows(SocketException.class, ln::accept);
                assertEquals(CLOSED, e.getMessage());
            });
        }

        @Test
        void closeOfClosedConnIsHarmlessAndIoFails() {
            inGoroutine(() -> {
                try (Listener ln = Net.listen("tcp", "127.0.0.1:0")) {
                    Conn[] p = pair(ln);
                    p[0].close();
                    assertDoesNotThrow(p[0]::close, "second close");
                    SocketException e = assertThrows(SocketException.class, () -> p[0].read(new byte[1]));
                    assertEquals(CLOSED, e.getMessage());
                    p[1].close();
                }
            });
        }

        @Test
        void nullBuffers() {
            inGoroutine(() -> {
                try (Listener ln = Net.listen("tcp", "127.0.0.1:0")) {
                    Conn[] p = pair(ln);
                    assertNpe("b", () -> p[0].read((byte[]) null));
                    assertNpe("b", () -> p[0].read(null, 0, 0));
                    assertNpe("b", () -> p[0].read((ByteBuffer) null));
                    assertNpe("b", () -> p[0].write(null));
                    assertNpe("b", () -> p[0].write(null, 0, 0));
                    p[0].close();
                    p[1].close();
                }
            });
        }
    }

    // ------------------------------------------------------------------------------ os

    @Nested
    class Os {
        @Test
        void nullPathsAndData() throws Exception {
            assertNpe("path", () -> Files.readFile(null));
            assertNpe("path", () -> Files.readString(null));
            assertNpe("path", () -> Files.writeFile(null, new byte[0]));
            Path tmp = java.nio.file.Files.createTempFile("gort-bad", ".bin");
            try {
                assertNpe("data", () -> Files.writeFile(tmp, null));
                assertNpe("path", () -> Files.open(null));
                assertNpe("path", () -> Files.create(null));
                assertNpe("options", () -> Files.openFile(tmp, (java.nio.file.OpenOption[]) null));
                try (dev.gort.os.File f = Files.open(tmp)) {
                    assertNpe("b", () -> f.read(null));
                    assertNpe("b", () -> f.write(null));
                }
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        }

        @Test
        void missingFileIsTheJdkError() {
            java.nio.file.NoSuchFileException e = assertThrows(java.nio.file.NoSuchFileException.class,
                    () -> Files.readFile(Path.of("/nonexistent/gort-bad-input")));
            assertEquals("/nonexistent/gort-bad-input", e.getMessage());
        }
    }
}
