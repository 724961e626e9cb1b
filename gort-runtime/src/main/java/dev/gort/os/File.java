package dev.gort.os;

import dev.gort.Go;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code os.File}: an open file whose every read, write and close is a {@link Go#syscall}
 * (blocking the goroutine's thread, never its P for long). Reads return -1 at end of file (Java
 * style, where Go returns io.EOF); writes write everything or throw, as Go's do. Not safe for
 * concurrent use by several goroutines, like a FileChannel's position.
 */
public final class File implements AutoCloseable {
    private final FileChannel ch;
    private final Path path;

    private File(FileChannel ch, Path path) {
        this.ch = ch;
        this.path = path;
    }

    static File open(Path path, OpenOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        FileChannel ch = Go.syscall(() -> FileChannel.open(path, options));
        return new File(ch, path);
    }

    /** Reads up to b.length bytes: the count, or -1 at end of file. */
    public int read(byte[] b) throws IOException {
        return read(b, 0, Objects.requireNonNull(b, "b").length);
    }

    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, Objects.requireNonNull(b, "b").length);
        if (len == 0) {
            return 0;
        }
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        return Go.syscall(() -> ch.read(bb));
    }

    /** Writes all of b; returns b.length. */
    public int write(byte[] b) throws IOException {
        return write(b, 0, Objects.requireNonNull(b, "b").length);
    }

    public int write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, Objects.requireNonNull(b, "b").length);
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        Go.syscall(() -> {
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        });
        return len;
    }

    /** {@code f.Sync}. */
    public void sync() throws IOException {
        Go.syscall(() -> ch.force(true));
    }

    @Override
    public void close() throws IOException {
        Go.syscall(ch::close);
    }

    /** {@code f.Name}. */
    public Path path() {
        return path;
    }

    @Override
    public String toString() {
        return "File(" + path + ")";
    }
}
