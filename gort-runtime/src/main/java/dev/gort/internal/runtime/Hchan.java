package dev.gort.internal.runtime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A channel (Go: runtime/chan.go {@code hchan}, {@code chansend}, {@code chanrecv},
 * {@code closechan}).
 *
 * <p>Invariants (Go's): at least one of {@code sendq} and {@code recvq} is empty, except for one
 * select that sends and receives on the same unbuffered channel; for a buffered channel,
 * {@code qcount > 0} implies recvq is empty and {@code qcount < dataqsiz} implies sendq is empty.
 *
 * <p>{@link #lock} protects every field and the sudogs on this channel's queues. It is a runtime
 * {@link Lock}: a goroutine that blocks enqueues its sudog under it and parks, and its M releases
 * it only after the goroutine has yielded ({@link Proc#gopark} with {@link Proc#PARKUNLOCK}), so a
 * waker never finds a half-parked goroutine. Never ready a G while holding it: wakers collect,
 * unlock, then wake.
 *
 * <p>A send to a waiting receiver hands the value over directly (no buffer) and readies the receiver
 * into the sender's runnext, so it runs next on this P inheriting the time slice. A receive from a
 * full buffer takes the head and moves the first waiting sender's value into the tail, keeping
 * FIFO order. Plain Java threads use the same queues and block themselves.
 */
public final class Hchan {
    /** Returned by {@link #chanrecv}: the channel is closed and drained (Go: received == false). */
    public static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "closed";
        }
    };
    /** Returned by a non-blocking {@link #chanrecv} or {@link #chansend} that could not proceed. */
    public static final Object NOT_READY = new Object() {
        @Override
        public String toString() {
            return "not ready";
        }
    };

    private static final AtomicLong ids = new AtomicLong();

    /** Stands in for Go's hchan address when select orders its locks; immutable. */
    final long id = ids.incrementAndGet();
    final Lock lock = new Lock();
    /** The buffer ring, dataqsiz slots; protected by lock. */
    final Object[] buf;
    final int dataqsiz;
    /** Elements in buf; written under lock, read racily by the non-blocking fast paths and len(). */
    volatile int qcount;
    int sendx;
    int recvx;
    /** Written under lock, read racily by the fast paths (Go reads c.closed atomically there). */
    volatile boolean closed;
    final WaitQ recvq = new WaitQ();
    final WaitQ sendq = new WaitQ();

    /**
     * A timer's channel (Go 1.23: synchronous timer channels): internally one slot, so a firing
     * never blocks the M, but len and cap report 0 as Go's do.
     */
    final boolean timerChan;

    private Hchan(int size) {
        this(size, false);
    }

    Hchan(int size, boolean timerChan) {
        this.dataqsiz = size;
        this.buf = size > 0 ? new Object[size] : null;
        this.timerChan = timerChan;
    }

    /**
     * The largest buffer makechan accepts (Go: makechan's {@code mem > maxAlloc - hchanSize}
     * check). A buffer is an array of references, 4 bytes each at least: refuse what could never
     * fit in the heap ({@code Runtime.maxMemory() / 4} slots), and what no Java array can hold
     * ({@code Integer.MAX_VALUE - 8}, the JDK's soft array limit), so that such a size panics
     * before allocating instead of ending in an OutOfMemoryError.
     */
    public static final int MAX_BUF = (int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4);

    /** Go: makechan. */
    public static Hchan makechan(int size) {
        if (size < 0 || size > MAX_BUF) {
            throw panic("makechan: size out of range");
        }
        return new Hchan(size);
    }

    public int len() {
        return timerChan ? 0 : qcount;
    }

    public int cap() {
        return timerChan ? 0 : dataqsiz;
    }

    /** Whether a send would block (Go: full); racy, for the non-blocking fast path. */
    private boolean full() {
        if (dataqsiz == 0) {
            return recvq.first == null;
        }
        return qcount == dataqsiz;
    }

    /** Whether a receive would block (Go: empty); racy, for the non-blocking fast path. */
    private boolean empty() {
        if (dataqsiz == 0) {
            return sendq.first == null;
        }
        return qcount == 0;
    }

    // ---------------------------------------------------------------- send

    /**
     * Go: chansend. Sends v; with {@code block} false, returns false instead of blocking.
     * Panics {@code send on closed channel}.
     */
    public boolean chansend(Object v, boolean block) {
        // Fast path: a non-blocking send on an open channel that is full fails without the lock.
        // (Go's reasoning: closed is read after full, and a channel is never reopened.)
        if (!block && !closed && full()) {
            return false;
        }
        M mp = Proc.getmPreemptible(); // a safe point; then valid until we park
        lock.lock();
        if (closed) {
            lock.unlock();
            throw panic("send on closed channel");
        }
        Sudog sg = recvq.dequeue();
        if (sg != null) {
            // A receiver is waiting: hand v straight to it, bypassing the buffer.
            send(sg, v, mp);
            return true;
        }
        if (qcount < dataqsiz) {
            bufsend(v);
            lock.unlock();
            return true;
        }
        if (!block) {
            lock.unlock();
            return false;
        }
        // Block on the channel; some receiver will complete our operation for us.
        Sudog mysg = Sudog.acquire(mp);
        mysg.elem = v;
        sendq.enqueue(mysg);
        park(mp, mysg, WaitReason.ChanSend);
        boolean wasClosed = !mysg.success;
        Sudog.release(mysg); // after parking: a fresh M
        if (wasClosed) {
            if (!closed) {
                throw Proc.fatal("chansend: spurious wakeup");
            }
            throw panic("send on closed channel");
        }
        return true;
    }

    /** Go: send. Completes a send to the waiting receiver sg; unlocks, then wakes it. Lock held. */
    void send(Sudog sg, Object v, M mp) {
        sg.elem = v;
        sg.success = true;
        lock.unlock();
        sg.wake(mp);
    }

    // ---------------------------------------------------------------- receive

    /**
     * Go: chanrecv. Receives a value, or {@link #CLOSED} when the channel is closed and drained;
     * with {@code block} false, {@link #NOT_READY} instead of blocking.
     */
    public Object chanrecv(boolean block) {
        // Fast path: a non-blocking receive that finds nothing fails without the lock.
        if (!block && empty()) {
            if (!closed) {
                return NOT_READY;
            }
            // Closed: re-check emptiness (a value may have arrived before the close).
            if (empty()) {
                return CLOSED;
            }
        }
        M mp = Proc.getmPreemptible(); // a safe point; then valid until we park
        lock.lock();
        if (closed) {
            if (qcount == 0) {
                lock.unlock();
                return CLOSED;
            }
            // Closed, but the buffer still has values: they are delivered first.
        } else {
            Sudog sg = sendq.dequeue();
            if (sg != null) {
                // A sender is waiting. Unbuffered: take its value directly. Buffered (the buffer is
                // full): take the head, and put the sender's value at the tail.
                return recv(sg, mp);
            }
        }
        if (qcount > 0) {
            Object v = bufrecv();
            lock.unlock();
            return v;
        }
        if (!block) {
            lock.unlock();
            return NOT_READY;
        }
        Sudog mysg = Sudog.acquire(mp);
        recvq.enqueue(mysg);
        park(mp, mysg, WaitReason.ChanReceive);
        Object v = mysg.success ? mysg.elem : CLOSED;
        Sudog.release(mysg);
        return v;
    }

    /** Go: recv. Completes a receive from the waiting sender sg; unlocks, then wakes it. Lock held. */
    Object recv(Sudog sg, M mp) {
        Object v = takeFromSender(sg);
        lock.unlock();
        sg.wake(mp);
        return v;
    }

    /**
     * The locked half of Go's recv: the value a receive gets from the waiting sender sg. Unbuffered:
     * the sender's value. Buffered (then the buffer is full): the head of the buffer, and the
     * sender's value goes to the tail, keeping FIFO order. Marks sg completed. Lock held.
     */
    Object takeFromSender(Sudog sg) {
        Object v;
        if (dataqsiz == 0) {
            v = sg.elem;
        } else {
            v = buf[recvx];
            buf[recvx] = sg.elem;
            if (++recvx == dataqsiz) {
                recvx = 0;
            }
            sendx = recvx; // the buffer stays full: the tail follows the head
        }
        sg.elem = null;
        sg.success = true;
        return v;
    }

    /** Appends v to the buffer, which has room. Lock held. */
    void bufsend(Object v) {
        buf[sendx] = v;
        if (++sendx == dataqsiz) {
            sendx = 0;
        }
        qcount = qcount + 1;
    }

    /** Takes the head of the buffer, which is not empty. Lock held. */
    Object bufrecv() {
        Object v = buf[recvx];
        buf[recvx] = null;
        if (++recvx == dataqsiz) {
            recvx = 0;
        }
        qcount = qcount - 1;
        return v;
    }

    // ---------------------------------------------------------------- close

    /** Go: closechan. Panics {@code close of closed channel}. Wakes every waiter. */
    public void closechan() {
        lock.lock();
        if (closed) {
            lock.unlock();
            throw panic("close of closed channel");
        }
        closed = true;
        // Collect every waiter under the lock, wake them after it: receivers get (nil, false),
        // senders will panic. The list is linked through next, free once a sudog is dequeued (a
        // sudog has no separate link for this: one field less in every parked goroutine's sudog).
        Sudog list = null;
        Sudog sg;
        while ((sg = recvq.dequeue()) != null) {
            sg.elem = null;
            sg.success = false;
            sg.next = list;
            list = sg;
        }
        while ((sg = sendq.dequeue()) != null) {
            sg.elem = null;
            sg.success = false;
            sg.next = list;
            list = sg;
        }
        lock.unlock();
        // Go readies them in queue order, each into runnext pushing the previous one to the
        // local queue; wake the collected list in that order.
        list = reverse(list);
        M mp = Proc.getm();
        while (list != null) {
            Sudog next = list.next;
            list.next = null; // read before the wake: the woken goroutine may reuse its sudog at once
            list.wake(mp);
            list = next;
        }
    }

    private static Sudog reverse(Sudog l) {
        Sudog r = null;
        while (l != null) {
            Sudog n = l.next;
            l.next = r;
            r = l;
            l = n;
        }
        return r;
    }

    // ---------------------------------------------------------------- parking

    /**
     * Parks the caller on mysg, which is already on one of this channel's queues; the lock is held
     * and is released once the caller is parked. A goroutine parks (Go: gopark with
     * chanparkcommit); a plain thread blocks itself until the waker sets {@code ready}.
     */
    private void park(M mp, Sudog mysg, int reason) {
        G gp = mp != null ? mp.curg : null;
        if (gp != null) {
            mysg.g = gp;
            Proc.gopark(mp, Proc.PARKUNLOCK, lock, reason);
            return;
        }
        mysg.thread = Proc.carrier();
        lock.unlock();
        blockThread(mysg);
    }

    /** A plain thread waits for its sudog to be completed; interrupts are kept, not obeyed. */
    static void blockThread(Sudog mysg) {
        boolean interrupted = false;
        while (!mysg.ready) {
            LockSupport.park(mysg);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static RuntimeException panic(String msg) {
        return new dev.gort.Panic(msg);
    }
}
