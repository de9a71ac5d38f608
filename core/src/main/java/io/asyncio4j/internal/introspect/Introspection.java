package io.asyncio4j.internal.introspect;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;
import io.asyncio4j.internal.KernelAccess;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Makes every running event loop visible to other processes: while a loop runs, a platform MBean named
 * {@code io.asyncio4j:type=EventLoop,name=EventLoop-N} answers snapshots of its tasks (who awaits whom,
 * and where), which {@code asyncio4j ps PID} and {@code asyncio4j pstree PID} read through the JDK's attach
 * mechanism and JMX. The MBean is registered when the loop starts running and unregistered when it stops.
 *
 * <p>On by default. Off for one runner with {@code Runner.builder().introspection(false)}, for the whole
 * JVM with {@code -Dasyncio4j.introspection=false}.
 *
 * <h2>Thread-safety</h2>
 * The hooks are called by loop threads; the MBean server is touched only by one daemon thread
 * ({@code asyncio4j-introspection}), in the order the hooks were called, so that a loop never waits for
 * the MBean server (its first use initialises the JDK's platform MBeans, tens of milliseconds).
 */
public final class Introspection {
    /** The system property that turns the MBeans off for the whole JVM ({@code false}). */
    public static final String PROPERTY = "asyncio4j.introspection";
    /**
     * Set to {@code true} in a JVM once one of its loops registered an MBean: {@code asyncio4j ps} without a
     * PID reads it through the attach mechanism and attaches over JMX only to the JVMs that have it.
     */
    public static final String MARKER_PROPERTY = "io.asyncio4j.introspection.registered";
    /** The JMX domain of the MBeans. */
    public static final String DOMAIN = "io.asyncio4j";

    /** What the snapshots need of the kernel beyond public API; implemented by the kernel. */
    public interface Access {
        /** {@code EventLoop-N}: the loop's name in the MBean's name and in the snapshots. */
        String loopName(EventLoop loop);

        /** The thread running the loop, or null when it does not run. */
        Thread loopThread(EventLoop loop);

        /** The live tasks in creation order; loop thread only. */
        List<Task<?>> liveTasks(EventLoop loop);

        /** The number of live tasks, read from any thread without synchronisation (may be stale). */
        int liveTaskCountRacy(EventLoop loop);

        /** How many steps the task ran so far: unchanged means the task has not moved; loop thread only. */
        int steps(Task<?> task);

        /** The task's virtual thread, or null before its first step. */
        Thread taskThread(Task<?> task);

        /** The task's id: a number unique in the JVM, given when the task was created. */
        long taskId(Task<?> task);

        /** The ready-queue entry the loop runs now (a task step or a callback), or null; any thread. */
        Object runningEntry(EventLoop loop);

        /** A number that grows by one for every ready-queue entry the loop starts; any thread. */
        long entrySeq(EventLoop loop);

        /** The task whose step {@code entry} is, or null for a callback. */
        Task<?> taskOf(Object entry);

        /** How a done task ended: {@code result}, {@code failed} or {@code cancelled} (marks nothing retrieved). */
        String outcome(Task<?> task);
    }

    private static final KernelAccess<Access> ACCESS =
            new KernelAccess<>("io.asyncio4j.IntrospectionAccess", Introspection.class);
    // read once: whether -Dasyncio4j.introspection=false turned the MBeans off
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").strip());
    // loops whose runner opted out; written by the thread building the runner, read by loop threads
    private static final Set<EventLoop> OPTED_OUT = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    // the registered MBeans by loop; written and read by the registration thread only
    private static final Map<EventLoop, ObjectName> REGISTERED = new ConcurrentHashMap<>();
    // one daemon thread registers and unregisters, in the order the loops asked
    private static final ExecutorService REGISTRAR = Executors.newSingleThreadExecutor(r ->
            Thread.ofPlatform().daemon(true).name("asyncio4j-introspection").unstarted(r));

    private Introspection() {
    }

    /** Called once, by the kernel's implementation. */
    public static void setAccess(Access a) {
        ACCESS.set(a);
    }

    /** The kernel's implementation, initialising it on first use. */
    static Access access() {
        return ACCESS.get();
    }

    /** {@code Runner.builder().introspection(false)}: this loop never registers an MBean. */
    public static void optOut(EventLoop loop) {
        OPTED_OUT.add(loop);
    }

    /** The loop starts running (on its thread): registers its MBean, in the background. */
    public static void loopStarted(EventLoop loop) {
        if (!ENABLED || OPTED_OUT.contains(loop)) {
            return;
        }
        REGISTRAR.execute(() -> register(loop));
    }

    /** The loop stops running (on its thread): unregisters its MBean, in the background. */
    public static void loopStopped(EventLoop loop) {
        if (!ENABLED || OPTED_OUT.contains(loop)) {
            return;
        }
        REGISTRAR.execute(() -> unregister(loop));
    }

    /** The MBean name of a loop: {@code io.asyncio4j:type=EventLoop,name=EventLoop-N}. */
    public static ObjectName objectName(EventLoop loop) {
        try {
            return new ObjectName(DOMAIN + ":type=EventLoop,name=" + access().loopName(loop));
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void register(EventLoop loop) {
        if (REGISTERED.containsKey(loop) || !loop.isRunning()) {
            return; // already there, or stopped again before its turn came (its unregister is queued)
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = objectName(loop);
            server.registerMBean(new LoopMBean(loop), name);
            REGISTERED.put(loop, name);
            System.setProperty(MARKER_PROPERTY, "true");
        } catch (JMException | RuntimeException e) {
            // Introspection is a convenience: a JVM whose MBean server refuses it runs on without it.
            System.getLogger("io.asyncio4j").log(System.Logger.Level.DEBUG, "cannot register the loop's MBean", e);
        }
    }

    private static void unregister(EventLoop loop) {
        ObjectName name = REGISTERED.remove(loop);
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            System.getLogger("io.asyncio4j").log(System.Logger.Level.DEBUG, "cannot unregister the loop's MBean", e);
        }
    }
}
