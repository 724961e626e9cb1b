package dev.gort.testprog;

import dev.gort.Go;
import dev.gort.sync.Mutex;
import dev.gort.sync.RWMutex;

/**
 * Misuses of sync's locks, each a fatal error (Go: sync/mutex_test.go TestMutexMisuse's cases).
 * The argument names the case; a ".thread" suffix runs it on a plain thread instead of the main
 * goroutine.
 */
public final class SyncMisuseProg {
    public static void main(String[] args) {
        String c = args[0];
        if (c.endsWith(".thread")) {
            misuse(c.substring(0, c.length() - ".thread".length()));
        } else {
            Go.main(() -> misuse(c));
        }
        System.out.println("UNREACHABLE");
    }

    static void misuse(String c) {
        switch (c) {
            case "Mutex.Unlock" -> new Mutex().unlock();
            case "Mutex.Unlock2" -> {
                Mutex mu = new Mutex();
                mu.lock();
                mu.unlock();
                mu.unlock();
            }
            case "RWMutex.Unlock" -> new RWMutex().unlock();
            case "RWMutex.Unlock2" -> {
                RWMutex mu = new RWMutex();
                mu.rLock();
                mu.unlock();
            }
            case "RWMutex.Unlock3" -> {
                RWMutex mu = new RWMutex();
                mu.lock();
                mu.unlock();
                mu.unlock();
            }
            case "RWMutex.RUnlock" -> new RWMutex().rUnlock();
            case "RWMutex.RUnlock2" -> {
                RWMutex mu = new RWMutex();
                mu.lock();
                mu.rUnlock();
            }
            case "RWMutex.RUnlock3" -> {
                RWMutex mu = new RWMutex();
                mu.rLock();
                mu.rUnlock();
                mu.rUnlock();
            }
            default -> throw new IllegalArgumentException(c);
        }
    }
}
