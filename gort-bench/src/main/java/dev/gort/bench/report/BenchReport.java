package dev.gort.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one side-by-side run of {@code gort-bench/peers.sh} (what {@code ./gort bench}
 * runs): a markdown table of medians and Gort / peer ratios ({@link MarkdownTable}) and an SVG bar
 * chart of the ratios ({@link SvgChart}), both written from the run directory the harness filled.
 *
 * <pre>
 * java -cp benchmarks.jar dev.gort.bench.report.BenchReport --dir RUN_DIR --md TABLE.md --svg CHART.svg \
 *      --command "./gort bench --quick" --stamp 20261122T083800Z --wall 95 --impls "gort go vt"
 * </pre>
 *
 * RUN_DIR holds {@code results.txt} (the values, see {@link Results}), {@code versions.txt} (one
 * {@code key: text} line each: versions, machine, and the {@code sizes:}/{@code net sizes:} lines of
 * {@code NAME=value} pairs that fill the metrics' descriptions) and optionally {@code load.txt}
 * ({@code load_before=}/{@code load_after=} per process). The table goes to stdout too. Columns are
 * the implementations asked for that produced anything, Gort first. Immutable once built.
 */
public final class BenchReport {

    final Results results;
    /** Column order: "gort" first, then the peers that ran. */
    final List<String> impls;
    final Map<String, String> sizes;
    /** versions.txt, line by line. */
    final List<String> versions;
    final String command;
    final String stamp;
    final String source;
    final long wallSeconds;
    final List<Double> loads;

    BenchReport(Results results, List<String> requested, Map<String, String> sizes, List<String> versions,
                String command, String stamp, String source, long wallSeconds, List<Double> loads) {
        this.results = results;
        List<String> cols = new ArrayList<>();
        cols.add("gort");
        for (String i : requested) {
            if (!cols.contains(i) && results.ran(i)) {
                cols.add(i);
            }
        }
        this.impls = List.copyOf(cols);
        this.sizes = Map.copyOf(sizes);
        this.versions = List.copyOf(versions);
        this.command = command;
        this.stamp = stamp;
        this.source = source;
        this.wallSeconds = wallSeconds;
        this.loads = List.copyOf(loads);
    }

    /** The catalogue's rows this run has anything for. */
    List<Metric> rows() {
        List<Metric> rows = new ArrayList<>();
        for (Metric m : Metric.ALL) {
            if (results.present(m.bench(), m.procs())) {
                rows.add(m);
            }
        }
        return rows;
    }

    List<String> peers() {
        return impls.subList(1, impls.size());
    }

    /** The stamp (20261122T083800Z) as "2026-11-22 08:38 UTC"; the stamp itself if it is not one. */
    String date() {
        try {
            LocalDateTime t = LocalDateTime.parse(stamp, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
            return t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)) + " UTC";
        } catch (DateTimeParseException e) {
            return stamp;
        }
    }

    /** The text after "key: " of versions.txt's first line with that key, or null. */
    String version(String key) {
        for (String line : versions) {
            if (line.startsWith(key + ": ")) {
                return line.substring(key.length() + 2);
            }
        }
        return null;
    }

    static String label(String impl) {
        return switch (impl) {
            case "gort" -> "Gort";
            case "go" -> "Go";
            case "vt" -> "JDK virtual threads";
            case "kotlin" -> "Kotlin coroutines";
            default -> impl;
        };
    }

    /** NAME=value pairs of the versions lines that start with "sizes:" or "net sizes:". */
    static Map<String, String> sizes(List<String> versions) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : versions) {
            if (line.startsWith("sizes:") || line.startsWith("net sizes:")) {
                for (String tok : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                    int eq = tok.indexOf('=');
                    if (eq > 0) {
                        m.put(tok.substring(0, eq), tok.substring(eq + 1));
                    }
                }
            }
        }
        return m;
    }

    static BenchReport read(Path dir, List<String> requested, String command, String stamp, long wall)
        throws IOException {
        Results results = Results.parse(Files.readAllLines(dir.resolve("results.txt"), StandardCharsets.UTF_8));
        Path vp = dir.resolve("versions.txt");
        List<String> versions = Files.exists(vp) ? Files.readAllLines(vp, StandardCharsets.UTF_8) : List.of();
        versions = versions.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<Double> loads = new ArrayList<>();
        Path lp = dir.resolve("load.txt");
        if (Files.exists(lp)) {
            for (String line : Files.readAllLines(lp, StandardCharsets.UTF_8)) {
                for (String tok : line.trim().split("\\s+")) {
                    if (tok.startsWith("load_") && tok.indexOf('=') > 0) {
                        try {
                            loads.add(Double.parseDouble(tok.substring(tok.indexOf('=') + 1)));
                        } catch (NumberFormatException ignored) {
                            // a reading the harness could not take; the others still describe the run
                        }
                    }
                }
            }
        }
        return new BenchReport(results, requested, sizes(versions), versions, command, stamp, dir.toString(),
            wall, loads);
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("bad argument: " + args[i]);
            }
            opt.put(args[i].substring(2), args[++i]);
        }
        for (String need : List.of("dir", "md", "svg")) {
            if (!opt.containsKey(need)) {
                usage("missing --" + need);
            }
        }
        long wall = 0;
        try {
            wall = Long.parseLong(opt.getOrDefault("wall", "0"));
        } catch (NumberFormatException e) {
            usage("--wall wants whole seconds");
        }
        Path dir = Path.of(opt.get("dir"));
        List<String> impls = List.of(opt.getOrDefault("impls", "gort go vt kotlin").trim().split("\\s+"));
        String stamp = opt.getOrDefault("stamp", dir.getFileName().toString().replaceFirst("^peers-", ""));
        BenchReport r = read(dir, impls, opt.getOrDefault("command", "gort-bench/peers.sh"), stamp, wall);
        String md = MarkdownTable.render(r);
        Files.writeString(Path.of(opt.get("md")), md, StandardCharsets.UTF_8);
        Files.writeString(Path.of(opt.get("svg")), SvgChart.render(r), StandardCharsets.UTF_8);
        System.out.print(md);
    }

    private static void usage(String why) {
        System.err.println("BenchReport: " + why);
        System.err.println("usage: BenchReport --dir RUN_DIR --md OUT.md --svg OUT.svg [--command TEXT] [--stamp STAMP]"
            + " [--wall SECONDS] [--impls \"gort go vt kotlin\"]");
        System.exit(2);
    }
}
