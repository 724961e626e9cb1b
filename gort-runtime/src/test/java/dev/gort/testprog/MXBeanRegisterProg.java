package dev.gort.testprog;

import dev.gort.Chan;
import dev.gort.Go;

/**
 * Starts the runtime, waits for its MXBean registration thread to finish (it registers a second
 * after the start), then shows the runtime still works: a goroutine answers on a channel. Prints
 * "ok". Run with a JMX configuration that breaks the platform MBean server, registration fails.
 */
public final class MXBeanRegisterProg {
    public static void main(String[] args) throws InterruptedException {
        Go.numGoroutine(); // starts the runtime
        Thread registrar = null;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("gort.mxbean-register")) {
                registrar = t;
            }
        }
        if (registrar == null) {
            throw new AssertionError("no registration thread");
        }
        registrar.join(60_000);
        if (registrar.isAlive()) {
            throw new AssertionError("registration did not finish in 60 s");
        }
        Go.main(() -> {
            Chan<String> c = Chan.make();
            Go.go(() -> c.send("ok"));
            System.out.println(c.recv());
        });
    }
}
