/**
 * Gort: Go's runtime for Java 25.
 *
 * <p>The exported packages are the public API ({@code dev.gort}, {@code dev.gort.sync},
 * {@code dev.gort.time}, later {@code dev.gort.net}); the scheduler itself lives in the non-exported
 * {@code dev.gort.internal.runtime}. The runtime needs
 * {@code --add-exports java.base/jdk.internal.vm=dev.gort} (or {@code =ALL-UNNAMED} on the class path).
 */
module dev.gort {
    exports dev.gort;
    exports dev.gort.sync;
    exports dev.gort.time;
}
