package dev.gort.internal.runtime;

import java.util.Locale;

/**
 * Which netpoller backend this process uses (the property {@code gort.netpoll}; see
 * {@link Netpoll}). Decided once, by {@link Netpoll#get}; problems are reported once on stderr,
 * as Env reports a malformed setting, and never stop the program.
 */
final class NetpollChoice {
    private NetpollChoice() {}

    /** The backend for the property's value (null or empty: the default). */
    static String choose(String prop) {
        String v = prop == null ? "" : prop.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "nio":
                return "nio";
            case "epoll": {
                String why = epollUnavailable(true);
                if (why == null) {
                    return "epoll";
                }
                Env.warn("gort: gort.netpoll=epoll is not available (" + why + "); using nio");
                return "nio";
            }
            case "":
                return defaultBackend();
            default: {
                String d = defaultBackend();
                Env.warn("gort: ignoring malformed gort.netpoll=\"" + prop + "\" (want epoll or nio); using " + d);
                return d;
            }
        }
    }

    private static String defaultBackend() {
        return epollUnavailable(false) == null ? "epoll" : "nio";
    }

    /**
     * Null if epoll can be used, else why not. Without an explicit request, missing native access
     * rules it out too (the JDK would warn at the first downcall; the default stays quiet).
     */
    static String epollUnavailable(boolean explicit) {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux")) {
            return "not Linux: " + os;
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return "unsupported architecture " + arch;
        }
        if (!explicit && !NetpollChoice.class.getModule().isNativeAccessEnabled()) {
            return "no native access";
        }
        try {
            Class.forName("dev.gort.internal.runtime.Libc", true, NetpollChoice.class.getClassLoader());
            return null;
        } catch (Throwable t) {
            Throwable c = t instanceof ExceptionInInitializerError && t.getCause() != null ? t.getCause() : t;
            return c.toString();
        }
    }
}
