package dev.gort.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gort.Chan;
import dev.gort.Go;
import dev.gort.internal.trace.TraceViewer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline viewer ({@code ./gort trace FILE} runs TraceViewer): a traced ping-pong is rendered
 * to HTML, which must be self-contained, and opened in headless Chromium (Debian's
 * {@code chromium}, installed with apt-get when missing; the test fails, not skips, if it cannot
 * be): the page's script must have run (its status line, read from the DOM Chromium dumps, counts
 * the slices) and the screenshot must show a drawn timeline, not a blank page.
 */
class TraceViewerTest {
    @Test
    void rendersInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("pingpong.json");
        Go.gomaxprocs(2);
        Go.startTrace(json);
        Go.main(() -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Go.go(() -> {
                for (int i = 0; i < 50; i++) {
                    pong.send(ping.recv());
                }
            });
            for (int i = 0; i < 50; i++) {
                ping.send(i);
                pong.recv();
            }
            Go.sleep(Duration.ofMillis(1));
        });
        Go.stopTrace();

        Path html = dir.resolve("pingpong.html");
        TraceViewer.render(json, html);
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertFalse(page.contains("@@TRACE@@") || page.contains("@@TITLE@@"), "placeholders left");
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//").matcher(page).find(), "page loads from the network");
        assertTrue(page.contains("\"traceEvents\""), "trace not embedded");

        String chromium = chromium();
        // The DOM after the script ran: its status line says what it drew.
        Result dom = run(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", html.toUri().toString());
        Matcher m = Pattern.compile("rendered (\\d+) slices, (\\d+) tracks, (\\d+) flows").matcher(dom.out);
        assertTrue(m.find(), "the page's script did not run:\n" + dom);
        int slices = Integer.parseInt(m.group(1));
        assertTrue(slices >= 100, "slices drawn: " + slices);
        assertTrue(Integer.parseInt(m.group(2)) >= 4, "tracks: " + m.group(2));
        assertTrue(Integer.parseInt(m.group(3)) >= 50, "flows: " + m.group(3));

        Path png = dir.resolve("pingpong.png");
        Result shot = run(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--screenshot=" + png, "--window-size=1200,600", html.toUri().toString());
        assertTrue(Files.exists(png), "no screenshot:\n" + shot);
        Png img = Png.read(png);
        assertEquals(1200, img.width);
        Set<Integer> colours = new HashSet<>();
        int nonWhite = 0;
        for (int rgb : img.rgb) {
            colours.add(rgb);
            if (rgb != 0xffffff) {
                nonWhite++;
            }
        }
        // A timeline: track bands, labels and goroutine slices in several colours.
        assertTrue(colours.size() >= 20, "colours in the screenshot: " + colours.size());
        assertTrue(nonWhite > img.width * img.height / 20, "almost blank: " + nonWhite + " coloured pixels");
    }

    record Result(int exit, String out) {
        @Override
        public String toString() {
            return "exit " + exit + "\n" + out;
        }
    }

    static Result run(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes(); // ends when the process closes its output
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Debian's chromium, installed if missing (as root, or with password-less sudo). */
    static String chromium() throws IOException, InterruptedException {
        for (String c : List.of("chromium", "chromium-browser")) {
            if (run("sh", "-c", "command -v " + c).exit == 0) {
                return c;
            }
        }
        List<String> prefix = new ArrayList<>();
        if (!"0".equals(run("id", "-u").out.trim())) {
            prefix.addAll(List.of("sudo", "-n"));
        }
        StringBuilder log = new StringBuilder();
        for (List<String> step : List.of(List.of("apt-get", "install", "-y", "-q", "chromium"),
                List.of("apt-get", "update", "-q"), List.of("apt-get", "install", "-y", "-q", "chromium"))) {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(step);
            Result r = run(cmd.toArray(String[]::new));
            log.append("$ ").append(String.join(" ", cmd)).append('\n').append(r).append('\n');
            if (run("sh", "-c", "command -v chromium").exit == 0) {
                return "chromium";
            }
        }
        return fail("this test needs Debian's chromium and could not install it; apt-get install -y chromium, "
                + "then run it again. What apt-get said:\n" + log);
    }
}
