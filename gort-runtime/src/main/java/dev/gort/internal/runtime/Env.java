package dev.gort.internal.runtime;

/**
 * Settings read once at start-up (Go: runtime1.go {@code parsedebugvars}, proc.go
 * {@code schedinit}'s GOMAXPROCS). The system properties {@code gort.gomaxprocs} and
 * {@code gort.godebug}, when set and non-empty, win over the environment variables
 * {@code GOMAXPROCS} and {@code GODEBUG}. A malformed value is reported once on stderr and ignored:
 * it never stops the program.
 */
final class Env {
    private Env() {}

    /** The initial number of Ps. Written once by init (under Proc's start-up lock). */
    static int gomaxprocs;
    /** GODEBUG schedtrace (ms between SCHED lines; 0 = off) and scheddetail; written once by init. */
    static volatile int schedtrace;
    static volatile int scheddetail;
    /** GODEBUG trace=FILE (Gort's addition) or the gort.trace property: trace from start; or null. */
    static volatile String traceFile;

    static void init() {
        gomaxprocs = parseGomaxprocs(setting("gort.gomaxprocs", "GOMAXPROCS"), "GOMAXPROCS");
        parseGodebug(setting("gort.godebug", "GODEBUG"));
        String t = System.getProperty("gort.trace");
        if (t != null && !t.isEmpty()) {
            traceFile = t; // the property wins over GODEBUG's trace=
        }
    }

    /**
     * As Go parses GODEBUG (runtime1.go parsedebugvars): comma-separated {@code key=value} pairs,
     * later ones win, unknown keys are ignored (they belong to other packages or Go versions). A
     * malformed value of a key Gort knows is reported once and leaves that setting off.
     */
    static void parseGodebug(String v) {
        schedtrace = 0;
        scheddetail = 0;
        traceFile = null;
        if (v == null || v.isEmpty()) {
            return;
        }
        for (String field : v.split(",")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue; // Go ignores a field without '='
            }
            String key = field.substring(0, eq).trim();
            String val = field.substring(eq + 1).trim();
            if (key.equals("trace")) {
                if (val.isEmpty()) {
                    warn("gort: ignoring malformed GODEBUG trace=\"\" (want a file name)");
                } else {
                    traceFile = val;
                }
                continue;
            }
            if (key.equals("schedtrace") || key.equals("scheddetail")) {
                int n;
                try {
                    n = Integer.parseInt(val);
                } catch (NumberFormatException e) {
                    warn("gort: ignoring malformed GODEBUG " + key + "=\"" + val + "\" (want an integer)");
                    continue;
                }
                if (n < 0) {
                    warn("gort: ignoring malformed GODEBUG " + key + "=\"" + val + "\" (want an integer >= 0)");
                    continue;
                }
                if (key.equals("schedtrace")) {
                    schedtrace = n;
                } else {
                    scheddetail = n;
                }
            }
        }
    }

    /** The property if set and non-empty, else the environment variable, else null. */
    static String setting(String property, String envVar) {
        String v = System.getProperty(property);
        if (v != null && !v.isEmpty()) {
            return v;
        }
        return System.getenv(envVar);
    }

    /**
     * As Go parses GOMAXPROCS: a positive decimal number sets it; empty, zero or negative means the
     * number of CPUs; anything else is reported and means the number of CPUs too.
     */
    static int parseGomaxprocs(String v, String name) {
        int ncpu = Runtime.getRuntime().availableProcessors();
        if (v == null || v.isEmpty()) {
            return ncpu;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            warn("gort: ignoring malformed " + name + "=\"" + v + "\" (want a positive integer); using " + ncpu);
            return ncpu;
        }
        return n > 0 ? n : ncpu;
    }

    static void warn(String msg) {
        System.err.println(msg);
        System.err.flush();
    }
}
