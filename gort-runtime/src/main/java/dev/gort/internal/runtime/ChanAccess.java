package dev.gort.internal.runtime;

import java.util.function.Function;

/**
 * Lets runtime-made channels (a timer's) be handed out as {@code dev.gort.Chan} without a public
 * constructor (the JDK's SharedSecrets pattern): {@code Chan} installs its factory when it loads.
 */
public final class ChanAccess {
    private ChanAccess() {}

    private static volatile Function<Hchan, Object> factory;

    public static void install(Function<Hchan, Object> f) {
        factory = f;
    }

    @SuppressWarnings("unchecked")
    public static <C> C wrap(Hchan h) {
        if (factory == null) {
            try {
                Class.forName("dev.gort.Chan", true, ChanAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return (C) factory.apply(h);
    }
}
