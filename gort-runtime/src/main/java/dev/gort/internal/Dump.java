package dev.gort.internal;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.gort.SchedulerMXBean;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.relation.MBeanServerNotificationFilter;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code ./gort dump PID}: prints the goroutine dump of another JVM running Gort, from outside it
 * (what Go gets from {@code kill -QUIT}, without killing the process).
 *
 * <p>How, with nothing but a stock JDK: the Attach API starts the target's local JMX agent
 * ({@code VirtualMachine.startLocalManagementAgent}, the same as
 * {@code jcmd PID ManagementAgent.start_local}; it keeps running afterwards, bound to the loopback
 * interface and to this user), then a JMX connection calls {@code dumpGoroutines()} on
 * {@code dev.gort:type=Scheduler}. If the runtime started less than a second ago the bean may not
 * be registered yet: this waits up to {@code -Dgort.dump.wait=SECONDS} (default 10) for it.
 * Exit status: 0 with the dump on stdout; 1 with the reason on stderr.
 */
public final class Dump {
    private Dump() {}

    public static void main(String[] args) {
        if (args.length != 1 || !args[0].matches("[0-9]+")) {
            System.err.println("usage: gort dump PID   (the process id of a JVM running Gort; jps lists them)");
            System.exit(2);
        }
        long wait = Long.getLong("gort.dump.wait", 10);
        int status;
        try {
            System.out.print(dump(args[0], TimeUnit.SECONDS.toMillis(wait)));
            System.out.flush();
            status = 0;
        } catch (DumpException e) {
            System.err.println("gort dump: " + e.getMessage());
            status = 1;
        }
        // JMX/RMI client threads may linger after close; the dump is out, nothing else to wait for.
        System.exit(status);
    }

    /** Why a dump could not be taken, in a sentence for the user. */
    static final class DumpException extends Exception {
        DumpException(String msg, Throwable cause) {
            super(cause == null ? msg : msg + ": " + cause, cause);
        }
    }

    /** Attaches to pid and returns its goroutine dump, waiting up to waitMillis for the MXBean. */
    public static String dump(String pid, long waitMillis) throws DumpException {
        String url;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                url = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | IOException e) {
            throw new DumpException("cannot attach to process " + pid
                    + " (is it a JVM run by this user, started without -XX:+DisableAttachMechanism?)", e);
        }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
            MBeanServerConnection server = c.getMBeanServerConnection();
            ObjectName name = new ObjectName(SchedulerMXBean.OBJECT_NAME);
            if (!awaitRegistered(server, name, waitMillis)) {
                throw new DumpException("process " + pid + " has no " + SchedulerMXBean.OBJECT_NAME
                        + " MXBean after " + waitMillis / 1000 + " s (no Gort runtime started in it, or run with"
                        + " -Dgort.mxbean=false)", null);
            }
            return (String) server.invoke(name, "dumpGoroutines", null, null);
        } catch (DumpException e) {
            throw e;
        } catch (Exception e) {
            throw new DumpException("JMX call to process " + pid + " failed", e);
        }
    }

    /** Waits for name to be registered: a registration notification, or already there. */
    private static boolean awaitRegistered(MBeanServerConnection server, ObjectName name, long waitMillis)
            throws Exception {
        if (server.isRegistered(name)) {
            return true;
        }
        CountDownLatch registered = new CountDownLatch(1);
        NotificationListener l = (n, hb) -> {
            if (n instanceof MBeanServerNotification m && name.equals(m.getMBeanName())
                    && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(m.getType())) {
                registered.countDown();
            }
        };
        MBeanServerNotificationFilter f = new MBeanServerNotificationFilter();
        f.disableAllObjectNames();
        f.enableObjectName(name);
        server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, l, f, null);
        try {
            // Checked again after subscribing: it may have been registered in between.
            return server.isRegistered(name) || registered.await(waitMillis, TimeUnit.MILLISECONDS);
        } finally {
            try {
                server.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, l);
            } catch (Exception ignored) {
                // the connection is closed next anyway
            }
        }
    }
}
