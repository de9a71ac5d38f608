package io.asyncio4j.internal.diag;

import io.asyncio4j.EventLoop;
import io.asyncio4j.ExceptionContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the {@code io.asyncio4j.testing} module needs to see of the kernel: the loops that are open, their
 * live tasks, and failures that reached a default exception handler. Exported to that module only.
 */
public final class Diagnostics {
    /** Told about every failure that reaches a loop's default exception handler. */
    @FunctionalInterface
    public interface Listener {
        void unhandled(EventLoop loop, ExceptionContext context);
    }

    /** Implemented by the kernel (the SharedSecrets pattern of the JDK). */
    public interface Access {
        List<String> liveTaskNames(EventLoop loop);

        Thread runningThread(EventLoop loop);
    }

    // loops made and not yet closed; weak so that a loop nobody closed can still be collected
    private static final Set<EventLoop> OPEN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();
    private static volatile Access access;

    private Diagnostics() {
    }

    public static void setAccess(Access a) {
        access = a;
    }

    public static void loopCreated(EventLoop loop) {
        OPEN.add(loop);
    }

    public static void loopClosed(EventLoop loop) {
        OPEN.remove(loop);
    }

    /** The loops that were made and not closed yet. */
    public static List<EventLoop> openLoops() {
        synchronized (OPEN) {
            return new ArrayList<>(OPEN);
        }
    }

    /** Names of the loop's tasks that are not done, or a note that the loop is still running. */
    public static List<String> liveTaskNames(EventLoop loop) {
        return access.liveTaskNames(loop);
    }

    /** The thread running the loop now, or null. */
    public static Thread runningThread(EventLoop loop) {
        return access.runningThread(loop);
    }

    public static void addListener(Listener l) {
        LISTENERS.add(l);
    }

    public static void removeListener(Listener l) {
        LISTENERS.remove(l);
    }

    public static void unhandled(EventLoop loop, ExceptionContext context) {
        for (Listener l : LISTENERS) {
            l.unhandled(loop, context);
        }
    }
}
