package dev.gort.os;

import dev.gort.Go;
import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Package {@code os}'s whole-file helpers ({@code os.ReadFile}, {@code os.WriteFile}, {@code os.Open},
 * {@code os.Create}). As the seed articles explain, a file descriptor is always "ready", so file I/O
 * cannot use the netpoller: it blocks the thread. Every call here runs inside {@link Go#syscall}, so
 * a goroutine reading a slow file costs the other goroutines nothing: after a sysmon tick its P is
 * handed to another thread (watch {@code threads=} in {@code GODEBUG=schedtrace}). From a plain
 * Java thread they are ordinary blocking calls.
 */
public final class Files {
    private Files() {}

    /** {@code os.ReadFile}: the whole file. */
    public static byte[] readFile(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return Go.syscall(() -> java.nio.file.Files.readAllBytes(path));
    }

    /** {@code os.ReadFile} of a text file in UTF-8. */
    public static String readString(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return Go.syscall(() -> java.nio.file.Files.readString(path));
    }

    /** {@code os.WriteFile}: creates or truncates the file and writes all of data. */
    public static void writeFile(Path path, byte[] data) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(data, "data");
        Go.syscall(() -> {
            java.nio.file.Files.write(path, data);
        });
    }

    /** {@code os.Open}: a file for reading. */
    public static File open(Path path) throws IOException {
        return File.open(path, StandardOpenOption.READ);
    }

    /** {@code os.Create}: a file for writing, created or truncated. */
    public static File create(Path path) throws IOException {
        return File.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** {@code os.OpenFile} with Java's open options. */
    public static File openFile(Path path, OpenOption... options) throws IOException {
        return File.open(path, options);
    }
}
