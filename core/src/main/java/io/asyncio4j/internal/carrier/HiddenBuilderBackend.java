package io.asyncio4j.internal.carrier;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The one place that uses the JDK's hidden virtual-thread factory {@code ThreadBuilders.newVirtualThread(Executor,
 * String, int, Runnable)} (what the hidden builder {@code ThreadBuilders.VirtualThreadBuilder(Executor)}, which the
 * JDK's own tests use to give virtual threads a custom scheduler, calls) and the virtual thread's
 * {@code scheduler} field, the thread-local maps of {@code Thread} (to clean a pooled thread), and the JDK's
 * thread containers ({@link LoopThreadContainer}: {@code Thread.start(ThreadContainer)}, and the export of
 * {@code jdk.internal.vm} to this module, which {@link TaskContainer} extends). It needs
 * {@code --add-opens java.base/java.lang=<this module>}.
 */
final class HiddenBuilderBackend implements CarrierBackend {
    private static volatile Object instance; // a HiddenBuilderBackend, or the IllegalStateException to rethrow
    // whether loops can have thread containers: null until the first loop asks, then TRUE, or the reason why
    // not (a Throwable, reported once); written under the class's lock, read by any thread
    private static volatile Object containers;

    private final Executor defaultScheduler;

    private HiddenBuilderBackend(Executor defaultScheduler) {
        this.defaultScheduler = defaultScheduler;
    }

    /**
     * The JDK handles, in static finals so that the JIT compiler inlines them (a method handle held in an
     * instance field is invoked through a generic, slower path). Initialised only once {@link #create()} has
     * checked that {@code java.lang} is open to this module.
     */
    private static final class Jdk {
        // (Executor scheduler, String name, int characteristics, Runnable task) -> Thread
        static final MethodHandle NEW_VIRTUAL_THREAD;
        // VirtualThread.scheduler (the Executor a virtual thread is submitted to) as a getter of type
        // (Thread) -> Executor, called with invokeExact at exactly that type: the JIT compiles it to a cast and a
        // field load. (A VarHandle of the field, whose coordinate is VirtualThread, called with a Thread is an
        // inexact invocation: it went through the handle's generic guard on every call, and Task.currentOrNull
        // makes several per request of an HTTP client.)
        static final MethodHandle SCHEDULER;
        // Thread.threadLocals and Thread.inheritableThreadLocals (of type ThreadLocal.ThreadLocalMap)
        static final VarHandle THREAD_LOCALS;
        static final VarHandle INHERITABLE_THREAD_LOCALS;
        // ThreadLocal.createInheritedMap(ThreadLocalMap) -> ThreadLocalMap: what a new thread's constructor calls
        static final MethodHandle CREATE_INHERITED_MAP;

        static {
            try {
                Class<?> builders = Class.forName("java.lang.ThreadBuilders");
                Method m = builders.getDeclaredMethod("newVirtualThread", Executor.class, String.class, int.class,
                        Runnable.class);
                m.setAccessible(true);
                NEW_VIRTUAL_THREAD = MethodHandles.lookup().unreflect(m);
                Class<?> vt = Class.forName("java.lang.VirtualThread");
                SCHEDULER = MethodHandles.privateLookupIn(vt, MethodHandles.lookup())
                        .findGetter(vt, "scheduler", Executor.class)
                        .asType(MethodType.methodType(Executor.class, Thread.class));
                Class<?> map = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
                MethodHandles.Lookup threads = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
                THREAD_LOCALS = threads.findVarHandle(Thread.class, "threadLocals", map);
                INHERITABLE_THREAD_LOCALS = threads.findVarHandle(Thread.class, "inheritableThreadLocals", map);
                CREATE_INHERITED_MAP = MethodHandles.privateLookupIn(ThreadLocal.class, MethodHandles.lookup())
                        .findStatic(ThreadLocal.class, "createInheritedMap", MethodType.methodType(map, map))
                        .asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The JDK handles for thread containers, initialised on the first {@link #openContainer}, once the backend
     * exists (so {@code java.lang} is open to this module): {@code Module.implAddExports}, a private method
     * of {@code java.lang.Module}, exports {@code jdk.internal.vm} to this module, as the launcher's
     * {@code --add-exports} would, before anything loads {@link TaskContainer}.
     */
    private static final class Containers {
        // Thread.start(ThreadContainer), package-private in java.lang, as (Thread, Object) -> void
        static final MethodHandle START;

        static {
            try {
                Module base = Object.class.getModule();
                Module me = HiddenBuilderBackend.class.getModule();
                if (!base.isExported("jdk.internal.vm", me)) {
                    Method export = Module.class.getDeclaredMethod("implAddExports", String.class, Module.class);
                    export.setAccessible(true);
                    export.invoke(base, "jdk.internal.vm", me);
                }
                Method start = Thread.class.getDeclaredMethod("start", Class.forName("jdk.internal.vm.ThreadContainer"));
                start.setAccessible(true);
                START = MethodHandles.lookup().unreflect(start)
                        .asType(MethodType.methodType(void.class, Thread.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A registered {@link TaskContainer}, or null (then {@link #start} starts threads plainly) when this JDK
     * does not let the library make one; the first such failure is logged once, as a warning.
     */
    static Object openContainer(String name, Supplier<Stream<Thread>> threads) {
        Object c = containers;
        if (c == null) {
            synchronized (HiddenBuilderBackend.class) {
                c = containers;
                if (c == null) {
                    c = checkContainers();
                    containers = c;
                }
            }
        }
        return c == Boolean.TRUE ? TaskContainer.open(name, threads) : null;
    }

    private static Object checkContainers() {
        instance(); // the backend first: it checks that java.lang is open to this module
        try {
            Objects.requireNonNull(Containers.START);
            Objects.requireNonNull(TaskContainer.class); // loads it: its superclass must be accessible now
            return Boolean.TRUE;
        } catch (RuntimeException | LinkageError e) {
            Throwable cause = e instanceof ExceptionInInitializerError x && x.getCause() != null ? x.getCause() : e;
            System.getLogger("io.asyncio4j").log(System.Logger.Level.WARNING, "asyncio4j cannot group a loop's "
                    + "task threads in a thread container on this JDK (" + Runtime.version() + "): " + cause
                    + ". Tasks run all the same, as virtual threads of the JDK's root container: thread dumps list "
                    + "them among all other virtual threads, and each costs about 40 B more.");
            return cause;
        }
    }

    /** Starts {@code thread} in {@code container} (a TaskContainer), or plainly when it is null. */
    static void start(Thread thread, Object container) {
        if (container == null) {
            thread.start();
            return;
        }
        try {
            Containers.START.invokeExact(thread, container);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot start a virtual thread: " + e, e);
        }
    }

    /** See {@link LoopThreadContainer#threadCount}; {@code container} is a TaskContainer. */
    static long threadCount(Object container) {
        return ((TaskContainer) container).threadCount();
    }

    /** See {@link LoopThreadContainer#close}; {@code container} is a TaskContainer. */
    static void closeContainer(Object container) {
        ((TaskContainer) container).close();
    }

    static CarrierBackend instance() {
        Object i = instance;
        if (i == null) {
            synchronized (HiddenBuilderBackend.class) {
                i = instance;
                if (i == null) {
                    i = create();
                    instance = i;
                }
            }
        }
        if (i instanceof IllegalStateException e) {
            throw new IllegalStateException(e.getMessage(), e.getCause());
        }
        return (CarrierBackend) i;
    }

    private static Object create() {
        Module me = HiddenBuilderBackend.class.getModule();
        if (!Thread.class.getModule().isOpen("java.lang", me)) {
            return new IllegalStateException(missingOpensMessage(me));
        }
        try {
            Method ds = Class.forName("java.lang.VirtualThread").getDeclaredMethod("defaultScheduler");
            ds.setAccessible(true);
            Objects.requireNonNull(Jdk.NEW_VIRTUAL_THREAD); // loads the handles now: a failure is reported here
            HiddenBuilderBackend backend = new HiddenBuilderBackend((Executor) ds.invoke(null));
            JdkTraps.prepareJvm(backend);
            return backend;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new IllegalStateException("asyncio4j cannot create virtual threads with a custom scheduler on this JDK ("
                    + Runtime.version() + "): " + e + ". asyncio4j needs JDK 25 or newer", e);
        }
    }

    static String missingOpensMessage(Module me) {
        String target = me.isNamed() ? me.getName() : "ALL-UNNAMED";
        String flag = "--add-opens java.base/java.lang=" + target;
        String manifest = me.isNamed() ? "" : ", or as 'Add-Opens: java.base/java.lang' in the manifest of a jar run with java -jar";
        return "asyncio4j needs the JVM flag " + flag + " (its tasks are virtual threads that the event loop schedules "
                + "through a JDK-internal constructor). Add it to the java command line, or to the JDK_JAVA_OPTIONS "
                + "environment variable" + manifest + ", or to Maven Surefire's <argLine> / Gradle's jvmArgs for tests.";
    }

    @Override
    public Thread newVirtualThread(Executor scheduler, String name, Runnable body) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(body, "body");
        try {
            // characteristics 0: as the builder's default (inherits inheritable thread-locals)
            return (Thread) Jdk.NEW_VIRTUAL_THREAD.invokeExact(scheduler, name, 0, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create a virtual thread: " + e, e);
        }
    }

    @Override
    public void resetCurrentThread(Thread parent) {
        Thread me = Thread.currentThread();
        Thread.interrupted();
        if (Jdk.THREAD_LOCALS.get(me) != null) {
            Jdk.THREAD_LOCALS.set(me, null);
        }
        Object inherited = parent != null ? Jdk.INHERITABLE_THREAD_LOCALS.get(parent) : null;
        if (inherited != null) {
            try {
                Jdk.INHERITABLE_THREAD_LOCALS.set(me, (Object) Jdk.CREATE_INHERITED_MAP.invokeExact(inherited));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot copy inheritable thread-locals: " + e, e);
            }
        } else if (Jdk.INHERITABLE_THREAD_LOCALS.get(me) != null) {
            Jdk.INHERITABLE_THREAD_LOCALS.set(me, null);
        }
        ClassLoader loader = parent != null ? parent.getContextClassLoader() : ClassLoader.getSystemClassLoader();
        if (me.getContextClassLoader() != loader) {
            me.setContextClassLoader(loader);
        }
        me.setUncaughtExceptionHandler(null);
    }

    /** See {@link CarrierBackend#schedulerOf}. */
    static Executor schedulerOf(Thread thread) {
        if (!thread.isVirtual() || !(instance instanceof HiddenBuilderBackend)) {
            return null; // no backend yet: no virtual thread has one of our schedulers
        }
        try {
            return (Executor) Jdk.SCHEDULER.invokeExact(thread); // a virtual thread: the cast cannot fail
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read a virtual thread's scheduler: " + e, e);
        }
    }

    @Override
    public Executor defaultScheduler() {
        return defaultScheduler;
    }
}
