package dev.gort.internal.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The runtime made a thread: a new M (Go: newm) or sysmon. */
@Name("dev.gort.ThreadStart")
@Label("Gort Thread Start")
@Category({"Gort", "Scheduler"})
@Description("The runtime started an M (worker thread) or sysmon")
@StackTrace(false)
public final class ThreadStartEvent extends jdk.jfr.Event {
    @Label("M Id")
    public long mId;

    @Label("Thread Name")
    public String threadName;

    @Label("P Id")
    @Description("The P the new M starts with; -1 for none")
    public int pId;

    @Label("Spinning")
    @Description("The M starts spinning (looking for work)")
    public boolean spinning;
}
