package dev.gort.net;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Members API.md's settled details promise that the other tests cannot call without failing to
 * compile when they are missing (checked by reflection, so the rest of the suite still builds).
 */
@Tag("net")
class ApiContractTest {
    /** "TCP connections have TCP_NODELAY on, as in Go; Conn.setNoDelay(boolean) changes it." */
    @Test
    void connHasSetNoDelay() {
        Method m = assertDoesNotThrow(() -> Conn.class.getMethod("setNoDelay", boolean.class),
                "API.md: Conn.setNoDelay(boolean)");
        assertEquals(true, Modifier.isPublic(m.getModifiers()));
    }
}
