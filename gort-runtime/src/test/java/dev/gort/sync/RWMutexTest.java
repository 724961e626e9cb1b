package dev.gort.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gort.ChildJvm;
import dev.gort.Go;
import dev.gort.testprog.SyncMisuseProg;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** sync.RWMutex (Go: sync/rwmutex_test.go TestParallelReaders, TestRWMutex, TestRLocker...). */
class RWMutexTest {

    /**
     * Go: TestParallelReaders. All readers must hold the read lock at once: each waits, holding
     * it, until every reader is inside (a WaitGroup as barrier). If readers excluded each other
     * this would never finish.
     */
    @Test
    void readersShare() {
        RWMutex rw = new RWMutex();
        int goroutines = 20;
        int threads = 2;
        WaitGroup inside = new WaitGroup();
        inside.add(goroutines + threads);
        Workers w = new Workers();
        Runnable reader = () -> {
            rw.rLock();
            inside.done();
            inside.await(); // all readers hold the read lock here
            rw.rUnlock();
        };
        for (int i = 0; i < goroutines; i++) {
            w.go(reader);
        }
        for (int i = 0; i < threads; i++) {
            w.thread(reader);
        }
        w.await();
        assertTrue(rw.tryLock(), "all read locks released");
        rw.unlock();
    }

    /**
     * Go: TestRWMutex / HammerRWMutex. Readers add 1 to an activity counter and writers 10000;
     * a reader must never see a writer's share, a writer must see only its own.
     */
    @Test
    void writerExcludesReadersAndWriters() {
        RWMutex rw = new RWMutex();
        AtomicInteger activity = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        int[] shared = {0}; // written only by writers, under the write lock
        int iters = 2_000;
        Workers w = new Workers();
        Runnable reader = () -> {
            for (int i = 0; i < iters; i++) {
                if (i % 5 == 0) {
                    while (!rw.tryRLock()) {
                        Go.gosched();
                        Thread.onSpinWait();
                    }
                } else {
                    rw.rLock();
                }
                int n = activity.incrementAndGet();
                if (n < 1 || n >= 10000) {
                    violations.incrementAndGet();
                }
                if (i % 50 == 0) {
                    Go.gosched();
                }
                activity.addAndGet(-1);
                rw.rUnlock();
            }
        };
        Runnable writer = () -> {
            for (int i = 0; i < iters; i++) {
                if (i % 5 == 0) {
                    while (!rw.tryLock()) {
                        Go.gosched();
                        Thread.onSpinWait();
                    }
                } else {
                    rw.lock();
                }
                int n = activity.addAndGet(10000);
                if (n != 10000) {
                    violations.incrementAndGet();
                }
                shared[0]++;
                if (i % 50 == 0) {
                    Go.gosched();
                }
                activity.addAndGet(-10000);
                rw.unlock();
            }
        };
        for (int i = 0; i < 8; i++) {
            w.go(reader);
        }
        for (int i = 0; i < 3; i++) {
            w.go(writer);
        }
        w.thread(reader);
        w.thread(writer);
        w.await();
        assertEquals(0, violations.get());
        rw.rLock();
        assertEquals(4 * iters, shared[0]);
        rw.rUnlock();
    }

    /**
     * A pending writer blocks new readers (so readers cannot starve it), and it gets the lock as
     * soon as the readers that were inside leave; the blocked reader gets in after the writer.
     * Wait reasons in the dump: sync.RWMutex.Lock, sync.RWMutex.RLock.
     */
    @Test
    void pendingWriterBlocksNewReaders() {
        RWMutex rw = new RWMutex();
        rw.rLock(); // reader 1: this plain thread
        AtomicBoolean writerIn = new AtomicBoolean();
        AtomicBoolean reader2In = new AtomicBoolean();
        AtomicBoolean reader2SawWriterFirst = new AtomicBoolean();
        AtomicBoolean writerSawReader2 = new AtomicBoolean();
        Workers w = new Workers();
        w.go(() -> {
            rw.lock();
            writerIn.set(true);
            writerSawReader2.set(reader2In.get());
            rw.unlock();
        });
        // The writer is pending once new readers are refused.
        Workers.eventually("writer pending", () -> {
            if (rw.tryRLock()) {
                rw.rUnlock();
                return false;
            }
            return true;
        });
        Workers.eventually("writer parked", () -> Workers.waitingIn("sync.RWMutex.Lock") == 1);
        w.go(() -> {
            rw.rLock(); // reader 2, arriving after the writer
            reader2SawWriterFirst.set(writerIn.get());
            reader2In.set(true);
            rw.rUnlock();
        });
        Workers.eventually("reader 2 parked", () -> Workers.waitingIn("sync.RWMutex.RLock") == 1);
        assertFalse(writerIn.get());
        assertFalse(reader2In.get());
        rw.rUnlock(); // reader 1 leaves: the writer goes, then reader 2
        w.await();
        assertTrue(writerIn.get() && reader2In.get());
        assertTrue(reader2SawWriterFirst.get(), "reader 2 got in before the pending writer");
        assertFalse(writerSawReader2.get());
    }

    /**
     * A stream of overlapping readers (the read lock is never free) must not starve a writer:
     * its Lock completes, with the readers still running.
     */
    @Test
    void writerNotStarvedByStreamOfReaders() {
        RWMutex rw = new RWMutex();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger readsAfterWriter = new AtomicInteger();
        AtomicBoolean writerDone = new AtomicBoolean();
        WaitGroup readersRunning = new WaitGroup();
        int readers = 4;
        readersRunning.add(readers);
        Workers rs = new Workers();
        for (int i = 0; i < readers; i++) {
            rs.go(() -> {
                boolean first = true;
                while (!stop.get()) {
                    rw.rLock();
                    if (first) {
                        readersRunning.done();
                        first = false;
                    }
                    Workers.busy(20_000);
                    if (writerDone.get()) {
                        readsAfterWriter.incrementAndGet();
                    }
                    rw.rUnlock();
                    Go.gosched();
                }
            });
        }
        Workers wr = new Workers();
        wr.go(() -> {
            readersRunning.await();
            for (int i = 0; i < 20; i++) {
                rw.lock();
                rw.unlock();
            }
            writerDone.set(true);
        });
        try {
            wr.await(); // bounded: fails with a dump if the writer starves
            Workers.eventually("readers continue after the writer", () -> readsAfterWriter.get() > 0);
        } finally {
            stop.set(true);
        }
        rs.await();
    }

    @Test
    void tryLockAndTryRLock() {
        RWMutex rw = new RWMutex();
        assertTrue(rw.tryRLock());
        assertTrue(rw.tryRLock());
        assertFalse(rw.tryLock());
        rw.rUnlock();
        rw.rUnlock();
        assertTrue(rw.tryLock());
        assertFalse(rw.tryLock());
        assertFalse(rw.tryRLock());
        rw.unlock();
        assertTrue(rw.tryRLock());
        rw.rUnlock();
    }

    /** Go: TestMutexMisuse's RWMutex cases. */
    @Test
    void misuseIsFatal() throws Exception {
        String[][] cases = {
            {"RWMutex.Unlock", "sync: Unlock of unlocked RWMutex"},
            {"RWMutex.Unlock2", "sync: Unlock of unlocked RWMutex"},
            {"RWMutex.Unlock3", "sync: Unlock of unlocked RWMutex"},
            {"RWMutex.RUnlock", "sync: RUnlock of unlocked RWMutex"},
            {"RWMutex.RUnlock2", "sync: RUnlock of unlocked RWMutex"},
            {"RWMutex.RUnlock3", "sync: RUnlock of unlocked RWMutex"},
            {"RWMutex.RUnlock.thread", "sync: RUnlock of unlocked RWMutex"},
        };
        for (String[] c : cases) {
            ChildJvm.Result r = ChildJvm.run(SyncMisuseProg.class, Map.of(), List.of(), c[0]);
            assertEquals(2, r.exit(), c[0] + ": " + r);
            assertTrue(r.stderr().startsWith("fatal error: " + c[1] + "\n\n"), c[0] + ": " + r);
            assertFalse(r.stdout().contains("UNREACHABLE"), c[0] + ": " + r);
        }
    }
}
