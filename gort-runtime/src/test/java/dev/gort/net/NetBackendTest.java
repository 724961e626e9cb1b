package dev.gort.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The suite runs once per netpoller (see {@link NetTesting}): this checks that the run really uses
 * the backend it was asked for, so a silent fallback (epoll unavailable, a typo in the property)
 * cannot make the two runs test the same thing.
 */
@Tag("net")
class NetBackendTest {
    @Test
    void runsOnTheBackendAskedFor() {
        String got = NetTesting.backend();
        System.out.println("dev.gort.net tests on the " + got + " netpoller");
        assertEquals(NetTesting.expectedBackend(), got);
    }
}
