package dev.gort.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A parsed Chrome Trace Event file, with the queries the tests need. */
final class TraceFile {
    final List<Map<String, Object>> events = new ArrayList<>();

    @SuppressWarnings("unchecked")
    TraceFile(Path file) throws IOException {
        Object root = MiniJson.parse(Files.readString(file));
        if (!(root instanceof Map<?, ?> m) || !(m.get("traceEvents") instanceof List<?> l)) {
            throw new AssertionError("not a Chrome trace: " + file);
        }
        for (Object o : l) {
            events.add((Map<String, Object>) o);
        }
    }

    List<Map<String, Object>> where(Predicate<Map<String, Object>> p) {
        return events.stream().filter(p).toList();
    }

    List<Map<String, Object>> named(String name) {
        return where(e -> name.equals(e.get("name")));
    }

    /** The "X" slices on process pid. */
    List<Map<String, Object>> slices(int pid) {
        return where(e -> "X".equals(e.get("ph")) && num(e, "pid") == pid);
    }

    /** A thread_name metadata value for (pid, tid), or null. */
    String threadName(int pid, long tid) {
        for (Map<String, Object> e : events) {
            if ("M".equals(e.get("ph")) && "thread_name".equals(e.get("name")) && num(e, "pid") == pid
                    && num(e, "tid") == tid) {
                return (String) arg(e, "name");
            }
        }
        return null;
    }

    static long num(Map<String, Object> e, String key) {
        Object v = e.get(key);
        return v instanceof Double d ? d.longValue() : Long.MIN_VALUE;
    }

    static double dbl(Map<String, Object> e, String key) {
        return (Double) e.get(key);
    }

    @SuppressWarnings("unchecked")
    static Object arg(Map<String, Object> e, String key) {
        Object a = e.get("args");
        return a instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(key) : null;
    }

    static long argNum(Map<String, Object> e, String key) {
        Object v = arg(e, key);
        return v instanceof Double d ? d.longValue() : Long.MIN_VALUE;
    }
}
