package io.asyncio4j.internal.carrier;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;

/**
 * The one place that uses the JDK's hidden constructor {@code ThreadBuilders.VirtualThreadBuilder(Executor)}
 * (the JDK's own tests use it to give virtual threads a custom scheduler). It needs
 * {@code --add-opens java.base/java.lang=<this module>}.
 */
final class HiddenBuilderBackend implements CarrierBackend {
    private static volatile Object instance; // a HiddenBuilderBackend, or the IllegalStateException to rethrow

    private final MethodHandle builderConstructor; // (Executor) -> Thread.Builder.OfVirtual
    private final Executor defaultScheduler;

    private HiddenBuilderBackend(MethodHandle builderConstructor, Executor defaultScheduler) {
        this.builderConstructor = builderConstructor;
        this.defaultScheduler = defaultScheduler;
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
            Class<?> builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> ctor = builder.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
            MethodHandle mh = MethodHandles.lookup().unreflectConstructor(ctor)
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            Method ds = Class.forName("java.lang.VirtualThread").getDeclaredMethod("defaultScheduler");
            ds.setAccessible(true);
            JdkTraps.startSocketPollersOffLoop();
            return new HiddenBuilderBackend(mh, (Executor) ds.invoke(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
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
        Thread.Builder.OfVirtual builder;
        try {
            builder = (Thread.Builder.OfVirtual) builderConstructor.invokeExact(scheduler);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create a virtual thread: " + e, e);
        }
        return builder.name(name).unstarted(body);
    }

    @Override
    public Executor defaultScheduler() {
        return defaultScheduler;
    }
}
