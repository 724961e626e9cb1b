package dev.gort.internal.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** checkdead found that no goroutine can ever run again; the program dies right after. */
@Name("dev.gort.Deadlock")
@Label("Goroutine Deadlock")
@Category({"Gort", "Scheduler"})
@Description("fatal error: all goroutines are asleep - deadlock!")
public final class DeadlockEvent extends jdk.jfr.Event {
    @Label("Message")
    public String message;

    @Label("Waiting Goroutines")
    public int waitingGoroutines;
}
