package dev.gort.trace;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A minimal PNG decoder for the viewer test (the runtime's test module cannot read java.desktop's
 * ImageIO): 8-bit RGB or RGBA, not interlaced — what Chromium's screenshots are. Pixels as 0xRRGGBB.
 */
final class Png {
    final int width;
    final int height;
    final int[] rgb;

    private Png(int width, int height, int[] rgb) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    static Png read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            if (in.readLong() != 0x89504E470D0A1A0AL) {
                throw new IOException("not a PNG");
            }
            int w = 0;
            int h = 0;
            int channels = 0;
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            for (;;) {
                int len = in.readInt();
                String type = new String(in.readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII);
                byte[] data = in.readNBytes(len);
                in.readInt(); // CRC
                if (type.equals("IHDR")) {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data);
                    w = b.getInt();
                    h = b.getInt();
                    int depth = data[8];
                    int colour = data[9];
                    if (depth != 8 || (colour != 2 && colour != 6) || data[12] != 0) {
                        throw new IOException("unsupported PNG: depth " + depth + " colour " + colour);
                    }
                    channels = colour == 6 ? 4 : 3;
                } else if (type.equals("IDAT")) {
                    idat.write(data);
                } else if (type.equals("IEND")) {
                    break;
                }
            }
            int stride = w * channels;
            byte[] raw = new byte[h * (stride + 1)];
            Inflater inf = new Inflater();
            inf.setInput(idat.toByteArray());
            try {
                int n = 0;
                while (n < raw.length && !inf.finished()) {
                    n += inf.inflate(raw, n, raw.length - n);
                }
            } catch (DataFormatException e) {
                throw new IOException(e);
            }
            int[] px = new int[w * h];
            byte[] prev = new byte[stride];
            byte[] cur = new byte[stride];
            for (int y = 0; y < h; y++) {
                int filter = raw[y * (stride + 1)];
                System.arraycopy(raw, y * (stride + 1) + 1, cur, 0, stride);
                for (int i = 0; i < stride; i++) {
                    int a = i >= channels ? cur[i - channels] & 0xff : 0;
                    int b = prev[i] & 0xff;
                    int c = i >= channels ? prev[i - channels] & 0xff : 0;
                    int add = switch (filter) {
                        case 0 -> 0;
                        case 1 -> a;
                        case 2 -> b;
                        case 3 -> (a + b) >>> 1;
                        case 4 -> paeth(a, b, c);
                        default -> throw new IOException("bad filter " + filter);
                    };
                    cur[i] = (byte) (cur[i] + add);
                }
                for (int x = 0; x < w; x++) {
                    int o = x * channels;
                    px[y * w + x] = (cur[o] & 0xff) << 16 | (cur[o + 1] & 0xff) << 8 | (cur[o + 2] & 0xff);
                }
                byte[] t = prev;
                prev = cur;
                cur = t;
            }
            return new Png(w, h, px);
        }
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
