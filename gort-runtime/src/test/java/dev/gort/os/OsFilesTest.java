package dev.gort.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.Chan;
import dev.gort.ChildJvm;
import dev.gort.Go;
import dev.gort.testprog.SlowFileProg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dev.gort.os}: Go's whole-file helpers and {@code File}, all through {@code Go.syscall}
 * (issue 5, "files go the other way").
 */
class OsFilesTest {
    @Test
    void wholeFilesAndFileRoundTripFromGoroutines(@TempDir Path dir) throws Exception {
        Chan<String> out = Chan.make(1);
        Go.go(() -> {
            try {
                Path a = dir.resolve("a.bin");
                byte[] data = new byte[100_000];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (i * 31);
                }
                Files.writeFile(a, data);
                assertArrayEquals(data, Files.readFile(a));
                Files.writeFile(a, "short".getBytes(StandardCharsets.UTF_8)); // truncates
                assertEquals("short", Files.readString(a));

                Path b = dir.resolve("b.txt");
                try (File f = Files.create(b)) {
                    assertEquals(5, f.write("hello".getBytes(StandardCharsets.UTF_8)));
                    assertEquals(6, f.write(" world".getBytes(StandardCharsets.UTF_8)));
                }
                byte[] buf = new byte[64];
                try (File f = Files.open(b)) {
                    int n = f.read(buf);
                    assertEquals("hello world", new String(buf, 0, n, StandardCharsets.UTF_8));
                    assertEquals(-1, f.read(buf), "end of file");
                }
                out.send("ok");
            } catch (Throwable t) {
                out.send(t.toString());
            }
        });
        assertEquals("ok", out.recv());
    }

    /**
     * A goroutine reading a slow file (a named pipe nobody writes yet) blocks its thread, not the
     * others: at GOMAXPROCS=1 the main goroutine keeps ping-ponging, on another M the hand-off
     * gave the P to (child JVM).
     */
    @Test
    void slowFileReadCostsTheOthersNothingAtGomaxprocs1(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor(), "mkfifo");
        ChildJvm.Result r = ChildJvm.run(60, SlowFileProg.class, Map.of(), List.of("-Dgort.gomaxprocs=1"),
                fifo.toString());
        assertEquals(0, r.exit(), r.toString());
        Matcher m = Pattern.compile("rounds=(\\d+) blocked=(\\w+) syscall=(\\w+) during=(\\d+) before=(\\d+)"
                + " readerThread=(\\S+) mainThreads=(\\S+) read=\\[(.*)]")
                .matcher(r.stdout());
        assertTrue(m.find(), r.toString());
        assertEquals("200", m.group(1));
        assertEquals("true", m.group(2), "the reader was still in its read while the others ran");
        assertEquals("true", m.group(3), "the dump shows the reader [syscall]: the read went through Go.syscall: " + r);
        int during = Integer.parseInt(m.group(4));
        assertTrue(during >= 2, "the M in the read plus one running the P: " + during);
        // Not "during > before": an M left idle earlier (a hand-off while the JVM was still
        // loading classes, say) is reused by this hand-off instead of a new thread.
        String reader = m.group(6);
        assertTrue(reader.startsWith("gort-m"), "the read blocks its goroutine's M: " + reader);
        assertFalse(List.of(m.group(7).split(",")).contains(reader),
                "the main goroutine ran on another M while " + reader + " was in the read: " + m.group(7));
        assertEquals("slow file data", m.group(8));
        System.out.println("slow file at GOMAXPROCS=1: " + m.group());
    }
}
