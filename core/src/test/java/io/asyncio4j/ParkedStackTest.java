package io.asyncio4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a parked task keeps on its stack, and the sleep's timer. Every frame between a task's body and the
 * JDK's park, and every frame under the body, is frozen into the task's stack chunk while it waits: most of
 * what a waiting task costs (docs/architecture.md, "What a task costs"). These tests hold the library's
 * frames to the ones that do work, so that a helper frame added on the way is noticed.
 */
@Timeout(30)
class ParkedStackTest {

    /**
     * The library's frames of {@code thread}'s stack, innermost first, from the JDK's park down to its start;
     * the test's own lambda (the task's body) shows as "body".
     */
    private static List<String> libraryFrames(Thread thread) {
        List<String> out = new ArrayList<>();
        for (StackTraceElement e : thread.getStackTrace()) {
            String c = e.getClassName();
            if (c.equals(ParkedStackTest.class.getName()) && e.getMethodName().startsWith("lambda$")) {
                out.add("body");
            } else if (c.startsWith("io.asyncio4j.") || c.equals("java.lang.VirtualThread") && e.getMethodName().equals("run")) {
                out.add(c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName());
            }
        }
        return out;
    }

    @Test
    void aSleepingTaskHasOnlyTheSleepAndTheKernelWaitAboveItsBodyAndOnlyItsCarrierUnderIt() {
        runVirtual(() -> {
            Thread[] thread = new Thread[1];
            Task<Void> t = Asyncio.createTask(() -> {
                thread[0] = Thread.currentThread();
                Asyncio.sleep(10);
            });
            Asyncio.sleep(0);
            assertEquals(List.of("KernelWait.park", "Task.sleep", "Asyncio.sleep",
                            "body",
                            "Task$Carrier.run", "VirtualThread.run"),
                    libraryFrames(thread[0]));
            t.await();
        });
    }

    @Test
    void aTaskAwaitingAFutureHasOnlyTheAwaitAndTheKernelWaitAboveItsBody() {
        runVirtual(() -> {
            Future<String> gate = Asyncio.getRunningLoop().createFuture();
            Thread[] thread = new Thread[1];
            Callable<String> body = () -> {
                thread[0] = Thread.currentThread();
                return gate.await();
            };
            Task<String> t = Asyncio.createTask(body);
            Asyncio.sleep(0);
            assertEquals(List.of("KernelWait.park", "Task.awaitFuture", "Future.await",
                            "body",
                            "Task$Carrier.run", "VirtualThread.run"),
                    libraryFrames(thread[0]));
            gate.setResult("open");
            assertEquals("open", t.await());
        });
    }

    @Test
    void aVoidBodyRunsWithNoWrapperFramesUnderIt() {
        runVirtual(() -> {
            Thread[] thread = new Thread[1];
            ThrowingRunnable body = () -> {
                thread[0] = Thread.currentThread();
                Asyncio.sleep(10);
            };
            Task<Void> t = Asyncio.createTask(body);
            Asyncio.sleep(0);
            StackTraceElement[] stack = thread[0].getStackTrace();
            int at = 0;
            while (!stack[at].getMethodName().startsWith("lambda$aVoidBodyRunsWithNoWrapperFramesUnderIt")) {
                at++;
            }
            // the frame that called the body is the carrier's, with no asCallable() adapter between
            assertEquals("io.asyncio4j.Task$Carrier.run", stack[at + 1].getClassName() + "." + stack[at + 1].getMethodName(),
                    () -> Arrays.toString(stack));
            t.await();
        });
    }

    @Test
    void aTaskOfAVoidBodyGivesThatBodyAsACallableThatReturnsNull() throws Exception {
        List<String> runs = new ArrayList<>();
        Callable<Void> coro = runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                runs.add("ran");
            });
            t.await();
            return t.getCoro();
        });
        assertNull(coro.call());
        assertEquals(List.of("ran", "ran"), runs);
    }

    /** Both a Callable and a ThrowingRunnable: which method a task calls depends on how it was created. */
    private static final class Both implements Callable<String>, ThrowingRunnable {
        final List<String> calls = new ArrayList<>();

        @Override
        public String call() {
            calls.add("call");
            return "called";
        }

        @Override
        public void run() {
            calls.add("run");
        }
    }

    @Test
    void aBodyThatIsBothACallableAndAVoidBodyRunsAsWhatItWasCreatedAs() {
        runVirtual(() -> {
            Both asVoid = new Both();
            assertNull(Asyncio.createTask((ThrowingRunnable) asVoid).await());
            assertEquals(List.of("run"), asVoid.calls);
            Both asCallable = new Both();
            assertEquals("called", Asyncio.createTask((Callable<String>) asCallable).await());
            assertEquals(List.of("call"), asCallable.calls);
        });
    }

    @Test
    void aCancelledSleepsTimerDoesNotWakeTheTasksNextWait() {
        runVirtual(() -> {
            Future<String> gate = Asyncio.getRunningLoop().createFuture();
            Task<String> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.currentTask().uncancel();
                }
                return gate.await(); // the sleep's timer was due at 10: it must not end this wait
            });
            Asyncio.sleep(1);
            t.cancel();
            Asyncio.sleep(20);
            assertEquals(21.0, now());
            assertFalse(t.done(), "the task still awaits the gate");
            gate.setResult("gate");
            assertEquals("gate", t.await());
        });
    }

    @Test
    void aSleepThatEndedLeavesNoTimerBehindAndEqualDeadlinesWakeInOrder() {
        runVirtual(() -> {
            List<Integer> woken = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int k = i;
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(1);
                    woken.add(k);
                }));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            assertEquals(List.of(0, 1, 2, 3, 4), woken);
            assertEquals(1.0, now());
            Task<Void> cancelled = Asyncio.createTask(() -> Asyncio.sleep(5));
            Asyncio.sleep(0);
            cancelled.cancel();
            assertThrows(CancelledError.class, cancelled::await);
            Asyncio.sleep(0.5); // the cancelled sleep's timer (due at 6) neither wakes anyone nor moves the clock
            assertEquals(1.5, now());
            assertTrue(cancelled.cancelled());
        });
    }
}
