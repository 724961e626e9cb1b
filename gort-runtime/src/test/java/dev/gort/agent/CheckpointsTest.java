package dev.gort.agent;

import static java.lang.constant.ConstantDescs.CD_int;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gort.testprog.AgentSample;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The bytecode rewrite alone: where checkpoints go, and that rewritten code verifies and computes the same. */
class CheckpointsTest {

    static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    static byte[] instrument(byte[] bytes) {
        return Checkpoints.instrument(bytes, cm -> LoaderHierarchy.forClass(cm, CheckpointsTest.class.getClassLoader()));
    }

    /** Method name (with descriptor when overloaded is not needed here) to checkpoint count. */
    static Map<String, Integer> counts(byte[] bytes) {
        Map<String, Integer> m = new TreeMap<>();
        for (MethodModel mm : ClassFile.of().parse(bytes).methods()) {
            m.merge(mm.methodName().stringValue(), Checkpoints.count(mm), Integer::sum);
        }
        return m;
    }

    /** Defines the given class files (the first is returned) in a throwaway loader, initialised: verified. */
    static Class<?> load(String name, byte[] bytes) throws Exception {
        ClassLoader loader = new ClassLoader(CheckpointsTest.class.getClassLoader()) {
            {
                defineClass(name, bytes, 0, bytes.length);
            }
        };
        return Class.forName(name, true, loader);
    }

    @Test
    void checkpointsAtBackEdgesAndEntriesOfCallingMethods() throws Exception {
        byte[] out = instrument(bytesOf(AgentSample.class));
        assertNotNull(out);
        Map<String, Integer> expected = new TreeMap<>(Map.of(
                "<clinit>", 0, "<init>", 1, "k", 0, "sumTo", 1, "fib", 1, "countDown", 1, "triangle", 2,
                "withLambda", 2, "lambda$withLambda$0", 0, "pick", 1));
        assertEquals(expected, counts(out));
        assertEquals(0, counts(bytesOf(AgentSample.class)).values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void rewrittenMethodsVerifyAndComputeTheSame() throws Exception {
        Class<?> c = load(AgentSample.class.getName(), instrument(bytesOf(AgentSample.class)));
        assertEquals(500_000_500_000L, c.getMethod("sumTo", int.class).invoke(null, 1_000_000));
        assertEquals(6765, c.getMethod("fib", int.class).invoke(null, 20));
        assertEquals(7, c.getMethod("countDown", int.class).invoke(null, 7));
        assertEquals(1, c.getMethod("countDown", int.class).invoke(null, -3));
        assertEquals(AgentSample.triangle(50), c.getMethod("triangle", int.class).invoke(null, 50));
        assertEquals(1009, c.getMethod("withLambda", int.class).invoke(null, 1000));
        Object sample = c.getConstructor(int.class).newInstance(42);
        assertEquals(42, c.getMethod("k").invoke(sample));
        assertEquals(AgentSample.Left.class, c.getMethod("pick", boolean.class).invoke(null, true).getClass());
    }

    /** javac never emits a backward switch target; a hand-built loop closed by both switch kinds. */
    @Test
    void backwardSwitchTargetsAreBackEdges() throws Exception {
        ClassDesc cd = ClassDesc.of("dev.gort.agent.gen.Switchy");
        byte[] bytes = ClassFile.of().build(cd, cb -> cb
                .withFlags(AccessFlag.PUBLIC)
                .withMethodBody("spin", MethodTypeDesc.of(CD_int, CD_int), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                        b -> {
                            Label top = b.newLabel(), mid = b.newLabel(), end = b.newLabel();
                            b.iconst_0().istore(1);
                            b.labelBinding(top);
                            b.iload(0).ifle(end);                  // forward: no checkpoint
                            b.iinc(1, 1).iinc(0, -1);
                            b.iload(0).iconst_2().irem();
                            b.tableswitch(0, 1, top, List.of(SwitchCase.of(0, top), SwitchCase.of(1, mid)));
                            b.labelBinding(mid);
                            b.iload(0).lookupswitch(top, List.of(SwitchCase.of(5, top)));
                            b.labelBinding(end);
                            b.iload(1).ireturn();
                        }));
        byte[] out = instrument(bytes);
        assertEquals(Map.of("spin", 2), counts(out));
        Method spin = load("dev.gort.agent.gen.Switchy", out).getMethod("spin", int.class);
        assertEquals(10, spin.invoke(null, 10));
        assertEquals(0, spin.invoke(null, 0));
    }

    @Test
    void nothingToDoGivesNull() throws Exception {
        ClassModel iface = ClassFile.of().parse(bytesOf(Runnable.class));
        assertEquals(0, iface.methods().stream().mapToInt(Checkpoints::count).sum());
        assertNull(instrument(bytesOf(Runnable.class))); // abstract methods only
        byte[] old = ClassFile.of().build(ClassDesc.of("Old"), cb -> cb
                .withVersion(ClassFile.JAVA_5_VERSION, 0)
                .withMethodBody("f", MethodTypeDesc.of(CD_int), ClassFile.ACC_STATIC, b -> {
                    Label top = b.newLabel();
                    b.labelBinding(top).goto_(top);
                }));
        assertNull(Checkpoints.instrument(old, cm -> ClassHierarchyResolver.defaultResolver()));
    }
}
