package dev.gort.bench.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The chart half of the report, as a self-contained SVG written by hand: one group of horizontal
 * bars per metric, one bar per peer, each bar running from 1 (same as the peer) to Gort / peer on a
 * log scale, so 0.5 and 2 are the same length either way. Each row says which way is better, and
 * each bar's label is green where Gort did better on that row and red where it did worse. Below
 * the bars: the machine, versions, sizes, date and command.
 *
 * <p>Rows with no direction ({@link Metric.Better#NEITHER}) and cells without a ratio get no bar.
 * Each bar is a {@code <rect class="bar">} carrying {@code data-bench}, {@code data-procs},
 * {@code data-peer} and {@code data-ratio}, with a {@code <title>} tooltip giving both values.
 */
final class SvgChart {

    private SvgChart() {}

    static final int WIDTH = 1000;
    private static final int LABEL_X = 16;
    private static final int PLOT_X0 = 400;
    private static final int PLOT_X1 = 900;
    private static final int SLOT = 16;
    private static final int BAR = 12;
    private static final int WRAP = 135;
    private static final String GOOD = "#1a7f37";
    private static final String BAD = "#c0392b";
    private static final String EVEN = "#8a8a8a";

    static String colour(String peer) {
        return switch (peer) {
            case "go" -> "#00add8";
            case "vt" -> "#e76f00";
            case "kotlin" -> "#7f52ff";
            default -> "#888888";
        };
    }

    /** The metrics with a direction and at least one ratio: the chart's rows. */
    static List<Metric> charted(BenchReport r) {
        List<Metric> rows = new ArrayList<>();
        for (Metric m : r.rows()) {
            if (m.better() == Metric.Better.NEITHER) {
                continue;
            }
            for (String p : r.peers()) {
                if (!Double.isNaN(r.results.ratio(m.bench(), m.procs(), p))) {
                    rows.add(m);
                    break;
                }
            }
        }
        return rows;
    }

    static String render(BenchReport r) {
        List<Metric> rows = charted(r);
        List<String> peers = r.peers();
        Scale scale = Scale.of(rows, peers, r.results);
        StringBuilder body = new StringBuilder();
        int y = 30;
        text(body, LABEL_X, y, 18, "bold", null, "Gort / peer, benchmark by benchmark (" + r.date() + ")");
        y += 20;
        text(body, LABEL_X, y, 12, null, null, "Command: " + r.command + "   (wall " + r.wallSeconds / 60 + " min "
            + r.wallSeconds % 60 + " s, " + r.results.passes() + (r.results.passes() == 1 ? " pass)" : " passes)"));
        y += 22;
        int lx = LABEL_X;
        for (String p : peers) {
            body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
                lx, y - 10, colour(p)));
            String t = "Gort / " + BenchReport.label(p);
            text(body, lx + 17, y, 12, null, null, t);
            lx += 17 + t.length() * 7 + 18;
        }
        if (peers.isEmpty()) {
            text(body, LABEL_X, y, 12, null, null, "No peer ran: nothing to compare (see the table).");
        }
        y += 18;
        text(body, LABEL_X, y, 11, null, "#444444", "Bar: Gort's value / the peer's, log scale, from 1 (the same)."
            + " Label green: Gort better on that row; red: worse.");
        y += 26;

        // row backgrounds, then the axis's ticks and grid over them, then the rows
        int rowsTop = y + 6;
        int rowsBottom = rowsTop;
        for (int k = 0; k < rows.size(); k++) {
            if (k % 2 == 0) {
                body.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f3f3f3\"/>\n",
                    LABEL_X - 6, rowsBottom, WIDTH - 2 * (LABEL_X - 6), rowHeight(peers)));
            }
            rowsBottom += rowHeight(peers);
        }
        for (double t : scale.ticks()) {
            double x = scale.x(t);
            boolean one = t == 1.0;
            body.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"/>\n",
                x, rowsTop - 4, x, rowsBottom, one ? "#333333" : "#dddddd", one ? "1.5" : "1"));
            text(body, x, y, 11, one ? "bold" : null, null, tick(t), "middle");
        }
        y = rowsTop;
        for (Metric m : rows) {
            int h = rowHeight(peers);
            text(body, LABEL_X, y + 17, 13, "bold", null, m.bench() + "  (N=" + m.procs() + ")");
            String dir = m.better() == Metric.Better.LOWER ? "lower is better (Gort better \u2190)"
                : "higher is better (Gort better \u2192)";
            text(body, LABEL_X, y + 32, 11, null, "#444444", r.results.unit(m.bench()) + ", " + dir);
            for (int j = 0; j < peers.size(); j++) {
                String p = peers.get(j);
                double q = r.results.ratio(m.bench(), m.procs(), p);
                if (Double.isNaN(q)) {
                    continue;
                }
                bar(body, r, m, p, q, scale, y + 7 + j * SLOT);
            }
            y += h;
        }
        y += 22;
        List<String> foot = new ArrayList<>();
        foot.add("No bar: readings that are not scores (syscallmix_cpu), and cells without a ratio (no such peer program,"
            + " a failed process, a peer value of 0). Values and descriptions: the markdown table of the same run.");
        foot.add("Date: " + r.date() + ". Command: " + r.command);
        if (!r.loads.isEmpty()) {
            foot.add(String.format(Locale.ROOT, "1-minute load average at the start and end of each process: median %.2f,"
                    + " range %.2f-%.2f (the run itself adds about 1-2).", Results.median(r.loads),
                Collections.min(r.loads), Collections.max(r.loads)));
        }
        foot.addAll(r.versions);
        for (String line : foot) {
            for (String part : wrap(line)) {
                text(body, LABEL_X, y, 11, null, "#333333", part);
                y += 15;
            }
        }
        int height = y + 8;
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" role=\"img\">\n",
            WIDTH, height, WIDTH, height));
        sb.append("<title>").append(esc("Gort / peer ratios, " + r.command + ", " + r.date())).append("</title>\n");
        sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
            WIDTH, height));
        sb.append(body);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static int rowHeight(List<String> peers) {
        return Math.max(2, peers.size()) * SLOT + 14;
    }

    private static void bar(StringBuilder sb, BenchReport r, Metric m, String peer, double q, Scale s, int y) {
        double x1 = s.x(1);
        double xe = s.x(s.clamp(q));
        double left = Math.min(x1, xe);
        double width = Math.max(1, Math.abs(xe - x1));
        Results res = r.results;
        String tip = String.format(Locale.ROOT, "%s N=%d: Gort %s / %s %s %s = %s", m.bench(), m.procs(),
            MarkdownTable.number(res.median(m.bench(), m.procs(), "gort")), BenchReport.label(peer),
            MarkdownTable.number(res.median(m.bench(), m.procs(), peer)), res.unit(m.bench()), MarkdownTable.ratio(q));
        sb.append(String.format(Locale.ROOT,
            "<rect class=\"bar\" data-bench=\"%s\" data-procs=\"%d\" data-peer=\"%s\" data-ratio=\"%s\" "
                + "x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>\n",
            esc(m.bench()), m.procs(), esc(peer), q, left, y, width, BAR, colour(peer), esc(tip)));
        String fill = m.better().gortBetter(q) ? GOOD : m.better().gortWorse(q) ? BAD : EVEN;
        String label = MarkdownTable.ratio(q) + (s.clamp(q) != q ? " (off scale)" : "");
        if (q >= 1) {
            text(sb, xe + 4, y + BAR - 2, 11, "bold", fill, label, "start");
        } else {
            text(sb, xe - 4, y + BAR - 2, 11, "bold", fill, label, "end");
        }
    }

    private static void text(StringBuilder sb, double x, int y, int size, String weight, String fill, String s) {
        text(sb, x, y, size, weight, fill, s, "start");
    }

    private static void text(StringBuilder sb, double x, int y, int size, String weight, String fill, String s,
                             String anchor) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"%d\"", x, y, size));
        if (weight != null) {
            sb.append(" font-weight=\"").append(weight).append('"');
        }
        if (fill != null) {
            sb.append(" fill=\"").append(fill).append('"');
        }
        if (!anchor.equals("start")) {
            sb.append(" text-anchor=\"").append(anchor).append('"');
        }
        sb.append('>').append(esc(s)).append("</text>\n");
    }

    /** Splits a long line at spaces into pieces of at most WRAP characters (a longer word stays whole). */
    static List<String> wrap(String line) {
        List<String> out = new ArrayList<>();
        String rest = line;
        while (rest.length() > WRAP) {
            int cut = rest.lastIndexOf(' ', WRAP);
            if (cut <= 0) {
                cut = rest.indexOf(' ', WRAP);
                if (cut < 0) {
                    break;
                }
            }
            out.add(rest.substring(0, cut));
            rest = "    " + rest.substring(cut + 1);
        }
        out.add(rest);
        return out;
    }

    /** XML text and attribute escaping; drops the control characters XML 1.0 forbids. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    static String tick(double t) {
        return new BigDecimal(Double.toString(t)).stripTrailingZeros().toPlainString();
    }

    /** The log-scale x axis: from the largest 1-2-5 tick at or below the smallest ratio to the
     *  smallest at or above the largest, always including 1, within [0.001, 1000]. */
    record Scale(double lo, double hi) {
        static final double MIN = 0.001;
        static final double MAX = 1000;

        static Scale of(List<Metric> rows, List<String> peers, Results res) {
            double min = 1, max = 1;
            for (Metric m : rows) {
                for (String p : peers) {
                    double q = res.ratio(m.bench(), m.procs(), p);
                    if (!Double.isNaN(q) && q > 0) {
                        min = Math.min(min, q);
                        max = Math.max(max, q);
                    }
                }
            }
            double lo = MIN, hi = MAX;
            for (double t : candidates()) {
                if (t <= min / 1.15) {
                    lo = t;
                }
            }
            for (double t : candidates()) {
                if (t >= max * 1.15) {
                    hi = t;
                    break;
                }
            }
            return new Scale(Math.max(lo, MIN), Math.min(hi, MAX));
        }

        private static List<Double> candidates() {
            List<Double> c = new ArrayList<>();
            for (int e = -3; e <= 3; e++) {
                for (int m : new int[] {1, 2, 5}) {
                    double t = new BigDecimal(m).scaleByPowerOfTen(e).doubleValue();
                    if (t >= MIN && t <= MAX) {
                        c.add(t);
                    }
                }
            }
            return c;
        }

        /** The 1-2-5 ticks in range; only the powers of ten when there would be more than 13. */
        List<Double> ticks() {
            List<Double> all = new ArrayList<>();
            for (double t : candidates()) {
                if (t >= lo && t <= hi) {
                    all.add(t);
                }
            }
            if (all.size() <= 13) {
                return all;
            }
            List<Double> tens = new ArrayList<>();
            for (double t : all) {
                if (tick(t).replace("0", "").replace(".", "").equals("1")) {
                    tens.add(t);
                }
            }
            return tens;
        }

        double clamp(double q) {
            return q <= 0 ? lo : Math.max(lo, Math.min(hi, q));
        }

        double x(double q) {
            double f = (Math.log10(q) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            return PLOT_X0 + f * (PLOT_X1 - PLOT_X0);
        }
    }
}
