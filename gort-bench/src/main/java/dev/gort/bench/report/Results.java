package dev.gort.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of one side-by-side run, read from the harness's {@code results.txt}: one
 * {@code rep=<pass> RESULT bench=<name> impl=<impl> procs=<N> value=<v> unit=<u>} line per value a
 * process printed, and one {@code rep=<pass> FAIL bench=<name> impl=<impl> procs=<N> rc=<why>} line
 * per process that failed. A cell is the median over passes (the mean of the middle two for an even
 * count); Gort / peer ratios are ratios of those medians.
 *
 * <p>A FAIL names the process's benchmark ({@code timers}), while its values carry sub-names
 * ({@code timers_wall}): {@link #failed} matches a metric on the part before the first underscore.
 * Not thread-safe; built once, then only read.
 */
final class Results {

    private record Key(String bench, int procs, String impl) {}

    private static final Pattern RESULT = Pattern.compile(
        "rep=(\\d+) RESULT bench=(\\S+) impl=(\\S+) procs=(\\d+) value=(\\S+) unit=(\\S+)");
    private static final Pattern FAIL = Pattern.compile("rep=\\d+ FAIL bench=(\\S+) impl=(\\S+) procs=(\\d+).*");

    private final Map<Key, List<Double>> values = new HashMap<>();
    private final Map<String, String> units = new HashMap<>();
    private final List<Key> failed = new ArrayList<>();
    private final List<String> failLines = new ArrayList<>();

    static Results parse(List<String> lines) {
        Results r = new Results();
        for (String raw : lines) {
            String line = raw.strip();
            Matcher m = RESULT.matcher(line);
            if (m.matches()) {
                double v;
                try {
                    v = Double.parseDouble(m.group(5));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number in: " + line, e);
                }
                Key k = new Key(m.group(2), Integer.parseInt(m.group(4)), m.group(3));
                r.values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
                r.units.put(m.group(2), m.group(6));
                continue;
            }
            m = FAIL.matcher(line);
            if (m.matches()) {
                r.failed.add(new Key(m.group(1), Integer.parseInt(m.group(3)), m.group(2)));
                r.failLines.add(line);
            }
        }
        return r;
    }

    /** The values over passes, in file order; empty if none. */
    List<Double> values(String bench, int procs, String impl) {
        return Collections.unmodifiableList(values.getOrDefault(new Key(bench, procs, impl), List.of()));
    }

    /** The median over passes, or NaN if there is no value. */
    double median(String bench, int procs, String impl) {
        return median(values(bench, procs, impl));
    }

    /** Gort's median / the peer's; NaN when either is missing or the peer's is 0. */
    double ratio(String bench, int procs, String peer) {
        double g = median(bench, procs, "gort");
        double p = median(bench, procs, peer);
        if (Double.isNaN(g) || Double.isNaN(p) || p == 0) {
            return Double.NaN;
        }
        return g / p;
    }

    /** Whether a process of impl that would have produced this metric failed. */
    boolean failed(String bench, int procs, String impl) {
        String base = baseName(bench);
        for (Key k : failed) {
            if (k.procs == procs && k.impl.equals(impl) && baseName(k.bench).equals(base)) {
                return true;
            }
        }
        return false;
    }

    /** Whether anything (a value or a failure) was recorded for this metric. */
    boolean present(String bench, int procs) {
        for (Key k : values.keySet()) {
            if (k.bench.equals(bench) && k.procs == procs) {
                return true;
            }
        }
        String base = baseName(bench);
        for (Key k : failed) {
            if (k.procs == procs && baseName(k.bench).equals(base)) {
                return true;
            }
        }
        return false;
    }

    /** Whether impl produced any value or failure at all in this run. */
    boolean ran(String impl) {
        for (Key k : values.keySet()) {
            if (k.impl.equals(impl)) {
                return true;
            }
        }
        for (Key k : failed) {
            if (k.impl.equals(impl)) {
                return true;
            }
        }
        return false;
    }

    String unit(String bench) {
        return units.getOrDefault(bench, "");
    }

    /** The most values any cell has: the number of passes that produced something. */
    int passes() {
        int n = 0;
        for (List<Double> v : values.values()) {
            n = Math.max(n, v.size());
        }
        return n;
    }

    List<String> failLines() {
        return Collections.unmodifiableList(failLines);
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String baseName(String bench) {
        int i = bench.indexOf('_');
        return i < 0 ? bench : bench.substring(0, i);
    }
}
