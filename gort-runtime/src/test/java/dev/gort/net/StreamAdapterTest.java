package dev.gort.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Conn.inputStream()/outputStream() under ordinary java.io code. */
@Tag("net")
class StreamAdapterTest {
    static BufferedReader reader(Conn c) {
        return new BufferedReader(new InputStreamReader(c.inputStream(), StandardCharsets.UTF_8));
    }

    static PrintWriter writer(Conn c) {
        return new PrintWriter(new OutputStreamWriter(c.outputStream(), StandardCharsets.UTF_8));
    }

    /** A line server: "ADD a b" gets "= a+b", "ECHO text" gets the text back, "QUIT" gets "BYE". */
    static void lineServer(Conn c) throws Exception {
        try (c) {
            BufferedReader in = reader(c);
            PrintWriter out = writer(c);
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("ADD ")) {
                    String[] f = line.split(" ");
                    out.println("= " + (Long.parseLong(f[1]) + Long.parseLong(f[2])));
                } else if (line.startsWith("ECHO ")) {
                    out.println(line.substring(5));
                } else if (line.equals("QUIT")) {
                    out.println("BYE");
                    out.flush();
                    return;
                } else {
                    out.println("ERR " + line);
                }
                out.flush();
            }
        }
    }

    static void lineClient(String addr, int id, int lines) throws Exception {
        try (Conn c = Net.dial("tcp", addr)) {
            BufferedReader in = reader(c);
            PrintWriter out = writer(c);
            for (int i = 0; i < lines; i++) {
                if (i % 2 == 0) {
                    out.println("ADD " + id + " " + i);
                    out.flush();
                    assertEquals("= " + (id + i), in.readLine());
                } else {
                    String text = "client " + id + " line " + i + " — ünïcödé ✓ " + "x".repeat(i * 7 % 300);
                    out.println("ECHO " + text);
                    out.flush();
                    assertEquals(text, in.readLine());
                }
            }
            out.println("QUIT");
            out.flush();
            assertEquals("BYE", in.readLine());
            assertNull(in.readLine(), "end of stream after BYE");
        }
    }

    @Test
    void lineProtocolWithBufferedReaderAndPrintWriter() {
        NetTesting.main(() -> {
            Listener ln = Net.listen("tcp", "127.0.0.1:0");
            String addr = NetTesting.addr(ln);
            final int clients = 20;
            NetTesting.Group servers = new NetTesting.Group();
            servers.go(() -> {
                for (int i = 0; i < clients + 1; i++) {
                    Conn c = ln.accept();
                    servers.go(() -> lineServer(c));
                }
            });
            NetTesting.Group cl = new NetTesting.Group();
            for (int i = 0; i < clients; i++) {
                int id = i;
                cl.go(() -> lineClient(addr, id, 200));
            }
            cl.thread("plain-client", () -> lineClient(addr, 1000, 200)); // one more, on a plain thread
            cl.await();
            servers.await();
            ln.close();
        });
    }

    @Test
    void singleBytesAndEndOfStream() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            OutputStream out = p[0].outputStream();
            for (int b = 0; b < 256; b++) {
                out.write(b);
            }
            out.write(new byte[] {9, 8, 7}, 1, 2);
            p[0].closeWrite();
            InputStream in = p[1].inputStream();
            for (int b = 0; b < 256; b++) {
                assertEquals(b, in.read(), "byte " + b + " as an unsigned value");
            }
            assertEquals(8, in.read());
            assertEquals(7, in.read());
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[4], 0, 4));
            assertEquals(0, in.read(new byte[4], 0, 0), "InputStream: a zero-length read returns 0");
            p[0].close();
            p[1].close();
        });
    }

    @Test
    void dataStreamsOverBufferedStreams() {
        NetTesting.main(() -> {
            Conn[] p = NetTesting.pair();
            NetTesting.Group g = new NetTesting.Group();
            g.go(() -> {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(p[0].outputStream()))) {
                    for (int i = 0; i < 10_000; i++) {
                        out.writeInt(i);
                        out.writeLong(i * 1_000_000_007L);
                        out.writeUTF("record " + i);
                    }
                }
            });
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(p[1].inputStream()))) {
                for (int i = 0; i < 10_000; i++) {
                    assertEquals(i, in.readInt());
                    assertEquals(i * 1_000_000_007L, in.readLong());
                    assertEquals("record " + i, in.readUTF());
                }
                assertEquals(-1, in.read());
            }
            g.await();
        });
    }
}
