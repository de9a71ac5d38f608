package io.asyncio4j.testing;

import io.asyncio4j.EventLoop;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.Runner;
import io.asyncio4j.internal.diag.Diagnostics;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.AssertionFailedError;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fails a test that leaves asyncio4j state behind: an event loop that was never closed, a loop still
 * running on some thread, or an exception that nobody observed. Also gives test methods a fresh
 * virtual-time {@link Runner} and a fresh {@link Ordering}, and checks them after the test.
 *
 * <p>After each test the extension looks at what happened between the start of the test and its end
 * ({@code @BeforeEach} and {@code @AfterEach} methods included), and fails the test when
 * <ol>
 *   <li>an event loop made during the test is still open (a {@code Runner} that was not closed) — naming
 *       the loop and its live tasks;</li>
 *   <li>such a loop is still running on some thread (a loop thread left running) — naming the thread;</li>
 *   <li>a failure reached a loop's default exception handler ("Task exception was never retrieved",
 *       "Exception in callback …") — with its message, its task, and the exception as the cause, unless
 *       the test or its class is annotated {@link AllowUnobservedExceptions};</li>
 *   <li>an {@link Ordering} parameter or field took steps but never reached {@code finish}, or one of its
 *       steps failed (even if the error was swallowed);</li>
 *   <li>a {@link TestServer} started during the test is still open (the extension closes it).</li>
 * </ol>
 * Loops made before the test started are not blamed on it, and a loop is blamed once only.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * @ExtendWith(AsyncioExtension.class)          // or @AsyncioTest on each method
 * class WorkerTest {
 *     @Test
 *     void workerStopsWhenCancelled(Runner runner, Ordering order) {
 *         runner.run(() -> {
 *             order.expect(1);
 *             Task<Void> worker = Asyncio.createTask(() -> {
 *                 order.expect(2);
 *                 Asyncio.sleep(3600);          // virtual time: no real waiting
 *             });
 *             Asyncio.sleep(1);
 *             worker.cancel();
 *             assertThrows(CancelledError.class, worker::await);
 *             order.finish(3);
 *         });
 *     }                                        // the extension closes the runner, then checks
 * }
 * }</pre>
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@link Runner}: built with {@code virtualTime(true)} ({@link RealTime} turns that off). The
 *       extension closes it after the test, before the checks: tasks still alive are cancelled (not a
 *       leak), and failures nobody retrieved are reported then — so they fail the test.</li>
 *   <li>{@link Ordering}: a fresh one; {@link Ordering#assertFinished()} is checked after the test.</li>
 * </ul>
 * One of each per test: a {@code @BeforeEach} method that takes a {@code Runner} gets the same runner as
 * the test method. Constructors and {@code @BeforeAll} methods cannot take them (they outlive a test).
 *
 * <h2>Configuration</h2>
 * A loop that is still running when the test ends gets a grace period to finish (its thread may be just
 * returning) before it is reported: 1000 ms, or the JUnit configuration parameter
 * {@value #GRACE_PERIOD_PARAMETER} (milliseconds).
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>Tests must run one at a time in a JVM (JUnit's default). The checks look at every loop of the
 *       JVM: with {@code junit.jupiter.execution.parallel.enabled}, one test's leaks or failures can be
 *       blamed on another that runs at the same time.</li>
 *   <li>Failures that reach an exception handler set with {@code loop.setExceptionHandler(...)} never
 *       reach the default handler, so they are not reported: the handler observed them.</li>
 *   <li>An {@code Ordering} in a local variable is not seen; call {@link Ordering#assertFinished()}
 *       yourself. {@code Ordering} fields are checked only with the default per-method test instance
 *       lifecycle (with {@code PER_CLASS} one field would span many tests).</li>
 *   <li>Loops made in {@code @BeforeAll} and closed in {@code @AfterAll} are fine; the extension does not
 *       check class-level leaks.</li>
 * </ul>
 */
public final class AsyncioExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    /*
     * Implementation overview.
     *
     * beforeEach opens a Window: the identity set of loops open at that moment, plus a Diagnostics listener
     * that records every failure reaching any loop's default exception handler. afterEach, in this order:
     *   1. waits up to the grace period while some loop made during the window is still running;
     *   2. closes the injected Runner (if its loop is not running elsewhere): this cancels leftover tasks
     *      and reports unretrieved failures, which the still-registered listener records;
     *   3. removes the listener and builds one report: Ordering problems, unobserved failures, loops made
     *      during the window and still open; throws one AssertionFailedError listing them all (the first
     *      problem's exception as cause, the others' as suppressed).
     * Loops reported once go into BLAMED, so a loop leaked by one test is not blamed again on later tests
     * (its failures included). Everything per test lives in the method-level ExtensionContext.Store.
     */

    /** JUnit configuration parameter: grace period, in milliseconds, for loops still running after a test. */
    public static final String GRACE_PERIOD_PARAMETER = "asyncio4j.testing.gracePeriodMillis";
    private static final long DEFAULT_GRACE_MILLIS = 1000;
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(AsyncioExtension.class);
    private static final String WINDOW = "window";
    private static final String RUNNER = "runner";
    private static final String ORDERING = "ordering";

    // loops already reported as leaked; weak so that a leaked loop can still be collected; any thread
    private static final Set<EventLoop> BLAMED =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** Made by JUnit from {@code @ExtendWith(AsyncioExtension.class)} or {@link AsyncioTest}. */
    public AsyncioExtension() {
    }

    // ---- callbacks ---------------------------------------------------------------------------------------

    @Override
    public void beforeEach(ExtensionContext context) {
        Window window = new Window(Diagnostics.openLoops());
        Diagnostics.addListener(window);
        store(context).put(WINDOW, window);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Window window = store(context).remove(WINDOW, Window.class);
        if (window == null) {
            return; // beforeEach did not run (another extension's beforeEach failed first)
        }
        Report report = new Report();
        try {
            awaitLoopsStopping(window, gracePeriodMillis(context));
            closeInjectedRunner(context, report);
        } finally {
            Diagnostics.removeListener(window);
        }
        Throwable testFailure = context.getExecutionException().orElse(null);
        checkOrderings(context, testFailure, report);
        if (!annotated(context, AllowUnobservedExceptions.class)) {
            checkUnobserved(window, report);
        }
        checkLoops(window, report);
        checkServers(window, report);
        report.throwIfAny(context.getDisplayName());
    }

    // ---- parameters --------------------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Runner.class || type == Ordering.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (!(parameter.getDeclaringExecutable() instanceof Method) || context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("AsyncioExtension gives a " + type.getSimpleName()
                    + " to test methods and @BeforeEach/@AfterEach methods only, because it lives for one test; "
                    + parameter.getDeclaringExecutable() + " is not one: create the " + type.getSimpleName()
                    + (type == Runner.class ? " yourself there, and close it" : " yourself there"));
        }
        ExtensionContext.Store store = store(context);
        if (type == Runner.class) {
            boolean virtualTime = !annotated(context, RealTime.class);
            return store.computeIfAbsent(RUNNER, k -> Runner.builder().virtualTime(virtualTime).build(), Runner.class);
        }
        return store.computeIfAbsent(ORDERING, k -> new Ordering(), Ordering.class);
    }

    // ---- the checks --------------------------------------------------------------------------------------

    /** Waits, up to the grace period, while a loop made during the test is still running. */
    private static void awaitLoopsStopping(Window window, long graceMillis) {
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        while (anyNewLoopRunning(window) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean anyNewLoopRunning(Window window) {
        for (EventLoop loop : window.newOpenLoops()) {
            if (Diagnostics.runningThread(loop) != null) {
                return true;
            }
        }
        return false;
    }

    /** Closes the Runner given to the test; it is not a leak, whatever the test left in it. */
    private static void closeInjectedRunner(ExtensionContext context, Report report) {
        Runner runner = store(context).remove(RUNNER, Runner.class);
        if (runner == null) {
            return;
        }
        EventLoop loop;
        try {
            loop = runner.getLoop(); // makes one if the test never used the runner; close() discards it at once
        } catch (IllegalStateException alreadyClosed) {
            return;
        }
        if (Diagnostics.runningThread(loop) != null) {
            return; // the test left it running on another thread: closing it here would race; checkLoops reports it
        }
        try {
            runner.close();
        } catch (Throwable e) {
            report.add("closing the injected Runner failed: " + e, e);
        }
    }

    private static void checkOrderings(ExtensionContext context, Throwable testFailure, Report report) {
        Set<Ordering> orderings = Collections.newSetFromMap(new IdentityHashMap<>());
        Ordering injected = store(context).remove(ORDERING, Ordering.class);
        if (injected != null) {
            orderings.add(injected);
        }
        boolean perMethod = context.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD)
                == TestInstance.Lifecycle.PER_METHOD;
        if (perMethod && context.getTestInstances().isPresent()) {
            for (Object instance : context.getTestInstances().get().getAllInstances()) {
                for (Field f : ReflectionSupport.findFields(instance.getClass(),
                        f -> Ordering.class.isAssignableFrom(f.getType()) && ModifierSupport.isNotStatic(f),
                        HierarchyTraversalMode.TOP_DOWN)) {
                    ReflectionSupport.tryToReadFieldValue(f, instance).toOptional()
                            .ifPresent(v -> orderings.add((Ordering) v));
                }
            }
        }
        for (Ordering o : orderings) {
            AssertionFailedError failure = o.failure();
            if (failure != null ? causedBy(testFailure, failure) : testFailure != null) {
                continue; // the test already failed with it, or failed before it could reach finish
            }
            try {
                o.assertFinished();
            } catch (AssertionFailedError e) {
                report.add(e.getMessage(), e.getCause()); // the remembered step failure, or none
            }
        }
    }

    private static void checkUnobserved(Window window, Report report) {
        for (Unhandled u : window.unhandled) {
            if (BLAMED.contains(u.loop) || report.mentions(u.context.exception())) {
                continue;
            }
            ExceptionContext c = u.context;
            StringBuilder sb = new StringBuilder("an exception nobody observed reached the default exception handler")
                    .append(" of ").append(u.loop).append(": ").append(c.message());
            if (c.task() != null) {
                sb.append("; task '").append(c.task().getName()).append('\'');
            } else if (c.future() != null) {
                sb.append("; future ").append(c.future());
            }
            if (c.exception() != null) {
                sb.append("; exception: ").append(c.exception());
            }
            sb.append(". Await the task (or retrieve its exception), or annotate the test with ")
                    .append("@AllowUnobservedExceptions");
            report.add(sb.toString(), c.exception());
        }
    }

    private static void checkLoops(Window window, Report report) {
        for (EventLoop loop : window.newOpenLoops()) {
            if (!BLAMED.add(loop)) {
                continue;
            }
            Thread thread = Diagnostics.runningThread(loop);
            if (thread != null) {
                report.add("a loop thread was left running: " + loop + " is still running on thread '"
                        + thread.getName() + "' (" + thread.getState() + "). Stop it before the test returns: cancel "
                        + "its main task or interrupt that thread, then join it", null);
            } else {
                List<String> tasks = Diagnostics.liveTaskNames(loop);
                report.add("an event loop was left open: " + loop + " (a Runner that was not closed; use "
                        + "try-with-resources, or take the Runner as a test parameter); "
                        + (tasks.isEmpty() ? "no live tasks" : "live tasks: " + tasks), null);
            }
        }
    }

    /** Closes and reports each {@link TestServer} started during the test and still open. */
    private static void checkServers(Window window, Report report) {
        for (TestServer server : List.copyOf(TestServer.OPEN)) {
            if (!window.serversBefore.contains(server)) {
                server.close();
                report.add("a TestServer was left open: " + server.url() + " (use try-with-resources)", null);
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    /** Whether the test method, its class, a superclass or an enclosing {@code @Nested} class carries it. */
    private static boolean annotated(ExtensionContext context, Class<? extends Annotation> annotation) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (AnnotationSupport.isAnnotated(c.get().getElement(), annotation)) {
                return true;
            }
        }
        return false;
    }

    private static long gracePeriodMillis(ExtensionContext context) {
        return context.getConfigurationParameter(GRACE_PERIOD_PARAMETER, s -> {
            try {
                return Math.max(0, Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(GRACE_PERIOD_PARAMETER + " must be a number of milliseconds, got '"
                        + s + "'", e);
            }
        }).orElse(DEFAULT_GRACE_MILLIS);
    }

    private static boolean causedBy(Throwable t, Throwable cause) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c == cause) {
                return true;
            }
        }
        return false;
    }

    /** One failure that reached a default exception handler. */
    private record Unhandled(EventLoop loop, ExceptionContext context) {
    }

    /** What one test is judged on: the loops open before it, and failures reported during it. */
    private static final class Window implements Diagnostics.Listener {
        // written in beforeEach, read in afterEach (same thread)
        private final Set<EventLoop> openBefore = Collections.newSetFromMap(new IdentityHashMap<>());
        // TestServers open before the test (started in @BeforeAll, say); written in beforeEach, read in afterEach
        private final Set<TestServer> serversBefore = Set.copyOf(TestServer.OPEN);
        // appended by any loop thread, read in afterEach after the listener is removed
        private final List<Unhandled> unhandled = new CopyOnWriteArrayList<>();

        Window(List<EventLoop> openBefore) {
            this.openBefore.addAll(openBefore);
        }

        @Override
        public void unhandled(EventLoop loop, ExceptionContext context) {
            unhandled.add(new Unhandled(loop, context));
        }

        List<EventLoop> newOpenLoops() {
            List<EventLoop> loops = new ArrayList<>();
            for (EventLoop loop : Diagnostics.openLoops()) {
                if (!openBefore.contains(loop)) {
                    loops.add(loop);
                }
            }
            return loops;
        }
    }

    /** The problems found after one test, thrown as one error. */
    private static final class Report {
        private final List<String> problems = new ArrayList<>();
        private final List<Throwable> causes = new ArrayList<>();

        void add(String problem, Throwable cause) {
            problems.add(problem);
            if (cause != null) {
                causes.add(cause);
            }
        }

        boolean mentions(Throwable t) {
            for (Throwable c : causes) {
                if (c == t) {
                    return true;
                }
            }
            return false;
        }

        void throwIfAny(String testName) {
            if (problems.isEmpty()) {
                return;
            }
            StringBuilder sb = new StringBuilder("AsyncioExtension: test '").append(testName).append("' ");
            if (problems.size() == 1) {
                sb.append("failed its asyncio checks: ").append(problems.getFirst());
            } else {
                sb.append("failed ").append(problems.size()).append(" asyncio checks:");
                for (int i = 0; i < problems.size(); i++) {
                    sb.append("\n  ").append(i + 1).append(". ").append(problems.get(i));
                }
            }
            Throwable cause = causes.isEmpty() ? null : causes.getFirst();
            AssertionFailedError error = new AssertionFailedError(sb.toString(), cause);
            for (int i = 1; i < causes.size(); i++) {
                error.addSuppressed(causes.get(i));
            }
            throw error;
        }
    }
}
