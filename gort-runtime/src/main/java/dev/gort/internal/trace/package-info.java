/**
 * Gort's JFR events ({@code dev.gort.*}, {@code jdk.jfr.Event} subclasses, recorded by the runtime
 * through {@code dev.gort.internal.runtime.TraceJfr}) and the offline trace viewer
 * ({@link dev.gort.internal.trace.TraceViewer}, {@code ./gort trace FILE}). Not exported by the
 * module: users see the events by name in JFR, never these classes.
 */
package dev.gort.internal.trace;
