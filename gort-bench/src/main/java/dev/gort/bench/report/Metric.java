package dev.gort.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the side-by-side report: a result name as the benchmark programs print it
 * ({@code RESULT bench=<name> ...}), the processor count it ran at, which way is better, and a
 * description whose {@code {SIZE}} placeholders are filled from the run's sizes, so a quick run's
 * table states its own (smaller) sizes.
 *
 * <p>{@link #ALL} is the catalogue, in the order of the table and the chart. A result the catalogue
 * does not name is not reported; a catalogue row nobody produced is left out.
 */
record Metric(String bench, int procs, Better better, String what) {

    /** Which way a value (and so the Gort / peer ratio) is better. */
    enum Better {
        LOWER("lower"),
        HIGHER("higher"),
        /** A reading, not a score: in the table, not in the chart. */
        NEITHER("-");

        final String word;

        Better(String word) {
            this.word = word;
        }

        /** Whether ratio (Gort / peer) says Gort did better; false for NEITHER and equal. */
        boolean gortBetter(double ratio) {
            return this == LOWER ? ratio < 1 : this == HIGHER && ratio > 1;
        }

        boolean gortWorse(double ratio) {
            return this == LOWER ? ratio > 1 : this == HIGHER && ratio < 1;
        }
    }

    static final List<Metric> ALL = List.of(
        new Metric("skynet", 2, Better.LOWER, "ms per full 1M-leaf skynet tree (median of 5 runs after 3)"),
        new Metric("spawn", 2, Better.LOWER, "ns per task, 1M tasks started from one task and joined"),
        new Metric("pingpong", 1, Better.LOWER, "ns per round trip over unbuffered channels, {PINGPONG_N} round trips"),
        new Metric("pingpong", 2, Better.LOWER, "ns per round trip over unbuffered channels, {PINGPONG_N} round trips"),
        new Metric("threadring", 1, Better.LOWER, "ns per hop, 503 tasks in a ring, {THREADRING_HOPS} hops"),
        new Metric("threadring", 2, Better.LOWER, "ns per hop, 503 tasks in a ring, {THREADRING_HOPS} hops"),
        new Metric("mpmc", 2, Better.LOWER, "ns per message, channel of cap 1024, 4 producers / 4 consumers, {MPMC_N} messages"),
        new Metric("select", 2, Better.LOWER, "ns per 2-case select over 2 unbuffered feeders, {SELECT_N} selects (not an anchor; vt has no select)"),
        new Metric("syscallmix", 2, Better.LOWER, "compute time with 64 tasks looping on 1 ms blocking calls / without ({COMPUTE_K} steps); 1.0 = no harm"),
        new Metric("syscallmix_blockcalls", 2, Better.HIGHER, "blocking calls/s completed while computing (ideal ~60k)"),
        new Metric("syscallmix_cpu", 2, Better.NEITHER, "CPU cores busy during the mixed phase (of 2): a reading, not a score"),
        new Metric("timers_wall", 2, Better.LOWER, "ms wall, {TIMERS_N} tasks x 5 sleeps of 1..100 ms"),
        new Metric("timers_p50late", 2, Better.LOWER, "ms median wake-up lateness in that run"),
        new Metric("timers_p99late", 2, Better.LOWER, "ms p99 wake-up lateness in that run"),
        new Metric("mem_heap", 2, Better.LOWER, "heap bytes per parked task after GC, 1M tasks parked in a channel receive (Go: HeapInuse+StackInuse)"),
        new Metric("mem_rss", 2, Better.LOWER, "RSS bytes per parked task (1M)"),
        new Metric("echo", 2, Better.HIGHER, "TCP echo round trips/s, {ECHO_CONNS} connections x {ECHO_RT} round trips of 64 B, loopback, a task per connection"),
        new Metric("netmem_socket", 2, Better.LOWER, "heap bytes per accepted idle connection without a reader, {NETMEM_N} connections (vt column: a java.net.Socket)"),
        new Metric("netmem_parked", 2, Better.LOWER, "heap bytes per connection beyond that: a task parked in read, 64 B buffer"),
        new Metric("netmem_rss", 2, Better.LOWER, "RSS bytes per idle connection with its parked reader"),
        new Metric("http", 2, Better.HIGHER, "requests/s, wrk -c {HTTP_CONNS} -t {HTTP_THREADS} -d {HTTP_DURATION}s on GET / (vt column: the JDK's HttpServer on virtual threads)"),
        new Metric("http_p99", 2, Better.LOWER, "ms, wrk's p99 latency in that run"),
        new Metric("http_cpu", 2, Better.LOWER, "server CPU us per request in that run (wrk shares the cores)"),
        new Metric("hog", 1, Better.HIGHER, "1 = the spawned task ran within {HOG_WAIT_MS} ms while main spins without calls"),
        new Metric("hog_latency", 1, Better.LOWER, "ms from HOG start until the spawned task ran (only when it ran)"));

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Z_]+)}");

    /** The description with each {@code {NAME}} replaced by sizes' NAME, counts shortened (1000000 = 1M). */
    String describe(Map<String, String> sizes) {
        Matcher m = PLACEHOLDER.matcher(what);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = sizes.get(m.group(1));
            if (v != null && !m.group(1).endsWith("_MS")) { // a count, not a duration
                v = shortCount(v);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group(1) : v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** 10000000 -> 10M, 20000 -> 20k, 2500 -> 2,500, anything not a whole number unchanged. */
    static String shortCount(String s) {
        long n;
        try {
            n = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return s;
        }
        if (n != 0 && n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        if (n != 0 && n % 1_000 == 0) {
            return n / 1_000 + "k";
        }
        return String.format(Locale.ROOT, "%,d", n);
    }
}
