package dev.gort.internal.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The offline trace viewer ({@code ./gort trace FILE}): turns a trace written by the execution
 * tracer (Chrome Trace Event JSON) into one self-contained HTML page — the trace embedded, a
 * canvas timeline drawn by a small script, no network access — with a row per P and per M,
 * goroutine slices coloured by goroutine, instant events as ticks, wake-up flows as lines;
 * wheel zooms, dragging pans, hovering shows an event's name and arguments.
 *
 * <p>The page's script is a resource next to this class ({@code viewer.html}); the trace replaces
 * its placeholder, with {@code </} escaped so the JSON cannot end the script element.
 */
public final class TraceViewer {
    private TraceViewer() {}

    /** {@code TraceViewer TRACE.json [OUT.html]}: writes the page (default: TRACE.json.html), prints its path. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: gort trace TRACE.json [OUT.html]");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = args.length == 2 ? Path.of(args[1]) : Path.of(args[0] + ".html");
        render(in, out);
        System.out.println(out.toAbsolutePath());
    }

    /** Writes the HTML page for the trace in {@code in} to {@code out}. */
    public static void render(Path in, Path out) throws IOException {
        String json = Files.readString(in, StandardCharsets.UTF_8).strip();
        if (!json.startsWith("{")) {
            throw new IOException(in + ": not a Chrome Trace Event JSON file");
        }
        String page;
        try (InputStream r = TraceViewer.class.getResourceAsStream("viewer.html")) {
            if (r == null) {
                throw new IOException("viewer.html missing from the jar");
            }
            page = new String(r.readAllBytes(), StandardCharsets.UTF_8);
        }
        String title = in.getFileName().toString().replace("&", "&amp;").replace("<", "&lt;");
        page = page.replace("@@TITLE@@", title).replace("@@TRACE@@", json.replace("</", "<\\/"));
        Files.writeString(out, page, StandardCharsets.UTF_8);
    }
}
