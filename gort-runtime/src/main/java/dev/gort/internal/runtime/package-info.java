/**
 * Gort's runtime: Go's {@code src/runtime} scheduler, for the JVM. Not exported by the module
 * {@code dev.gort}; the public API in {@code dev.gort} and {@code dev.gort.sync} reaches it only
 * through {@link dev.gort.internal.runtime.Linkname}, as Go's packages reach the runtime through
 * {@code //go:linkname}.
 *
 * <h2>Files, by concern (Go's file in parentheses)</h2>
 * <ul>
 *   <li>{@code G} — the goroutine record and its status word (runtime2.go {@code g});
 *       {@code WaitReason} — Go's wait-reason strings; {@code Goexit} — runtime.Goexit.</li>
 *   <li>{@code M} — a worker thread (runtime2.go {@code m}); {@code Note} — its sleep/wake-up
 *       (lock_futex.go {@code note}).</li>
 *   <li>{@code P} — a processor and its lock-free local run queue (runtime2.go {@code p};
 *       proc.go {@code runqput}...{@code runqsteal}); {@code PMask}, {@code RandomOrder}.</li>
 *   <li>{@code Sched} — the global scheduler state (runtime2.go {@code schedt}); {@code GQueue} —
 *       the global run queue.</li>
 *   <li>{@code Proc} — the scheduler proper (proc.go): creation, park/ready, the M loop,
 *       findRunnable and stealing, the spinning protocol, stop-the-world and procresize.</li>
 *   <li>{@code Lock} — the runtime mutex (lock_futex.go); {@code Sema} — the runtime semaphore
 *       under package sync (sema.go); {@code NotifyList} — sync.Cond's ticket list (sema.go
 *       notifyList); {@code SyncRuntime} — sync's spin policy (proc.go sync_runtime_canSpin).</li>
 *   <li>{@code Hchan}, {@code Sudog}, {@code WaitQ} — channels (chan.go); {@code Selectgo},
 *       {@code SelectState} — select (select.go).</li>
 *   <li>{@code Timer}, {@code Timers} — timers and the per-P 4-ary heaps (time.go);
 *       {@code TimeLink} — the door for package time.</li>
 *   <li>{@code Netpoll} — the netpoller's platform seam (netpoll.go: netpollinit, netpollopen,
 *       netpollclose, netpoll, netpollBreak) and {@code NetFD} — a non-blocking socket under it
 *       (internal/poll's system-call half); {@code NetpollChoice} picks the backend:
 *       {@code EpollNetpoll}/{@code EpollNetFD} (netpoll_epoll.go; raw sockets through
 *       java.lang.foreign: {@code Libc}, {@code Sockaddr}, {@code Scratch}) or
 *       {@code NioNetpoll}/{@code NioNetFD} (a Selector); {@code NetAddr}, {@code NetError} — Go's
 *       address syntax and error messages.</li>
 *   <li>{@code Traceback}, {@code Panics} — dumps, panics and fatal errors (traceback.go,
 *       panic.go); {@code Env} — settings read at start-up (runtime1.go).</li>
 *   <li>{@code Cont} — the only code touching {@code jdk.internal.vm.Continuation};
 *       {@code MainRun} — one {@code Go.main} call; {@code ChanAccess} — hands runtime-made
 *       channels out as {@code dev.gort.Chan}.</li>
 * </ul>
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Go's names inside ({@code runqput}, {@code findRunnable}, {@code gp}, {@code pp},
 *       {@code mp}), so Go's source can be read beside this one; the last line of a ported
 *       routine's comment names its Go counterpart.</li>
 *   <li>Every shared field says what protects it: {@code sched.lock}, "owner only", "atomic"
 *       (a VarHandle named after the field in upper case: {@code RUNQHEAD}), or immutable.</li>
 *   <li>Memory order is stated where it is used: "load-acquire, pairs with the store-release in
 *       runqput". AtomicInteger/volatile accesses are sequentially consistent, which the
 *       submit-then-check and decrement-then-recheck protocols of the spinning Ms rely on.</li>
 *   <li>Code running on a goroutine never calls {@code Thread.currentThread()}: it uses
 *       {@code Proc.carrier()} (why is explained there).</li>
 *   <li>Deliberate deviations from Go are marked "Deviation" at the code and listed in the
 *       README's "Differences from Go".</li>
 * </ul>
 */
package dev.gort.internal.runtime;
