package io.asyncio4j.testing;

import io.asyncio4j.Asyncio;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderingTest {

    /** The example of Ordering's Javadoc, checked by the extension it advertises. */
    @AsyncioTest
    void createdTaskStartsWhenItsCreatorYields(Runner runner, Ordering order) {
        runner.run(() -> {
            order.expect(1);
            Task<Void> child = Asyncio.createTask(() -> order.expect(3));
            order.expect(2);               // created, not started: the creator runs on
            Asyncio.sleep(0);              // yield: the child runs now
            order.expect(4);
            child.await();
            order.finish(5);
        });
        assertEquals(5, order.step());
    }

    @Test
    void stepsInOrderPassAndCountUp() {
        Ordering order = new Ordering();
        assertEquals(0, order.step());
        order.expect(1);
        order.expect(2);
        assertEquals(2, order.step());
        order.finish(3);
        assertEquals(3, order.step());
        order.assertFinished();
    }

    @Test
    void unusedOrderingCountsAsFinished() {
        Ordering order = new Ordering();
        order.assertFinished();
        assertEquals(0, order.step());
    }

    @Test
    void stepThatComesTooEarlyFailsNamingExpectedAndActualStepAndThread() {
        Ordering order = new Ordering();
        order.expect(1);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> order.expect(3));
        String me = "thread '" + Thread.currentThread().getName() + "'";
        assertEquals("Ordering: expect(3) ran as step 2 in " + me + " (an earlier step has not run yet). "
                + "Steps so far: #1 expect(1) in " + me + "; #2 expect(3) in " + me, e.getMessage());
        assertEquals(3, e.getExpected().getValue());
        assertEquals(2, e.getActual().getValue());
    }

    @Test
    void stepThatComesTooLateNamesTheTasksThatTookTheSteps() {
        Ordering order = new Ordering();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            AssertionFailedError e = runner.run(() -> {
                Asyncio.currentTask().setName("main");
                order.expect(1);
                Task<Void> early = Asyncio.createTask(() -> order.expect(2), "early");
                Task<Void> late = Asyncio.createTask(() -> order.expect(2), "late");
                early.await();
                return assertThrows(AssertionFailedError.class, late::await);
            });
            assertEquals("Ordering: expect(2) ran as step 3 in task 'late' (it ran late: step 2 was already taken). "
                    + "Steps so far: #1 expect(1) in task 'main'; #2 expect(2) in task 'early'; "
                    + "#3 expect(2) in task 'late'", e.getMessage());
        }
    }

    @Test
    void finishIsMandatoryOnceAStepWasTaken() {
        Ordering order = new Ordering();
        order.expect(1);
        order.expect(2);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, order::assertFinished);
        assertTrue(e.getMessage().startsWith("Ordering: finish(3) was never called; the last step was 2"),
                e.getMessage());
    }

    @Test
    void finishThatIsOutOfOrderFailsAndDoesNotFinish() {
        Ordering order = new Ordering();
        order.expect(1);
        assertThrows(AssertionFailedError.class, () -> order.finish(3));
        assertThrows(AssertionFailedError.class, order::assertFinished);
    }

    @Test
    void finishMayBeCalledOnlyOnce() {
        Ordering order = new Ordering();
        order.finish(1);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> order.finish(2));
        assertTrue(e.getMessage().startsWith("Ordering: finish(2) was called in thread '"), e.getMessage());
        assertTrue(e.getMessage().contains("after finish(1); finish(n) must be the last step"), e.getMessage());
    }

    @Test
    void stepAfterFinishFails() {
        Ordering order = new Ordering();
        order.expect(1);
        order.finish(2);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> order.expect(3));
        assertTrue(e.getMessage().contains("expect(3) was called in thread '"), e.getMessage());
        assertTrue(e.getMessage().contains("after finish(2)"), e.getMessage());
        assertEquals(2, order.step(), "a step refused after finish is not counted");
    }

    @Test
    void expectUnreachedAlwaysFails() {
        Ordering order = new Ordering();
        order.expect(1);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, order::expectUnreached);
        assertTrue(e.getMessage().startsWith("Ordering.expectUnreached() was reached after step 1, in thread '"),
                e.getMessage());
    }

    @Test
    void swallowedFailureIsRememberedAndFailsAssertFinished() {
        Ordering order = new Ordering();
        AssertionFailedError swallowed = null;
        try {
            order.expectUnreached();
        } catch (AssertionFailedError e) {
            swallowed = e;          // e.g. a catch (Throwable) in the code under test
        }
        order.finish(1);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, order::assertFinished);
        assertSame(swallowed, e.getCause());
        assertTrue(e.getMessage().startsWith("Ordering failed earlier"), e.getMessage());
        assertTrue(e.getMessage().contains("expectUnreached() was reached after step 0"), e.getMessage());
    }

    @Test
    void onlyTheFirstFailureIsRemembered() {
        Ordering order = new Ordering();
        AssertionFailedError first = assertThrows(AssertionFailedError.class, () -> order.expect(2));
        assertThrows(AssertionFailedError.class, order::expectUnreached);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, order::assertFinished);
        assertSame(first, e.getCause());
    }

    @Test
    void failureInATaskNobodyAwaitsStillFailsAssertFinished() {
        Ordering order = new Ordering();
        List<ExceptionContext> reported = new ArrayList<>();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.getLoop().setExceptionHandler((loop, context) -> reported.add(context));
            runner.run(() -> {
                order.expect(1);
                Asyncio.createTask(() -> order.expect(3), "forgotten");
                Asyncio.sleep(0);
                order.finish(3); // step 3 by number, but the failed task took step 2
            });
        }
        AssertionFailedError e = assertThrows(AssertionFailedError.class, order::assertFinished);
        assertInstanceOf(AssertionFailedError.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("expect(3) ran as step 2 in task 'forgotten'"),
                e.getCause().getMessage());
        assertEquals(1, reported.size());
        assertSame(e.getCause(), reported.getFirst().exception(), "the task's failure was also never retrieved");
    }

    @Test
    void stepsFromToThreadWorkersCountInOrder() {
        Ordering order = new Ordering();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> {
                order.expect(1);
                String worker = Asyncio.toThread(() -> {
                    order.expect(2);
                    return Thread.currentThread().getName();
                });
                assertFalse(Thread.currentThread().getName().equals(worker), "ran on a worker thread");
                order.finish(3);
            });
        }
        order.assertFinished();
    }

    @Test
    void threadsRacingForOneStepCannotBothTakeIt() throws Exception {
        Ordering order = new Ordering();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger passed = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    order.expect(1);
                    passed.incrementAndGet();
                } catch (AssertionFailedError expected) {
                    // every thread but one lands here
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        assertEquals(1, passed.get());
        assertEquals(threads, order.step());
    }

    @Test
    void failureMessageListsOnlyTheLastEightSteps() {
        Ordering order = new Ordering();
        for (int i = 1; i <= 10; i++) {
            order.expect(i);
        }
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> order.expect(99));
        assertTrue(e.getMessage().contains("Steps so far (the last 8): #4 expect(4)"), e.getMessage());
        assertFalse(e.getMessage().contains("#3 expect(3)"), e.getMessage());
        assertTrue(e.getMessage().contains("#11 expect(99)"), e.getMessage());
    }

    @Test
    void orderingsCountTheirStepsIndependently() {
        Ordering a = new Ordering();
        Ordering b = new Ordering();
        a.expect(1);
        b.expect(1);
        a.finish(2);
        b.finish(2);
        a.assertFinished();
        b.assertFinished();
    }
}
