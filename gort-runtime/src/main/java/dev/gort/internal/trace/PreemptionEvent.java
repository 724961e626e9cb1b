package dev.gort.internal.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A goroutine lost its P for running too long (sysmon's 10 ms time slice). */
@Name("dev.gort.Preemption")
@Label("Goroutine Preemption")
@Category({"Gort", "Scheduler"})
@Description("A goroutine was preempted: it yielded at a safe point on request, or its P was handed off")
@StackTrace(false)
public final class PreemptionEvent extends jdk.jfr.Event {
    @Label("Goroutine Id")
    public long goroutineId;

    @Label("P Id")
    public int pId;

    @Label("M Id")
    public long mId;

    @Label("Mechanism")
    @Description("yield at a safe point, or hand-off of a stuck M")
    public String mechanism;
}
