package dev.gort.internal.runtime;

/**
 * Why a goroutine is waiting (Go: runtime2.go {@code waitReason}); the strings are Go's exactly, as
 * printed in goroutine dumps ({@code goroutine 7 [chan receive]:}).
 */
final class WaitReason {
    private WaitReason() {}

    static final int zero = 0;
    static final int IOWait = 2;
    static final int ChanReceiveNilChan = 3;
    static final int ChanSendNilChan = 4;
    static final int Select = 10;
    static final int SelectNoCases = 11;
    static final int ChanReceive = 14;
    static final int ChanSend = 15;
    static final int Sleep = 19;
    static final int SyncCondWait = 20;
    static final int SyncMutexLock = 21;
    static final int SyncRWMutexRLock = 22;
    static final int SyncRWMutexLock = 23;
    static final int SyncWaitGroupWait = 24;
    static final int TraceReaderBlocked = 25;
    static final int WaitForGCCycle = 26;
    static final int GCWorkerIdle = 27;
    static final int GCWorkerActive = 28;
    static final int Preempted = 29;
    static final int DebugCall = 30;
    static final int GCMarkTermination = 31;
    static final int StoppingTheWorld = 32;
    static final int FlushProcCaches = 33;
    static final int TraceGoroutineStatus = 34;
    static final int TraceProcStatus = 35;
    static final int PageTraceFlush = 36;
    static final int CoroutineYield = 37;
    static final int GCWeakToStrongWait = 38;
    static final int SynctestRun = 39;
    static final int Semacquire = 40;

    // Go's waitReasonStrings (runtime2.go), indexed by the constants above.
    private static final String[] strings = new String[41];

    static {
        strings[zero] = "";
        strings[1] = "GC assist marking";
        strings[IOWait] = "IO wait";
        strings[ChanReceiveNilChan] = "chan receive (nil chan)";
        strings[ChanSendNilChan] = "chan send (nil chan)";
        strings[5] = "dumping heap";
        strings[6] = "garbage collection";
        strings[7] = "garbage collection scan";
        strings[8] = "panicwait";
        strings[9] = "finalizer wait";
        strings[Select] = "select";
        strings[SelectNoCases] = "select (no cases)";
        strings[12] = "GC assist wait";
        strings[13] = "GC sweep wait";
        strings[ChanReceive] = "chan receive";
        strings[ChanSend] = "chan send";
        strings[16] = "force gc (idle)";
        strings[17] = "GC scavenge wait";
        strings[18] = "GC worker (idle)";
        strings[Sleep] = "sleep";
        strings[SyncCondWait] = "sync.Cond.Wait";
        strings[SyncMutexLock] = "sync.Mutex.Lock";
        strings[SyncRWMutexRLock] = "sync.RWMutex.RLock";
        strings[SyncRWMutexLock] = "sync.RWMutex.Lock";
        strings[SyncWaitGroupWait] = "sync.WaitGroup.Wait";
        strings[TraceReaderBlocked] = "trace reader (blocked)";
        strings[WaitForGCCycle] = "wait for GC cycle";
        strings[GCWorkerIdle] = "GC worker (idle)";
        strings[GCWorkerActive] = "GC worker (active)";
        strings[Preempted] = "preempted";
        strings[DebugCall] = "debug call";
        strings[GCMarkTermination] = "GC mark termination";
        strings[StoppingTheWorld] = "stopping the world";
        strings[FlushProcCaches] = "flushing proc caches";
        strings[TraceGoroutineStatus] = "trace goroutine status";
        strings[TraceProcStatus] = "trace proc status";
        strings[PageTraceFlush] = "page trace flush";
        strings[CoroutineYield] = "coroutine";
        strings[GCWeakToStrongWait] = "GC weak to strong wait";
        strings[SynctestRun] = "synctest.Run";
        strings[Semacquire] = "semacquire";
    }

    static String string(int r) {
        return r >= 0 && r < strings.length && strings[r] != null ? strings[r] : "unknown wait reason";
    }
}
