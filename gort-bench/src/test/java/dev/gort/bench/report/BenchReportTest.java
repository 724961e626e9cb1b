package dev.gort.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The report writer on a fixed run: the table's cells, medians, ratios and directions, and the
 * chart's well-formedness, bars (one per ratio cell, at the right place on the log scale) and
 * footer. No benchmark runs here.
 */
class BenchReportTest {

    static final String SVG_NS = "http://www.w3.org/2000/svg";
    static final String COMMAND = "ONLY=\"a<b\" & ./gort bench --quick";

    static final List<String> RESULTS = List.of(
        "rep=1 RESULT bench=skynet impl=gort procs=2 value=400 unit=ms",
        "rep=1 RESULT bench=skynet impl=go procs=2 value=800 unit=ms",
        "rep=1 RESULT bench=skynet impl=vt procs=2 value=1600 unit=ms",
        "rep=2 RESULT bench=skynet impl=gort procs=2 value=600 unit=ms",
        "rep=2 RESULT bench=skynet impl=go procs=2 value=1000 unit=ms",
        "rep=2 RESULT bench=skynet impl=vt procs=2 value=2000 unit=ms",
        "rep=3 RESULT bench=skynet impl=gort procs=2 value=500 unit=ms",
        "rep=3 RESULT bench=skynet impl=go procs=2 value=900 unit=ms",
        "rep=3 RESULT bench=skynet impl=vt procs=2 value=1000 unit=ms",
        "rep=1 RESULT bench=pingpong impl=gort procs=2 value=466.4 unit=ns_per_roundtrip",
        "rep=1 RESULT bench=pingpong impl=go procs=2 value=263.3 unit=ns_per_roundtrip",
        "rep=1 FAIL bench=pingpong impl=vt procs=2 rc=1",
        "rep=1 RESULT bench=select impl=gort procs=2 value=244 unit=ns_per_select",
        "rep=1 RESULT bench=select impl=go procs=2 value=176 unit=ns_per_select",
        "rep=1 RESULT bench=syscallmix_cpu impl=gort procs=2 value=1.9 unit=cores_busy",
        "rep=1 RESULT bench=syscallmix_cpu impl=go procs=2 value=0.9 unit=cores_busy",
        "rep=1 RESULT bench=syscallmix_cpu impl=vt procs=2 value=0.3 unit=cores_busy",
        "rep=1 FAIL bench=timers impl=gort procs=2 rc=timeout(300s)",
        "rep=1 RESULT bench=timers_wall impl=go procs=2 value=700 unit=ms",
        "rep=1 RESULT bench=timers_wall impl=vt procs=2 value=720 unit=ms",
        "rep=1 RESULT bench=echo impl=gort procs=2 value=90000 unit=roundtrips_per_s",
        "rep=1 RESULT bench=echo impl=go procs=2 value=120000 unit=roundtrips_per_s",
        "rep=1 RESULT bench=echo impl=vt procs=2 value=45000 unit=roundtrips_per_s",
        "rep=1 RESULT bench=hog impl=gort procs=1 value=1 unit=ran_within_2s",
        "rep=1 RESULT bench=hog impl=go procs=1 value=1 unit=ran_within_2s",
        "rep=1 RESULT bench=hog impl=vt procs=1 value=0 unit=ran_within_2s",
        "rep=1 RESULT bench=notinthecatalogue impl=gort procs=2 value=5 unit=x",
        "some other line the parser must skip");

    static final List<String> VERSIONS = List.of(
        "gort: commit abc1234",
        "go: go version go1.19.8 linux/amd64",
        "java: openjdk version \"25.0.3\" 2026-04-21 LTS OpenJDK Runtime Environment Temurin-25.0.3+9",
        "machine: 2 cpus, 23.5 GiB, AMD EPYC, kernel 6.18.44-fc",
        "sizes: PINGPONG_N=200000 THREADRING_HOPS=1000000 MPMC_N=10000000 TIMERS_N=20000 HOG_WAIT_MS=2000",
        "net sizes: ECHO_CONNS=64 ECHO_RT=2500");

    /** Bars the fixed run must give: (bench/peer) -> Gort / peer. */
    static final Map<String, Double> BARS = Map.of(
        "skynet/go", 500.0 / 900,
        "skynet/vt", 500.0 / 1600,
        "pingpong/go", 466.4 / 263.3,
        "select/go", 244.0 / 176,
        "echo/go", 90000.0 / 120000,
        "echo/vt", 90000.0 / 45000,
        "hog/go", 1.0);

    static BenchReport report() {
        return new BenchReport(Results.parse(RESULTS), List.of("gort", "go", "vt", "kotlin"),
            BenchReport.sizes(VERSIONS), VERSIONS, COMMAND, "20261122T123456Z", "gort-bench/target/peers-x", 95,
            List.of(1.5, 2.5, 3.0));
    }

    /** The table row of bench at N, split into its trimmed cells. */
    static List<String> row(String md, String bench, int n) {
        for (String line : md.split("\n")) {
            if (line.startsWith("| " + bench + " | " + n + " |")) {
                String[] c = line.substring(1, line.length() - 1).split("\\|", -1);
                List<String> out = new ArrayList<>();
                for (String s : c) {
                    out.add(s.strip());
                }
                return out;
            }
        }
        throw new AssertionError("no row " + bench + " N=" + n + " in:\n" + md);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(500, Results.median(List.of(400.0, 600.0, 500.0)));
        assertEquals(450, Results.median(List.of(600.0, 300.0)));
        assertTrue(Double.isNaN(Results.median(List.of())));
    }

    @Test
    void ratiosAreOfMediansAndUndefinedWithoutAPeerValue() {
        Results r = Results.parse(RESULTS);
        assertEquals(3, r.passes());
        assertEquals(500.0 / 900, r.ratio("skynet", 2, "go"), 1e-12);
        assertTrue(Double.isNaN(r.ratio("pingpong", 2, "vt")), "failed peer");
        assertTrue(Double.isNaN(r.ratio("hog", 1, "vt")), "peer value 0");
        assertTrue(Double.isNaN(r.ratio("timers_wall", 2, "go")), "failed gort");
        assertTrue(r.failed("timers_wall", 2, "gort"), "a FAIL of timers covers timers_wall");
        assertFalse(r.failed("timers_wall", 2, "go"));
        assertFalse(r.ran("kotlin"));
    }

    @Test
    void tableHasTheRightColumnsCellsRatiosAndDirections() {
        String md = MarkdownTable.render(report());
        assertTrue(md.contains("| bench | N | unit | better | gort | go | vt (JDK) | gort/go | gort/vt | what |"),
            "kotlin never ran, so it has no column:\n" + md);
        assertEquals(List.of("skynet", "2", "ms", "lower", "**500 (400-600)**", "900 (800-1,000)",
            "1,600 (1,000-2,000)", "0.56", "0.31"), row(md, "skynet", 2).subList(0, 9));
        List<String> pp = row(md, "pingpong", 2);
        assertEquals(List.of("**466 [n=1]**", "263 [n=1]", "FAIL", "1.77", "-"), pp.subList(4, 9));
        assertTrue(pp.get(9).contains("200k round trips"), "sizes fill the description: " + pp.get(9));
        assertEquals(List.of("higher", "**90,000 [n=1]**", "120,000 [n=1]", "45,000 [n=1]", "0.75", "2.00"),
            row(md, "echo", 2).subList(3, 9));
        assertEquals(List.of("**244 [n=1]**", "176 [n=1]", "-", "1.39", "-"), row(md, "select", 2).subList(4, 9));
        assertEquals(List.of("-", "**1.90 [n=1]**"), row(md, "syscallmix_cpu", 2).subList(3, 5));
        assertEquals(List.of("FAIL", "700 [n=1]", "720 [n=1]", "-", "-"), row(md, "timers_wall", 2).subList(4, 9));
        assertEquals(List.of("higher", "**1 [n=1]**", "1 [n=1]", "0 [n=1]", "1.00", "-"),
            row(md, "hog", 1).subList(3, 9));
        assertTrue(row(md, "hog", 1).get(9).contains("within 2000 ms"), "a duration is not shortened like a count");
        assertFalse(md.contains("notinthecatalogue"));
        assertFalse(md.contains("| mpmc |"), "a metric nobody produced has no row");
        assertTrue(md.contains("- `rep=1 FAIL bench=timers impl=gort procs=2 rc=timeout(300s)`"));
        assertTrue(md.contains("median 2.50, range 1.50-3.00"));
        assertTrue(md.contains("- machine: 2 cpus, 23.5 GiB, AMD EPYC, kernel 6.18.44-fc"));
        assertTrue(md.startsWith("Generated by `" + COMMAND + "` on 2026-11-22 12:34 UTC"));
        assertTrue(md.contains("3 passes"));
        assertTrue(md.contains("wall 1 min 35 s"));
    }

    @Test
    void svgIsWellFormedWithOneBarPerRatioCell() throws Exception {
        String svg = SvgChart.render(report());
        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals(SVG_NS, root.getNamespaceURI());

        Map<String, Element> bars = bars(doc);
        assertEquals(BARS.keySet(), bars.keySet());
        for (Map.Entry<String, Double> e : BARS.entrySet()) {
            Element b = bars.get(e.getKey());
            assertEquals(e.getValue(), Double.parseDouble(b.getAttribute("data-ratio")), 1e-9, e.getKey());
            assertEquals(SvgChart.colour(b.getAttribute("data-peer")), b.getAttribute("fill"));
            assertEquals(e.getKey().startsWith("hog") ? "1" : "2", b.getAttribute("data-procs"));
        }

        // Every bar starts or ends on the bold line at 1, and its length is proportional to |log ratio|.
        double one = oneLine(doc);
        double unit = Double.NaN;
        for (Map.Entry<String, Double> e : BARS.entrySet()) {
            Element b = bars.get(e.getKey());
            double x = Double.parseDouble(b.getAttribute("x"));
            double w = Double.parseDouble(b.getAttribute("width"));
            double q = e.getValue();
            if (q == 1) {
                assertEquals(1.0, w, 1e-9, "a ratio of 1 is a hairline");
                continue;
            }
            assertEquals(one, q < 1 ? x + w : x, 0.11, e.getKey() + " should touch the line at 1");
            double perDecade = w / Math.abs(Math.log10(q));
            if (Double.isNaN(unit)) {
                unit = perDecade;
            }
            assertEquals(unit, perDecade, 1.0, e.getKey() + ": not on one log scale");
        }

        List<String> texts = texts(doc);
        assertTrue(texts.contains("Date: 2026-11-22 12:34 UTC. Command: " + COMMAND), String.join("\n", texts));
        assertTrue(texts.contains("machine: 2 cpus, 23.5 GiB, AMD EPYC, kernel 6.18.44-fc"));
        assertTrue(texts.contains("1-minute load average at the start and end of each process: median 2.50,"
            + " range 1.50-3.00 (the run itself adds about 1-2)."), String.join("\n", texts));
        assertTrue(texts.contains("go: go version go1.19.8 linux/amd64"));
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("java: openjdk version \"25.0.3\"")));
        assertTrue(texts.contains("Gort / Go") && texts.contains("Gort / JDK virtual threads"));
        assertFalse(texts.contains("Gort / Kotlin coroutines"), "no legend entry for a peer that did not run");
        assertTrue(texts.contains("ms, lower is better (Gort better \u2190)"));
        assertTrue(texts.contains("roundtrips_per_s, higher is better (Gort better \u2192)"));
        assertFalse(texts.stream().anyMatch(t -> t.startsWith("syscallmix_cpu ")), "a reading is not charted");
        assertFalse(texts.stream().anyMatch(t -> t.startsWith("timers_wall ")), "no ratio, no row");

        // Label colours: echo/go (0.75, higher is better) is worse, echo/vt (2.00) better, hog/go (1.00) even.
        assertEquals("#c0392b", labelFill(doc, "0.75"));
        assertEquals("#1a7f37", labelFill(doc, "2.00"));
        assertEquals("#1a7f37", labelFill(doc, "0.56"));
        assertEquals("#c0392b", labelFill(doc, "1.77"));
        assertEquals("#8a8a8a", labelFill(doc, "1.00"));
    }

    @Test
    void mainWritesBothFilesFromARunDirectory(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("results.txt"), RESULTS);
        Files.write(dir.resolve("versions.txt"), VERSIONS);
        Files.writeString(dir.resolve("load.txt"), "rep=1 bench=skynet impl=gort procs=2 load_before=1.25 load_after=2.75\n");
        Path md = dir.resolve("t.md");
        Path svg = dir.resolve("c.svg");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            BenchReport.main(new String[] {"--dir", dir.toString(), "--md", md.toString(), "--svg", svg.toString(),
                "--command", COMMAND, "--stamp", "20261122T123456Z", "--wall", "95", "--impls", "gort vt"});
        } finally {
            System.setOut(out);
        }
        String table = Files.readString(md);
        assertEquals(table, captured.toString(StandardCharsets.UTF_8), "the table also goes to stdout");
        assertTrue(table.contains("| bench | N | unit | better | gort | vt (JDK) | gort/vt | what |"),
            "--impls picks the columns:\n" + table);
        assertTrue(table.contains("range 1.25-2.75"));
        Document doc = parse(Files.readString(svg));
        assertEquals(Map.of("skynet/vt", 500.0 / 1600, "echo/vt", 2.0).keySet(), bars(doc).keySet());
    }

    @Test
    void scaleTicksAndSmallPieces() {
        SvgChart.Scale s = SvgChart.Scale.of(List.of(), List.of(), Results.parse(List.of()));
        assertEquals(List.of(0.5, 1.0, 2.0), s.ticks());
        Results r = Results.parse(List.of(
            "rep=1 RESULT bench=spawn impl=gort procs=2 value=100 unit=ns",
            "rep=1 RESULT bench=spawn impl=vt procs=2 value=1500 unit=ns"));
        Metric spawn = Metric.ALL.stream().filter(m -> m.bench().equals("spawn")).findFirst().orElseThrow();
        s = SvgChart.Scale.of(List.of(spawn), List.of("vt"), r);
        assertEquals(List.of(0.05, 0.1, 0.2, 0.5, 1.0, 2.0), s.ticks());
        assertEquals("0.05", SvgChart.tick(0.05));
        assertEquals("10", SvgChart.tick(10.0));
        assertEquals("1M", Metric.shortCount("1000000"));
        assertEquals("20k", Metric.shortCount("20000"));
        assertEquals("2,500", Metric.shortCount("2500"));
        assertEquals("0.0045", MarkdownTable.ratio(0.0045));
        assertEquals("&lt;a&gt; &amp; &quot;b&quot;", SvgChart.esc("<a> & \"b\"\u0001"));
        for (String part : SvgChart.wrap("x ".repeat(200))) {
            assertTrue(part.length() <= 135, part);
        }
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static Map<String, Element> bars(Document doc) {
        Map<String, Element> bars = new HashMap<>();
        NodeList rects = doc.getElementsByTagNameNS(SVG_NS, "rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element e = (Element) rects.item(i);
            if (e.getAttribute("class").equals("bar")) {
                String k = e.getAttribute("data-bench") + "/" + e.getAttribute("data-peer");
                assertEquals(null, bars.put(k, e), "two bars for " + k);
            }
        }
        return bars;
    }

    static double oneLine(Document doc) {
        NodeList lines = doc.getElementsByTagNameNS(SVG_NS, "line");
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < lines.getLength(); i++) {
            Element e = (Element) lines.item(i);
            if (e.getAttribute("stroke-width").equals("1.5")) {
                xs.add(Double.parseDouble(e.getAttribute("x1")));
            }
        }
        assertEquals(1, xs.size(), "one bold line at 1");
        return xs.get(0);
    }

    static List<String> texts(Document doc) {
        NodeList t = doc.getElementsByTagNameNS(SVG_NS, "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.getLength(); i++) {
            out.add(t.item(i).getTextContent());
        }
        return out;
    }

    static String labelFill(Document doc, String label) {
        NodeList t = doc.getElementsByTagNameNS(SVG_NS, "text");
        List<String> fills = new ArrayList<>();
        for (int i = 0; i < t.getLength(); i++) {
            Element e = (Element) t.item(i);
            if (e.getTextContent().equals(label) && e.getAttribute("font-weight").equals("bold")) {
                fills.add(e.getAttribute("fill"));
            }
        }
        assertEquals(1, fills.size(), "one bar label " + label + ": " + Arrays.toString(fills.toArray()));
        return fills.get(0);
    }
}
