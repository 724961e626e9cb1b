package dev.gort.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.ChildJvm;
import dev.gort.testprog.NetDeadlockProg;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Deadlock detection with the netpoller, in child JVMs (program mode: Go.main): a goroutine
 * blocked on the network is not deadlocked. (Not tested: that a deadlock after network use is
 * still reported. Go does not promise it either: an M left blocked in netpoll when the last
 * waiter was woken by a close or a deadline counts as running, so checkdead stays quiet. That the
 * waiter count itself returns to 0 is NetpollWaitersTest's business.) See {@link NetDeadlockProg}.
 */
@Tag("net")
class NetDeadlockTest {
    static ChildJvm.Result run(String c) throws Exception {
        return ChildJvm.run(30, NetDeadlockProg.class, Map.of(),
                List.of("-Dgort.netpoll=" + NetTesting.backend(), "-Dgort.gomaxprocs=2"), c);
    }

    static void assertWaitedLate(ChildJvm.Result r, String prefix) {
        Matcher m = Pattern.compile(prefix + ": hello after (\\d+) ms").matcher(r.stdout());
        assertTrue(m.find(), r.toString());
        assertTrue(Long.parseLong(m.group(1)) >= 450, "the answer came after the late client's sleep: " + r);
    }

    @Test
    void mainBlockedInAcceptIsNotADeadlock() throws Exception {
        ChildJvm.Result r = run("accept");
        assertFalse(r.stderr().contains("deadlock"), r.toString());
        assertEquals(0, r.exit(), r.toString());
        assertWaitedLate(r, "accepted");
    }

    @Test
    void mainBlockedInReadIsNotADeadlock() throws Exception {
        ChildJvm.Result r = run("read");
        assertFalse(r.stderr().contains("deadlock"), r.toString());
        assertEquals(0, r.exit(), r.toString());
        assertWaitedLate(r, "read");
    }
}
