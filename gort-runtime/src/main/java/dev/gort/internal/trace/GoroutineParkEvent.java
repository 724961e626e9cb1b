package dev.gort.internal.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A goroutine parked (gopark) and was made runnable again (goready): the event's duration is the
 * time it waited. Committed by the waker, only for waits of at least {@code gort.jfr.parkThreshold}
 * (default 20 ms, as JDK's jdk.ThreadPark), so the event thread is the waker's M.
 */
@Name("dev.gort.GoroutinePark")
@Label("Goroutine Park")
@Category({"Gort", "Scheduler"})
@Description("A goroutine waited (chan receive, sleep, sync.Mutex.Lock, ...) from park to unpark")
@StackTrace(false)
public final class GoroutineParkEvent extends jdk.jfr.Event {
    @Label("Goroutine Id")
    public long goroutineId;

    @Label("Wait Reason")
    @Description("Go's wait reason, as in goroutine dumps")
    public String waitReason;

    @Label("Unparked By")
    @Description("The goroutine that made it runnable; 0 for the scheduler, a timer, the netpoller or a plain thread")
    public long unparkedBy;
}
