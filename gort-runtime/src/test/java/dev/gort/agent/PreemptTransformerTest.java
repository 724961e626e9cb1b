package dev.gort.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Go;
import dev.gort.testprog.AgentSample;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** Which classes the agent rewrites, and that a class it cannot rewrite is loaded unchanged. */
class PreemptTransformerTest {
    private final ClassLoader app = getClass().getClassLoader();
    private final PreemptTransformer transformer = new PreemptTransformer(new ClassFilter(null, null), null, false);

    private byte[] transform(ClassLoader loader, String internalName, byte[] bytes) {
        return transformer.transform(null, loader, internalName, null, null, bytes);
    }

    @Test
    void filterSkipsTheJdkAndGortButNotItsTestPrograms() {
        ClassFilter f = new ClassFilter(null, null);
        assertTrue(f.instruments("com/example/Main", app));
        assertTrue(f.instruments("Main", app));
        assertTrue(f.instruments("dev/gort/testprog/HogProg", app));
        assertTrue(f.instruments("dev/gort/examples/Demo", app));
        assertTrue(f.instruments("dev/gort/bench/anchors/GortAnchors", app));
        for (String jdk : new String[] {"java/lang/String", "javax/net/Socket", "jdk/internal/Foo", "sun/misc/Unsafe",
                "com/sun/net/httpserver/HttpServer", "dev/gort/Go", "dev/gort/internal/runtime/Proc",
                "dev/gort/agent/PreemptAgent"}) {
            assertFalse(f.instruments(jdk, app), jdk);
        }
        assertFalse(f.instruments("com/example/Main", null), "boot loader");
        assertFalse(f.instruments("com/example/Main", ClassLoader.getPlatformClassLoader()), "platform loader");
        assertFalse(f.instruments(null, app), "no name");
    }

    @Test
    void includeAndExcludeProperties() {
        ClassFilter f = new ClassFilter(" com/example/ , org.acme.", "com/example/gen/,org/acme/Slow");
        assertTrue(f.instruments("com/example/Main", app));
        assertTrue(f.instruments("org/acme/Fast", app));
        assertFalse(f.instruments("com/example/gen/Proxy1", app));
        assertFalse(f.instruments("org/acme/SlowThing", app));
        assertFalse(f.instruments("net/other/Main", app), "not included");
        assertFalse(new ClassFilter("java/", null).instruments("java/lang/String", app), "the JDK stays out");
        assertTrue(new ClassFilter("", " ").instruments("net/other/Main", app), "blank means unset");
    }

    @Test
    void rewritesAnApplicationClass() throws Exception {
        byte[] in = CheckpointsTest.bytesOf(AgentSample.class);
        byte[] out = transform(app, "dev/gort/testprog/AgentSample", in);
        assertNotNull(out);
        assertEquals(1, CheckpointsTest.counts(out).get("sumTo"));
    }

    @Test
    void leavesSkippedClassesAlone() throws Exception {
        assertNull(transform(app, "dev/gort/Go", CheckpointsTest.bytesOf(Go.class)));
        assertNull(transform(null, "java/lang/Runnable", CheckpointsTest.bytesOf(Runnable.class)));
    }

    @Test
    void anyFailureLeavesTheClassUnchanged() throws Exception {
        assertNull(transform(app, "com/example/Garbage", new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2, 3}));
        assertNull(transform(app, "com/example/Empty", new byte[0]));

        byte[] sample = CheckpointsTest.bytesOf(AgentSample.class);
        // A loader that cannot see dev.gort.Go: the rewritten class could not link.
        ClassLoader isolated = new ClassLoader(ClassLoader.getPlatformClassLoader()) {};
        assertNull(transform(isolated, "dev/gort/testprog/AgentSample", sample));
        // A loader whose class files cannot be read: pick()'s stack maps need AgentSample.Left's superclass.
        ClassLoader opaque = new ClassLoader(app) {
            @Override
            public URL getResource(String name) {
                return null;
            }
        };
        assertNull(transform(opaque, "dev/gort/testprog/AgentSample", sample));
    }
}
