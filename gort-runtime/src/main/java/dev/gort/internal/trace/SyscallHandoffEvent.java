package dev.gort.internal.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A P was handed to another M because its goroutine blocked the thread (Go: handoffp). */
@Name("dev.gort.SyscallHandoff")
@Label("Syscall Hand-off")
@Category({"Gort", "Scheduler"})
@Description("A P left an M blocked in a syscall (or stuck in user code) for another M")
@StackTrace(false)
public final class SyscallHandoffEvent extends jdk.jfr.Event {
    @Label("P Id")
    public int pId;

    @Label("Goroutine Id")
    @Description("The goroutine holding the thread; 0 if unknown")
    public long goroutineId;

    @Label("M Id")
    @Description("The M left behind; -1 if unknown")
    public long mId;

    @Label("Reason")
    @Description("syscall retaken by sysmon, syscallBlock, or stuck M")
    public String reason;
}
