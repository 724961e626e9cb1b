package dev.gort;

/**
 * The result of {@code v, ok := <-ch}: {@code ok} is false when the channel is closed and drained
 * (then {@code value} is null, Go's zero value). {@code null} is an ordinary channel value, so
 * {@code ok} is what tells a received null from a close.
 */
public record Received<T>(T value, boolean ok) {}
