package dev.gort.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The methods that must never be inlined into a goroutine's code (because the JIT treats
 * Thread.currentThread() as fixed within a compiled method, see Proc.carrier and NioCalls) rely
 * on their bytecode being larger than C2's FreqInlineSize (325 bytes, the JDK 25 default).
 * This checks that size, so a cleanup that drops the padding fails here rather than as a rare
 * stall under load.
 */
class OutOfLineTest {
    private static final int FREQ_INLINE_SIZE = 325;

    @Test
    void carrierNioCallsAndSyscallInvokeAreTooLargeToInline() throws Exception {
        List<String> checked = new ArrayList<>();
        checked.addAll(checkLarger(Proc.class, "carrier"));
        checked.addAll(checkLarger(NioCalls.class, "io"));
        checked.addAll(checkLarger(NioCalls.class, "make"));
        checked.addAll(checkLarger(Syscall.class, "invoke"));
        assertTrue(checked.size() == 4, checked.toString());
    }

    private static List<String> checkLarger(Class<?> c, String method) throws Exception {
        byte[] bytes;
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            assertNotNull(in, c.getName());
            bytes = in.readAllBytes();
        }
        ClassModel cm = ClassFile.of().parse(bytes);
        List<String> found = new ArrayList<>();
        for (MethodModel m : cm.methods()) {
            if (m.methodName().equalsString(method)) {
                int size = m.findAttribute(Attributes.code()).orElseThrow().codeLength();
                assertTrue(size > FREQ_INLINE_SIZE,
                        c.getSimpleName() + "." + method + " has " + size + " bytes of bytecode: the JIT may inline it");
                found.add(c.getSimpleName() + "." + method + "=" + size);
            }
        }
        return found;
    }
}
