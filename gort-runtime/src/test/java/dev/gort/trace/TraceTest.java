package dev.gort.trace;

import static dev.gort.trace.TraceFile.arg;
import static dev.gort.trace.TraceFile.argNum;
import static dev.gort.trace.TraceFile.dbl;
import static dev.gort.trace.TraceFile.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Chan;
import dev.gort.Go;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The execution tracer, in process: a small program traced with Go.startTrace/stopTrace at
 * GOMAXPROCS=2 — two goroutines ping-ponging on a channel, a sleep, a syscall and a
 * syscallBlock, and goroutines that only another P can run (so they are stolen) — then the JSON
 * is parsed and its events checked.
 */
class TraceTest {
    static final int ROUNDS = 200;
    static volatile long sink;

    /**
     * A trace started after the scheduler's hot paths were compiled with tracing off must record
     * them, and after the stop the same code must run on without recording: whatever form the
     * hooks' guard takes (a field, a call site the JIT folds), the compiled code must see it change.
     */
    @Test
    void hooksCompiledWhileOffRecordOnceTracingStarts(@TempDir Path dir) throws Exception {
        Go.gomaxprocs(1);
        Go.main(() -> pingpong(300_000)); // long enough for C2 to compile park, ready and execute
        Path file = dir.resolve("late.json");
        Go.startTrace(file);
        Go.main(() -> pingpong(1_000));
        Go.stopTrace();
        Go.main(() -> pingpong(100_000));
        TraceFile t = new TraceFile(file);
        long blocks = t.named("GoBlock").stream()
                .filter(e -> "chan receive".equals(arg(e, "reason")) || "chan send".equals(arg(e, "reason"))).count();
        assertTrue(blocks >= 1_000, "channel blocks recorded after a start while compiled: " + blocks);
        assertTrue(blocks < 20_000, "events recorded after the stop: " + blocks);
    }

    static void pingpong(int n) {
        Chan<Integer> a = Chan.make(), b = Chan.make();
        Go.go(() -> {
            for (Integer x : a) {
                b.send(x + 1);
            }
        });
        for (int i = 0; i < n; i++) {
            a.send(i);
            if (b.recv() != i + 1) {
                throw new AssertionError("ping-pong lost a value at " + i);
            }
        }
        a.close();
    }

    @Test
    void smallProgramTrace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trace.json");
        Go.gomaxprocs(2);
        Go.startTrace(file);
        assertThrows(IllegalStateException.class, () -> Go.startTrace(dir.resolve("other.json")),
                "tracing is already enabled");
        Go.main(TraceTest::program);
        Go.stopTrace();
        Go.stopTrace(); // a second stop does nothing

        TraceFile t = new TraceFile(file);

        // Tracks: one per P (process 1) and per M (process 2).
        assertEquals("P0", t.threadName(1, 0));
        assertEquals("P1", t.threadName(1, 1));
        assertFalse(t.where(e -> "M".equals(e.get("ph")) && num(e, "pid") == 2
                && String.valueOf(arg(e, "name")).startsWith("M")).isEmpty(), "no M track");

        // The ping-pong: two goroutines blocked in "chan receive" again and again; each has run slices
        // named by goid and function on the P tracks and the M tracks.
        // Each exchange on an unbuffered channel parks one side (in "chan receive" or "chan send").
        Map<Long, Integer> chanBlocks = new HashMap<>();
        Set<Long> receivers = new HashSet<>();
        for (Map<String, Object> e : t.named("GoBlock")) {
            Object reason = arg(e, "reason");
            if ("chan receive".equals(reason) || "chan send".equals(reason)) {
                chanBlocks.merge(argNum(e, "goid"), 1, Integer::sum);
            }
            if ("chan receive".equals(reason)) {
                receivers.add(argNum(e, "goid"));
            }
        }
        List<Long> pingers = chanBlocks.entrySet().stream().filter(en -> en.getValue() >= 20)
                .map(Map.Entry::getKey).toList();
        assertEquals(2, pingers.size(), "goroutines blocked on channels: " + chanBlocks);
        assertTrue(chanBlocks.get(pingers.get(0)) + chanBlocks.get(pingers.get(1)) >= ROUNDS, chanBlocks.toString());
        assertFalse(receivers.isEmpty(), "no GoBlock with reason chan receive");
        int slices = 0;
        for (long g : pingers) {
            for (int pid : new int[] {1, 2}) {
                List<Map<String, Object>> runs = t.slices(pid).stream()
                        .filter(e -> ((String) e.get("name")).startsWith("g" + g + " ")).toList();
                assertTrue(runs.size() >= 20, "g" + g + " has " + runs.size() + " slices on pid " + pid);
                assertEquals("g" + g + " dev.gort.trace.TraceTest.lambda", runs.get(0).get("name"));
                slices += pid == 1 ? runs.size() : 0;
            }
        }
        assertTrue(slices >= ROUNDS, "run slices of the two: " + slices);
        assertFalse(t.where(e -> "GoBlock".equals(e.get("name")) && "sleep".equals(arg(e, "reason"))).isEmpty(),
                "no GoBlock with reason sleep");

        // Wake-ups by a goroutine draw a flow arrow: "s" at the waker, "f" bound to the wakee's next slice.
        List<Map<String, Object>> unblocks = t.where(e -> "GoUnblock".equals(e.get("name"))
                && pingers.contains(argNum(e, "goid")) && pingers.contains(argNum(e, "waker")));
        assertTrue(unblocks.size() >= ROUNDS, "unblocks between the two: " + unblocks.size());
        Map<Long, Map<String, Object>> starts = new HashMap<>();
        for (Map<String, Object> e : t.where(e -> "s".equals(e.get("ph")))) {
            starts.put(num(e, "id"), e);
        }
        int flows = 0;
        for (Map<String, Object> f : t.where(e -> "f".equals(e.get("ph")))) {
            Map<String, Object> s = starts.get(num(f, "id"));
            assertNotNull(s, "flow end without a start: " + f);
            assertEquals("e", f.get("bp"));
            assertTrue(dbl(f, "ts") >= dbl(s, "ts"), "flow goes back in time: " + s + " -> " + f);
            // The arrow ends where a slice of the readied goroutine begins.
            boolean bound = !t.where(x -> "X".equals(x.get("ph")) && num(x, "pid") == num(f, "pid")
                    && num(x, "tid") == num(f, "tid") && dbl(x, "ts") == dbl(f, "ts")).isEmpty();
            assertTrue(bound, "flow end not at a slice start: " + f);
            flows++;
        }
        assertTrue(flows >= ROUNDS, "flows: " + flows);

        // The syscalls: enter and exit for the same goroutine, a "syscall" slice on its M's track.
        List<Map<String, Object>> enters = t.named("GoSyscallBegin");
        assertTrue(enters.size() >= 2, "syscall enters: " + enters.size());
        Set<Long> exited = new HashSet<>();
        for (Map<String, Object> e : t.named("GoSyscallEnd")) {
            exited.add(argNum(e, "goid"));
        }
        for (Map<String, Object> e : t.named("GoSyscallEndBlocked")) {
            exited.add(argNum(e, "goid"));
        }
        for (Map<String, Object> e : enters) {
            assertTrue(exited.contains(argNum(e, "goid")), "no syscall exit for " + e);
        }
        assertFalse(t.where(e -> Boolean.TRUE.equals(arg(e, "block"))).isEmpty(), "no syscallBlock enter");
        assertFalse(t.where(e -> "X".equals(e.get("ph")) && num(e, "pid") == 2
                && ((String) e.get("name")).startsWith("syscall g")).isEmpty(), "no syscall slice");

        // Ps start and stop, hand-offs (syscallBlock), steals.
        assertFalse(t.named("ProcStart").isEmpty(), "no ProcStart");
        assertFalse(t.named("ProcStop").isEmpty(), "no ProcStop");
        assertFalse(t.where(e -> "ProcSteal".equals(e.get("name"))).isEmpty(), "no ProcSteal");
        assertFalse(t.named("GoCreate").isEmpty(), "no GoCreate");

        // Consistency: on each P track the goroutine slices never overlap (a P runs one G at a time).
        Map<Long, List<Map<String, Object>>> byP = new HashMap<>();
        for (Map<String, Object> e : t.slices(1)) {
            byP.computeIfAbsent(num(e, "tid"), k -> new ArrayList<>()).add(e);
        }
        for (List<Map<String, Object>> l : byP.values()) {
            l.sort(Comparator.comparingDouble(e -> dbl(e, "ts")));
            double end = -1;
            for (Map<String, Object> e : l) {
                assertTrue(dbl(e, "ts") >= end - 0.0015, "overlapping slices on a P: " + e);
                end = dbl(e, "ts") + dbl(e, "dur");
            }
        }
        assertTrue(Files.size(file) > 1000);
    }

    static void program() {
        Chan<Integer> ping = Chan.make();
        Chan<Integer> pong = Chan.make();
        Chan<Boolean> done = Chan.make();
        Go.go(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                pong.send(ping.recv() + 1);
            }
        });
        Go.go(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                ping.send(i);
                if (pong.recv() != i + 1) {
                    throw new AssertionError("pong");
                }
            }
            done.send(true);
        });
        done.recv();
        // A certain "chan receive" block: send only once the dump shows the receiver parked.
        Chan<Integer> gate = Chan.make();
        Go.go(gate::recv);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Go.stack(true).contains("[chan receive]")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the receiver never parked");
            }
            Go.sleep(Duration.ofMillis(1));
        }
        gate.send(1);
        Go.sleep(Duration.ofMillis(2));
        try {
            Go.syscall(() -> Thread.sleep(1));
            Go.syscallBlock(() -> Thread.sleep(1));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        // Goroutines queued on this P while main spins without yielding: only the other P can take
        // them, by stealing, or by sysmon's hand-off of this P once main has run ~20 ms without a
        // yield. The sleep before each round starts main's time slice afresh, so every round is its
        // own chance of a steal (the spinner is woken the moment the goroutines are queued): no steal
        // in 20 rounds would take 20 separate stalls of the other M, each longer than 10 ms.
        for (int r = 0; r < 20; r++) {
            Go.sleep(Duration.ofMillis(1));
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 4; i++) {
                Go.go(ran::incrementAndGet);
            }
            while (ran.get() < 4) {
                sink++;
            }
        }
    }
}
