package dev.gort.sync;

import dev.gort.internal.runtime.Linkname;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sync.RWMutex}: a reader/writer mutual exclusion lock, held by any number of readers or by
 * one writer. A new RWMutex is unlocked. As in Go, a writer waiting in {@link #lock} keeps new
 * readers out until it has had its turn, so a stream of readers cannot starve it; consequently
 * a reader must not take the read lock recursively (a writer arriving in between deadlocks both).
 * Not owned: any goroutine or thread may unlock.
 *
 * <p>Go's algorithm (sync/rwmutex.go): {@code readerCount} counts readers and goes negative by
 * {@code rwmutexMaxReaders} while a writer holds or waits for the lock; {@code readerWait} counts
 * the readers the pending writer still waits for; writers exclude each other with a {@link Mutex}.
 */
public final class RWMutex {
    /** Go: rwmutexMaxReaders. At most this many simultaneous readers. */
    static final int rwmutexMaxReaders = 1 << 30;

    /** Held by a pending or active writer. */
    private final Mutex w = new Mutex();
    /** Writers wait here for the departing readers (made on first contention). */
    private volatile Object writerSem;
    /** Readers wait here for the writer to finish (made on first contention). */
    private volatile Object readerSem;
    /** Readers in or waiting; minus rwmutexMaxReaders while a writer is pending. */
    private final AtomicInteger readerCount = new AtomicInteger();
    /** Readers the pending writer still waits to leave. */
    private final AtomicInteger readerWait = new AtomicInteger();

    /** Locks for reading, waiting (parking the goroutine) while a writer holds or awaits the lock. */
    public void rLock() {
        if (readerCount.incrementAndGet() < 0) {
            // A writer is pending: wait for it.
            Linkname.semacquireRWMutexR(readerSem(), false);
        }
    }

    /** Locks for reading if no writer holds or awaits the lock, without waiting. */
    public boolean tryRLock() {
        for (;;) {
            int c = readerCount.get();
            if (c < 0) {
                return false;
            }
            if (readerCount.compareAndSet(c, c + 1)) {
                return true;
            }
        }
    }

    /**
     * Undoes one {@link #rLock}. Unlocking when not read-locked is a fatal error
     * ({@code fatal error: sync: RUnlock of unlocked RWMutex}, exit status 2).
     */
    public void rUnlock() {
        int r = readerCount.decrementAndGet();
        if (r < 0) {
            rUnlockSlow(r);
        }
    }

    private void rUnlockSlow(int r) {
        if (r + 1 == 0 || r + 1 == -rwmutexMaxReaders) {
            throw Linkname.fatal("sync: RUnlock of unlocked RWMutex");
        }
        // A writer is pending: the last reader it waits for wakes it.
        if (readerWait.decrementAndGet() == 0) {
            Linkname.semrelease(writerSem(), false);
        }
    }

    /** Locks for writing, waiting until no writer and no reader holds the lock. */
    public void lock() {
        // First exclude other writers.
        w.lock();
        // Announce the pending writer to readers; r is the number of active readers.
        int r = readerCount.addAndGet(-rwmutexMaxReaders) + rwmutexMaxReaders;
        // Wait for those readers, unless they have all left already.
        if (r != 0 && readerWait.addAndGet(r) != 0) {
            Linkname.semacquireRWMutex(writerSem(), false);
        }
    }

    /** Locks for writing if the lock is entirely free, without waiting. */
    public boolean tryLock() {
        if (!w.tryLock()) {
            return false;
        }
        if (!readerCount.compareAndSet(0, -rwmutexMaxReaders)) {
            w.unlock();
            return false;
        }
        return true;
    }

    /**
     * Unlocks for writing, letting the readers that queued meanwhile in. Unlocking when not
     * write-locked is a fatal error ({@code fatal error: sync: Unlock of unlocked RWMutex}).
     */
    public void unlock() {
        // Announce to readers that there is no active writer.
        int r = readerCount.addAndGet(rwmutexMaxReaders);
        if (r >= rwmutexMaxReaders) {
            throw Linkname.fatal("sync: Unlock of unlocked RWMutex");
        }
        // Wake the readers that blocked on us.
        for (int i = 0; i < r; i++) {
            Linkname.semrelease(readerSem(), false);
        }
        // Let other writers in.
        w.unlock();
    }

    private Object readerSem() {
        Object s = readerSem;
        return s != null ? s : makeSema(READER_SEM);
    }

    private Object writerSem() {
        Object s = writerSem;
        return s != null ? s : makeSema(WRITER_SEM);
    }

    /** Makes a semaphore on first contention; a CAS decides between racing makers. */
    private Object makeSema(VarHandle field) {
        Object s = Linkname.newSema();
        Object witness = field.compareAndExchange(this, null, s);
        return witness != null ? witness : s;
    }

    @Override
    public String toString() {
        int c = readerCount.get();
        return c < 0 ? "RWMutex[writer, readers=" + (c + rwmutexMaxReaders) + "]" : "RWMutex[readers=" + c + "]";
    }

    private static final VarHandle READER_SEM;
    private static final VarHandle WRITER_SEM;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READER_SEM = l.findVarHandle(RWMutex.class, "readerSem", Object.class);
            WRITER_SEM = l.findVarHandle(RWMutex.class, "writerSem", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
