package io.asyncio4j.testing;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.testing.Fixtures.Fixture;
import io.asyncio4j.testing.Fixtures.Outcomes;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs small fixture test classes (the static nested classes marked {@link Fixture}) with JUnit's
 * EngineTestKit ({@link Fixtures#run}) and checks which of their tests the extension fails, and with which
 * message. This class itself is not checked by the extension (the fixtures' deliberate leaks would be blamed
 * on it), except the methods marked {@code @AsyncioTest}.
 */
class AsyncioExtensionTest {
    // what fixtures leave behind for this class to check and clean up; fixtures run on this test's thread
    private static final List<Runner> LEAKED = new ArrayList<>();
    private static final List<Thread> LOOP_THREADS = new ArrayList<>();
    private static final List<Object> SEEN = new ArrayList<>();

    // fixtures provoke failures on purpose: keep the default exception handler's log quiet meanwhile
    private static final Logger LOG = Logger.getLogger("io.asyncio4j");
    private static Level savedLevel;

    @BeforeAll
    static void quietLoopLog() {
        savedLevel = LOG.getLevel();
        LOG.setLevel(Level.OFF);
    }

    @AfterAll
    static void restoreLoopLog() {
        LOG.setLevel(savedLevel);
    }

    @AfterEach
    void cleanUpWhatFixturesLeft() throws InterruptedException {
        for (Runner r : LEAKED) {
            r.close();
        }
        for (Thread t : LOOP_THREADS) {
            t.interrupt(); // cancels the loop's main task; Asyncio.run then returns
            t.join();
        }
        LEAKED.clear();
        LOOP_THREADS.clear();
        SEEN.clear();
    }

    // ---- the examples of the Javadoc ----------------------------------------------------------------------

    /** The example of AsyncioExtension's Javadoc. */
    @AsyncioTest
    void workerStopsWhenCancelled(Runner runner, Ordering order) {
        runner.run(() -> {
            order.expect(1);
            Task<Void> worker = Asyncio.createTask(() -> {
                order.expect(2);
                Asyncio.sleep(3600);          // virtual time: no real waiting
            });
            Asyncio.sleep(1);
            worker.cancel();
            assertThrows(CancelledError.class, worker::await);
            order.finish(3);
        });
    }

    /** The example of AsyncioTest's Javadoc. */
    @AsyncioTest
    void sleepAdvancesTheVirtualClock(Runner runner) {
        runner.run(() -> Asyncio.sleep(60));
        assertEquals(60.0, runner.getLoop().time(), 1e-9);
    }

    // ---- leaks -------------------------------------------------------------------------------------------

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class LeaksARunner {
        @Test
        void leaks() {
            Runner runner = Runner.builder().virtualTime(true).build();
            LEAKED.add(runner);
            runner.run(() -> {
                Asyncio.createTask(() -> Asyncio.sleep(3600), "sleeper");
                Asyncio.sleep(0);
            });
            SEEN.add(runner.getLoop());
        }
    }

    @Test
    void runnerLeftOpenFailsTheTestNamingTheLoopAndItsTasks() {
        Outcomes o = Fixtures.run(LeaksARunner.class);
        assertEquals(Set.of(), o.passed());
        Throwable e = o.failure("leaks");
        assertInstanceOf(AssertionFailedError.class, e);
        assertEquals("AsyncioExtension: test 'leaks()' failed its asyncio checks: an event loop was left open: "
                + SEEN.getFirst() + " (a Runner that was not closed; use try-with-resources, or take the Runner as "
                + "a test parameter); live tasks: [sleeper]", e.getMessage());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class LeavesALoopRunning {
        @Test
        void leavesItRunning() throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            LOOP_THREADS.add(Thread.ofPlatform().name("leaky-loop").start(() -> {
                try {
                    Asyncio.run(() -> {
                        running.countDown();
                        Asyncio.sleep(3600); // real time: runs until its thread is interrupted
                    });
                } catch (CancelledError expected) {
                    // cleanUpWhatFixturesLeft interrupted the thread
                }
            }));
            running.await();
        }
    }

    @Test
    void loopLeftRunningFailsTheTestNamingItsThread() {
        Outcomes o = Fixtures.run(LeavesALoopRunning.class);
        String message = o.failure("leavesItRunning").getMessage();
        assertTrue(message.startsWith("AsyncioExtension: test 'leavesItRunning()' failed its asyncio checks: "
                + "a loop thread was left running: EventLoop-"), message);
        assertTrue(message.contains("is still running on thread 'leaky-loop'"), message);
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeaksInTheFirstTestOnly {
        @Test
        @Order(1)
        void leaks() {
            Runner runner = new Runner();
            LEAKED.add(runner);
            runner.run(() -> Asyncio.sleep(0));
        }

        @Test
        @Order(2)
        void runsAfterTheLeak() {
            try (Runner runner = new Runner()) {
                runner.run(() -> Asyncio.sleep(0));
            }
        }
    }

    @Test
    void leakIsBlamedOnlyOnTheTestThatMadeIt() {
        Outcomes o = Fixtures.run(LeaksInTheFirstTestOnly.class);
        assertEquals(Set.of("leaks"), o.failed().keySet());
        assertEquals(Set.of("runsAfterTheLeak"), o.passed());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeavesALoopRunningThatFailsLater {
        static EventLoop leaked;

        @Test
        @Order(1)
        void leavesItRunning() throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            LOOP_THREADS.add(Thread.ofPlatform().name("leaky-loop").start(() -> {
                try {
                    Asyncio.run(() -> {
                        leaked = Asyncio.getRunningLoop();
                        running.countDown();
                        Asyncio.sleep(3600);
                    });
                } catch (CancelledError expected) {
                    // cleanUpWhatFixturesLeft interrupted the thread
                }
            }));
            running.await();
        }

        @Test
        @Order(2)
        void seesItFail() throws InterruptedException {
            CountDownLatch handled = new CountDownLatch(1);
            leaked.callSoonThreadsafe(() -> {
                throw new IllegalStateException("late failure of a leaked loop");
            });
            leaked.callSoonThreadsafe(handled::countDown); // runs after the failure was handled
            handled.await();
        }
    }

    @Test
    void failuresOfALeakedLoopAreNotBlamedOnLaterTests() {
        Outcomes o = Fixtures.run(LeavesALoopRunningThatFailsLater.class);
        assertEquals(Set.of("leavesItRunning"), o.failed().keySet());
        assertEquals(Set.of("seesItFail"), o.passed());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class UsesALoopMadeBeforeTheTests {
        static Runner shared;

        @BeforeAll
        static void makeLoop() {
            shared = Runner.builder().virtualTime(true).build();
            shared.run(() -> Asyncio.sleep(1));
        }

        @AfterAll
        static void closeLoop() {
            shared.close();
        }

        @Test
        void usesIt() {
            shared.run(() -> Asyncio.sleep(1));
        }
    }

    @Test
    void loopOpenedBeforeTheTestIsNotBlamedOnIt() {
        Outcomes o = Fixtures.run(UsesALoopMadeBeforeTheTests.class);
        assertEquals(Map.of(), o.failed());
        assertEquals(Set.of("usesIt"), o.passed());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class CleanTest {
        @Test
        void closesItsRunnerAndAwaitsItsTasks() {
            try (Runner runner = Runner.builder().virtualTime(true).build()) {
                int v = runner.run(() -> {
                    Task<Integer> t = Asyncio.createTask(() -> 42);
                    return t.await();
                });
                assertEquals(42, v);
            }
        }

        @Test
        void closesTheInjectedRunnerItself(Runner runner) {
            runner.run(() -> Asyncio.sleep(1));
            runner.close();
        }

        @AsyncioTest // the class registers the extension too: JUnit registers it once
        void isAlsoAnAsyncioTest(Runner runner, Ordering order) {
            runner.run(() -> order.finish(1));
        }
    }

    @Test
    void cleanTestPasses() {
        Outcomes o = Fixtures.run(CleanTest.class);
        assertEquals(Map.of(), o.failed());
        assertEquals(Set.of("closesItsRunnerAndAwaitsItsTasks", "closesTheInjectedRunnerItself", "isAlsoAnAsyncioTest"),
                o.passed());
    }

    // ---- unobserved exceptions ---------------------------------------------------------------------------

    static void leaveATaskExceptionNeverRetrieved() {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> {
                Callable<Void> doomed = () -> {
                    throw new IllegalStateException("boom");
                };
                Asyncio.createTask(doomed, "doomed");
                Asyncio.sleep(0);
            });
        } // close(): "Task exception was never retrieved"
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class LeavesATaskExceptionNeverRetrieved {
        @Test
        void forgetsTheTask() {
            leaveATaskExceptionNeverRetrieved();
        }
    }

    @Test
    void taskExceptionNeverRetrievedFailsTheTestWithTheExceptionAsCause() {
        Outcomes o = Fixtures.run(LeavesATaskExceptionNeverRetrieved.class);
        Throwable e = o.failure("forgetsTheTask");
        String message = e.getMessage();
        assertTrue(message.startsWith("AsyncioExtension: test 'forgetsTheTask()' failed its asyncio checks: "
                + "an exception nobody observed reached the default exception handler of EventLoop-"), message);
        assertTrue(message.contains(": Task exception was never retrieved; task 'doomed'; exception: "
                + "java.lang.IllegalStateException: boom. Await the task (or retrieve its exception), or annotate "
                + "the test with @AllowUnobservedExceptions"), message);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("boom", e.getCause().getMessage());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class ThrowsInACallback {
        @Test
        void throwsInACallback() {
            try (Runner runner = Runner.builder().virtualTime(true).build()) {
                runner.run(() -> {
                    Asyncio.getRunningLoop().callSoon(() -> {
                        throw new IllegalArgumentException("bad callback");
                    });
                    Asyncio.sleep(0);
                });
            }
        }
    }

    @Test
    void exceptionInACallbackFailsTheTest() {
        Outcomes o = Fixtures.run(ThrowsInACallback.class);
        Throwable e = o.failure("throwsInACallback");
        assertTrue(e.getMessage().contains("Exception in callback"), e.getMessage());
        assertEquals("bad callback", e.getCause().getMessage());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class AllowsUnobservedExceptionsOnOneMethod {
        @Test
        @AllowUnobservedExceptions
        void allowed() {
            leaveATaskExceptionNeverRetrieved();
        }

        @Test
        void notAllowed() {
            leaveATaskExceptionNeverRetrieved();
        }
    }

    @Test
    void allowUnobservedExceptionsOnAMethodExcusesThatMethodOnly() {
        Outcomes o = Fixtures.run(AllowsUnobservedExceptionsOnOneMethod.class);
        assertEquals(Set.of("allowed"), o.passed());
        assertEquals(Set.of("notAllowed"), o.failed().keySet());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    @AllowUnobservedExceptions
    static class AllowsUnobservedExceptionsOnTheClass {
        @Test
        void allowed() {
            leaveATaskExceptionNeverRetrieved();
        }

        @Nested
        class Inner {
            @Test
            void allowedToo() {
                leaveATaskExceptionNeverRetrieved();
            }
        }
    }

    @Test
    void allowUnobservedExceptionsOnAClassExcusesItsTestsAndNestedTests() {
        Outcomes o = Fixtures.run(AllowsUnobservedExceptionsOnTheClass.class);
        assertEquals(Map.of(), o.failed());
        assertEquals(Set.of("allowed", "allowedToo"), o.passed());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    @AllowUnobservedExceptions
    static class AllowsUnobservedExceptionsButLeaks {
        @Test
        void leaks() {
            LEAKED.add(Runner.builder().virtualTime(true).build());
            LEAKED.getFirst().run(() -> Asyncio.sleep(0));
        }
    }

    @Test
    void allowUnobservedExceptionsStillReportsLeaks() {
        Outcomes o = Fixtures.run(AllowsUnobservedExceptionsButLeaks.class);
        String message = o.failure("leaks").getMessage();
        assertTrue(message.contains("an event loop was left open"), message);
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class LeaksAndForgets {
        @Test
        void leaksAndForgets() {
            leaveATaskExceptionNeverRetrieved();
            Runner runner = Runner.builder().virtualTime(true).build();
            LEAKED.add(runner);
            runner.run(() -> Asyncio.sleep(0));
        }
    }

    @Test
    void severalProblemsAreListedInOneFailure() {
        Outcomes o = Fixtures.run(LeaksAndForgets.class);
        String message = o.failure("leaksAndForgets").getMessage();
        assertTrue(message.startsWith("AsyncioExtension: test 'leaksAndForgets()' failed 2 asyncio checks:\n"
                + "  1. an exception nobody observed"), message);
        assertTrue(message.contains("\n  2. an event loop was left open"), message);
    }

    // ---- the injected Runner -----------------------------------------------------------------------------

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class TakesARunner {
        @BeforeEach
        void setUp(Runner runner) {
            SEEN.add(runner);
        }

        @Test
        void sleepsAnHourAndLeavesATaskBehind(Runner runner) {
            assertSame(SEEN.getFirst(), runner, "@BeforeEach and the test share one runner");
            double[] now = new double[1];
            runner.run(() -> {
                Asyncio.createTask(() -> Asyncio.sleep(86_400), "left-behind"); // the extension cancels it
                Asyncio.sleep(3600);
                now[0] = Asyncio.getRunningLoop().time();
            });
            SEEN.add(runner.getLoop());
            SEEN.add(now[0]);
        }

        @AfterEach
        void tearDown(Runner runner) {
            assertFalse(runner.getLoop().isClosed(), "closed only after @AfterEach methods");
        }
    }

    @Test
    void injectedRunnerUsesVirtualTimeAndIsClosedAfterTheTest() {
        Outcomes o = Fixtures.run(TakesARunner.class);
        assertEquals(Map.of(), o.failed());
        assertEquals(Set.of("sleepsAnHourAndLeavesATaskBehind"), o.passed());
        EventLoop loop = (EventLoop) SEEN.get(1);
        assertTrue(loop.isVirtualTime());
        assertEquals(3600.0, (double) SEEN.get(2), 1e-9);
        assertTrue(loop.isClosed());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    @RealTime
    static class TakesARealTimeRunner {
        @Test
        void takesIt(Runner runner) {
            SEEN.add(runner.getLoop());
        }
    }

    @Test
    void realTimeMakesTheInjectedRunnerUseTheRealClock() {
        Outcomes o = Fixtures.run(TakesARealTimeRunner.class);
        assertEquals(Set.of("takesIt"), o.passed());
        EventLoop loop = (EventLoop) SEEN.getFirst();
        assertFalse(loop.isVirtualTime());
        assertTrue(loop.isClosed());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class ForgetsATaskInTheInjectedRunner {
        @Test
        void forgets(Runner runner) {
            runner.run(() -> {
                Callable<Void> doomed = () -> {
                    throw new IllegalStateException("boom");
                };
                Asyncio.createTask(doomed, "doomed");
                Asyncio.sleep(0);
            });
        }
    }

    @Test
    void failureNobodyRetrievedInTheInjectedRunnerFailsTheTest() {
        Outcomes o = Fixtures.run(ForgetsATaskInTheInjectedRunner.class);
        Throwable e = o.failure("forgets");
        assertTrue(e.getMessage().contains("Task exception was never retrieved; task 'doomed'"), e.getMessage());
        assertEquals("boom", e.getCause().getMessage());
    }

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class TakesARunnerInItsConstructor {
        TakesARunnerInItsConstructor(Runner runner) {
        }

        @Test
        void test() {
        }
    }

    @Test
    void runnerIsRefusedToAConstructor() {
        Outcomes o = Fixtures.run(TakesARunnerInItsConstructor.class);
        Throwable e = o.failure("test");
        assertInstanceOf(ParameterResolutionException.class, e);
        assertTrue(e.getMessage().startsWith("AsyncioExtension gives a Runner to test methods and "
                + "@BeforeEach/@AfterEach methods only, because it lives for one test"), e.getMessage());
    }

    // ---- Ordering ----------------------------------------------------------------------------------------

    @Fixture
    @ExtendWith(AsyncioExtension.class)
    static class OrderingFixtures {
        final Ordering field = new Ordering();

        @Test
        void parameterNotFinished(Ordering order) {
            order.expect(1);
            order.expect(2);
        }

        @Test
        void fieldNotFinished() {
            field.expect(1);
        }

        @Test
        void failureSwallowed(Ordering order) {
            try {
                order.expect(2);
            } catch (AssertionError swallowed) {
                // the code under test ate it
            }
            order.finish(2);
        }

        @Test
        void finished(Ordering order, Runner runner) {
            runner.run(() -> {
                order.expect(1);
                Asyncio.toThread(() -> order.expect(2));
                field.expect(1);
                field.finish(2);
                order.finish(3);
            });
        }

        @Test
        void failsInAForgottenTask(Ordering order, Runner runner) {
            runner.run(() -> {
                order.expect(1);
                Asyncio.createTask(() -> order.expect(3), "forgotten");
                Asyncio.sleep(0);
                order.finish(3);
            });
        }

        @Test
        void failsWithTheOrderingError(Ordering order) {
            order.expect(1);
            order.expect(3);
        }

        @Test
        void failsForAnotherReasonBeforeFinish(Ordering order) {
            order.expect(1);
            throw new IllegalStateException("the test's own failure");
        }
    }

    @Test
    void orderingThatIsNotFinishedFailsTheTest() {
        Outcomes o = Fixtures.run(OrderingFixtures.class);
        assertEquals(Set.of("finished"), o.passed());
        assertEquals("AsyncioExtension: test 'parameterNotFinished(Ordering)' failed its asyncio checks: "
                + "Ordering: finish(3) was never called; the last step was 2. Steps so far: #1 expect(1) in thread "
                + "'main'; #2 expect(2) in thread 'main'. A scenario that calls expect(n) must end with finish(n)",
                o.failure("parameterNotFinished").getMessage().replace(Thread.currentThread().getName(), "main"));
        assertTrue(o.failure("fieldNotFinished").getMessage().contains("Ordering: finish(2) was never called"),
                o.failure("fieldNotFinished").getMessage());
        Throwable swallowed = o.failure("failureSwallowed");
        assertTrue(swallowed.getMessage().contains("Ordering failed earlier"), swallowed.getMessage());
        assertTrue(swallowed.getCause().getMessage().startsWith("Ordering: expect(2) ran as step 1"),
                swallowed.getCause().getMessage());
    }

    @Test
    void orderingErrorInATaskNobodyAwaitedIsReportedOnce() {
        Outcomes o = Fixtures.run(OrderingFixtures.class);
        Throwable e = o.failure("failsInAForgottenTask");
        assertTrue(e.getMessage().startsWith("AsyncioExtension: test 'failsInAForgottenTask(Ordering, Runner)' "
                + "failed its asyncio checks: Ordering failed earlier"), e.getMessage());
        assertTrue(e.getCause().getMessage().startsWith("Ordering: expect(3) ran as step 2 in task 'forgotten'"),
                e.getCause().getMessage());
        assertEquals(0, e.getSuppressed().length, "not also reported as an unobserved exception");
    }

    @Test
    void orderingErrorThatFailedTheTestIsNotReportedAgain() {
        Outcomes o = Fixtures.run(OrderingFixtures.class);
        Throwable e = o.failure("failsWithTheOrderingError");
        assertTrue(e.getMessage().startsWith("Ordering: expect(3) ran as step 2"), e.getMessage());
        assertEquals(0, e.getSuppressed().length);
        Throwable own = o.failure("failsForAnotherReasonBeforeFinish");
        assertEquals("the test's own failure", own.getMessage());
        assertEquals(0, own.getSuppressed().length, "a missing finish is not reported on a test that failed");
    }

    // ---- @AsyncioTest ------------------------------------------------------------------------------------

    @Fixture
    static class UsesAsyncioTest {
        @AsyncioTest
        void leaks(Runner injected) {
            Runner runner = Runner.builder().virtualTime(true).build();
            LEAKED.add(runner);
            runner.run(() -> Asyncio.sleep(0));
            injected.run(() -> Asyncio.sleep(0));
        }
    }

    @Test
    void asyncioTestRegistersTheExtension() {
        Outcomes o = Fixtures.run(UsesAsyncioTest.class);
        assertTrue(o.failure("leaks").getMessage().contains("an event loop was left open"),
                o.failure("leaks").getMessage());
    }
}
