package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import static io.asyncio4j.TestLoops.awaitCancelled;
import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.recordExceptions;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * asyncio.Task behaviour other than cancellation (CPython Lib/test/test_asyncio/test_tasks.py: create_task,
 * current_task, all_tasks, sleep, naming, get_stack), on virtual time. Cancellation is in
 * {@link CancellationTest}.
 */
class TaskTest {

    // ---- creation and ordering -------------------------------------------------------------------------

    @Test
    void aTaskGetsItsVirtualThreadOnlyAtItsFirstStepKeepsItForItsLifeAndGivesItBackAtItsEnd() {
        runVirtual(() -> {
            List<Task<Thread>> tasks = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                tasks.add(Asyncio.createTask(() -> {
                    Thread before = Thread.currentThread();
                    names.add(before.getName());
                    Asyncio.sleep(1);
                    assertSame(before, Thread.currentThread());
                    assertSame(before, Asyncio.currentTask().thread());
                    return before;
                }));
            }
            for (Task<Thread> t : tasks) {
                assertNull(t.thread(), "a task that has not run costs no thread");
                assertEquals(List.of(), t.getStack());
            }
            Task<Thread> renamed = tasks.getFirst();
            renamed.setName("renamed before it ran");
            for (Task<Thread> t : tasks) {
                Thread th = t.await();
                assertTrue(th.isVirtual());
                assertNull(t.thread(), "an ended task keeps no thread");
            }
            assertEquals("renamed before it ran", names.getFirst());
        });
    }

    @Test
    void createTaskDoesNotRunTheBodyUntilTheCreatorYields() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Boolean> t = Asyncio.createTask(() -> events.add("body"));
            events.add("creator still running, done=" + t.done());
            t.await();
            assertEquals(List.of("creator still running, done=false", "body"), events);
        });
    }

    @Test
    void tasksStartInCreationOrder() {
        runVirtual(() -> {
            List<Integer> started = new ArrayList<>();
            List<Task<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> started.add(n)));
            }
            for (Task<Boolean> t : tasks) {
                t.await();
            }
            assertEquals(List.of(0, 1, 2, 3, 4), started);
        });
    }

    @Test
    void taskCreatedByATaskStartsAfterTheTasksAlreadyScheduled() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> a = Asyncio.createTask(() -> {
                events.add("a");
                Asyncio.createTask(() -> events.add("c, created by a"));
            });
            Task<Boolean> b = Asyncio.createTask(() -> events.add("b"));
            a.await();
            b.await();
            Asyncio.sleep(0);
            assertEquals(List.of("a", "b", "c, created by a"), events);
        });
    }

    @Test
    void taskResultIsWhatItsBodyReturns() {
        // test_task_basics
        runVirtual(() -> {
            Task<Integer> outer = Asyncio.createTask(() -> inner1() + inner2());
            assertEquals(1042, outer.await());
            assertTrue(outer.done());
            assertFalse(outer.cancelled());
            assertEquals(1042, outer.result());
        });
    }

    private static int inner1() {
        return 42;
    }

    private static int inner2() {
        Asyncio.sleep(0);
        return 1000;
    }

    @Test
    void uncheckedFailureOfATaskSurfacesUnchangedFromAwait() {
        runVirtual(() -> {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            Task<String> t = Asyncio.createTask(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalArgumentException.class, t::await));
            assertSame(boom, t.exception());
            assertFalse(t.cancelled());
        });
    }

    @Test
    void checkedFailureOfATaskSurfacesAsCompletionExceptionWithTheOriginalAsCause() {
        runVirtual(() -> {
            IOException io = new IOException("disk");
            Task<String> t = Asyncio.createTask(() -> {
                throw io;
            });
            assertSame(io, assertThrows(CompletionException.class, t::await).getCause());
            assertSame(io, t.exception());
        });
    }

    @Test
    void aFailingTaskDoesNotStopTheLoopOrTheOtherTasks() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> failing = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                throw new IllegalStateException("fails at 1");
            });
            Task<Void> other = Asyncio.createTask(() -> {
                Asyncio.sleep(2);
                events.add("other finished at " + now());
            });
            other.await();
            assertEquals(List.of("other finished at 2.0"), events);
            assertThrows(IllegalStateException.class, failing::result);
        });
    }

    @Test
    void doneCallbackOfATaskRunsAfterItEndsAndReceivesTheTask() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> t = Asyncio.createTask(() -> {
                events.add("body");
                return "r";
            });
            AtomicReference<Future<String>> received = new AtomicReference<>();
            t.addDoneCallback(f -> {
                received.set(f);
                events.add("callback saw " + f.result());
            });
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertEquals(List.of("body", "callback saw r"), events);
            assertSame(t, received.get());
        });
    }

    @Test
    void taskAwaitingItselfIsRefused() {
        // test_task_awaits_on_itself
        runVirtual(() -> {
            Task<Object> t = Asyncio.createTask(() -> Asyncio.currentTask().await());
            IllegalStateException e = assertThrows(IllegalStateException.class, t::await);
            assertTrue(e.getMessage().contains("Task cannot await on itself"), e.getMessage());
        });
    }

    @Test
    void setResultAndSetExceptionOfATaskAreRefused() {
        // test_task_set_methods
        runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> "ko");
            IllegalStateException r = assertThrows(IllegalStateException.class, () -> t.setResult("ok"));
            assertTrue(r.getMessage().contains("does not support setResult()"), r.getMessage());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> t.setException(new IllegalArgumentException()));
            assertTrue(e.getMessage().contains("does not support setException()"), e.getMessage());
            assertEquals("ko", t.await());
        });
    }

    @Test
    void taskBelongsToTheRunningLoop() {
        // test_task_class
        runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> "ok");
            assertSame(Asyncio.getRunningLoop(), t.getLoop());
            assertEquals("ok", t.await());
        });
    }

    // ---- sleep -----------------------------------------------------------------------------------------

    @Test
    void sleepZeroYieldsExactlyOneLoopIteration() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callSoon(() -> {
                events.add("iteration 1");
                loop.callSoon(() -> events.add("iteration 2"));
            });
            Asyncio.sleep(0);
            events.add("resumed");
            Asyncio.sleep(0);
            // yielding twice would put "iteration 2" first; not yielding would put "resumed" first
            assertEquals(List.of("iteration 1", "resumed", "iteration 2"), events);
        });
    }

    @Test
    void tasksThatSleepZeroTakeTurns() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> a = Asyncio.createTask(() -> takeTurns("a", events));
            Task<Void> b = Asyncio.createTask(() -> takeTurns("b", events));
            a.await();
            b.await();
            assertEquals(List.of("a1", "b1", "a2", "b2", "a3", "b3"), events);
            assertEquals(0.0, now());
        });
    }

    private static void takeTurns(String name, List<String> events) {
        for (int i = 1; i <= 3; i++) {
            events.add(name + i);
            if (i < 3) {
                Asyncio.sleep(0);
            }
        }
    }

    @Test
    void sleepAdvancesTheVirtualClockByExactlyTheDelay() {
        // test_sleep
        runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.sleep(0.05);
                Asyncio.sleep(0.05);
                return "yeah";
            });
            assertEquals("yeah", t.await());
            assertEquals(0.1, now());
        });
    }

    @Test
    void sleepersWakeInDeadlineOrderAndFifoAmongEqualDeadlines() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            List<Task<Boolean>> tasks = new ArrayList<>();
            for (String spec : List.of("c:3", "a:1", "b1:2", "b2:2")) {
                String name = spec.substring(0, spec.indexOf(':'));
                double delay = Double.parseDouble(spec.substring(spec.indexOf(':') + 1));
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(delay);
                    return events.add(name + "@" + now());
                }));
            }
            for (Task<Boolean> t : tasks) {
                t.await();
            }
            assertEquals(List.of("a@1.0", "b1@2.0", "b2@2.0", "c@3.0"), events);
        });
    }

    // ---- current_task, all_tasks -----------------------------------------------------------------------

    @Test
    void currentTaskIsTheTaskRunningTheCode() {
        // test_current_task
        runVirtual(() -> {
            Task<?> main = Asyncio.currentTask();
            AtomicReference<Task<?>> seen = new AtomicReference<>();
            Task<Void> t = Asyncio.createTask(() -> seen.set(Asyncio.currentTask()));
            t.await();
            assertSame(t, seen.get());
            assertSame(main, Asyncio.currentTask());
        });
    }

    @Test
    void currentTaskFollowsInterleavingTasks() {
        // test_current_task_with_interleaving_tasks
        runVirtual(() -> {
            List<Boolean> checks = new ArrayList<>();
            Future<Boolean> fut1 = new Future<>();
            Future<Boolean> fut2 = new Future<>();
            AtomicReference<Task<?>> task1 = new AtomicReference<>();
            AtomicReference<Task<?>> task2 = new AtomicReference<>();
            task1.set(Asyncio.createTask(() -> {
                checks.add(Asyncio.currentTask() == task1.get());
                fut1.await();
                checks.add(Asyncio.currentTask() == task1.get());
                fut2.setResult(true);
            }));
            task2.set(Asyncio.createTask(() -> {
                checks.add(Asyncio.currentTask() == task2.get());
                fut1.setResult(true);
                fut2.await();
                checks.add(Asyncio.currentTask() == task2.get());
            }));
            task1.get().await();
            task2.get().await();
            assertEquals(List.of(true, true, true, true), checks);
        });
    }

    @Test
    void currentTaskInALoopCallbackIsNull() {
        runVirtual(() -> {
            List<Object> seen = new ArrayList<>();
            Asyncio.getRunningLoop().callSoon(() -> seen.add(Asyncio.currentTask()));
            Asyncio.sleep(0);
            assertEquals(1, seen.size());
            assertNull(seen.get(0));
        });
    }

    @Test
    void allTasksListsTheLiveTasksInCreationOrder() {
        runVirtual(() -> {
            Task<?> main = Asyncio.currentTask();
            Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(10));
            Task<String> quick = Asyncio.createTask(() -> "quick");
            assertEquals(List.of(main, sleeper, quick), new ArrayList<>(Asyncio.allTasks()));
            quick.await();
            assertEquals(List.of(main, sleeper), new ArrayList<>(Asyncio.allTasks()));
            sleeper.await();
            assertEquals(List.of(main), new ArrayList<>(Asyncio.allTasks()));
        });
    }

    // ---- names, coro, stack ----------------------------------------------------------------------------

    @Test
    void unnamedTasksAreNamedTaskNInCreationOrder() {
        // test_task_repr_autogenerated
        runVirtual(() -> {
            assertEquals("Task-1", Asyncio.currentTask().getName());
            Task<String> a = Asyncio.createTask(() -> "a");
            Task<String> b = Asyncio.createTask(() -> "b");
            assertEquals("Task-2", a.getName());
            assertEquals("Task-3", b.getName());
            a.await();
            b.await();
        });
    }

    @Test
    void taskCanBeNamedAtCreationAndRenamed() {
        // test_bare_create_named_task, test_task_set_name_pylong
        runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> Asyncio.currentTask().getName(), "No-op");
            assertEquals("No-op", t.getName());
            t.setName("renamed");
            assertEquals("renamed", t.getName());
            assertEquals("renamed", t.await());
        });
    }

    @Test
    void anUnnamedTasksNameIsMadeWhenAskedAndItsThreadGetsOnlyAGivenName() {
        runVirtual(() -> {
            Task<List<String>> t = Asyncio.createTask(() -> {
                String before = Thread.currentThread().getName();
                Asyncio.sleep(1);
                return List.of(before, Thread.currentThread().getName(), Asyncio.currentTask().getName());
            });
            Asyncio.sleep(0);
            assertEquals("Task-2", t.getName());
            assertEquals("Task[name=Task-2, pending]", t.toString());
            t.setName("named-later");
            assertEquals(List.of("", "named-later", "named-later"), t.await());
        });
    }

    @Test
    void taskThreadCarriesTheTaskName() {
        runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                return Thread.currentThread().getName();
            }, "fetcher");
            Asyncio.sleep(0);
            t.setName("fetcher-2");
            assertEquals("fetcher-2", t.await());
        });
    }

    @Test
    void toStringShowsTheNameAndTheState() {
        // test_task_repr
        runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                return "abc";
            }, "TestTask");
            assertEquals("Task[name=TestTask, pending]", t.toString());
            Asyncio.sleep(0);
            t.cancel();
            assertEquals("Task[name=TestTask, pending, cancelling]", t.toString());
            awaitCancelled(t);
            assertEquals("Task[name=TestTask, cancelled]", t.toString());
            Task<String> done = Asyncio.createTask(() -> "abc", "Done");
            done.await();
            assertEquals("Task[name=Done, finished result=abc]", done.toString());
        });
    }

    @Test
    void getCoroReturnsTheBody() {
        // test_get_coro
        runVirtual(() -> {
            Callable<String> body = () -> "r";
            Task<String> t = Asyncio.createTask(body);
            t.await();
            assertSame(body, t.getCoro());
        });
    }

    @Test
    void getStackShowsTheUserFrameWhereTheTaskWaitsWithoutMachinery() {
        // test_get_stack
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(TaskTest::sleepsInAHelper, "sleeper");
            Asyncio.sleep(0);
            List<StackTraceElement> stack = t.getStack();
            assertEquals(TaskTest.class.getName(), stack.get(0).getClassName(), stack.toString());
            assertEquals("sleepsInAHelper", stack.get(0).getMethodName(), stack.toString());
            for (StackTraceElement e : stack) {
                String c = e.getClassName();
                assertFalse(c.startsWith("jdk.internal.") || c.startsWith("java.lang.VirtualThread")
                        || c.equals("java.util.concurrent.locks.LockSupport") || c.equals(Task.class.getName())
                        || c.equals(Asyncio.class.getName()) || c.equals(EventLoop.class.getName()), stack.toString());
            }
            t.cancel();
            awaitCancelled(t);
        });
    }

    private static void sleepsInAHelper() {
        Asyncio.sleep(3600);
    }

    @Test
    void getStackOfTheRunningTaskStartsAtTheCaller() {
        runVirtual(() -> {
            List<StackTraceElement> stack = stackOfTheCurrentTask();
            assertEquals("stackOfTheCurrentTask", stack.get(0).getMethodName(), stack.toString());
        });
    }

    private static List<StackTraceElement> stackOfTheCurrentTask() {
        return Asyncio.currentTask().getStack();
    }

    @Test
    void getStackOfAFinishedTaskIsEmpty() {
        runVirtual(() -> {
            Task<String> t = Asyncio.createTask(() -> "r");
            t.await();
            assertEquals(List.of(), t.getStack());
        });
    }

    @Test
    void printStackWritesTheTaskAndItsFramesToStandardError() {
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(TaskTest::sleepsInAHelper, "sleeper");
            Asyncio.sleep(0);
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            PrintStream err = System.err;
            System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            try {
                t.printStack();
            } finally {
                System.setErr(err);
            }
            String text = buffer.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("Stack for Task[name=sleeper, pending]"), text);
            assertTrue(text.contains("sleepsInAHelper"), text);
            t.cancel();
            awaitCancelled(t);
        });
    }

    @Test
    void cancelOnAFailedTaskSilencesItsReport() {
        // asyncio: Task.cancel() clears _log_traceback before it looks at the state
        List<ExceptionContext> seen;
        try (Runner runner = TestLoops.virtualRunner()) {
            seen = recordExceptions(runner.getLoop());
            runner.run(() -> {
                Task<Void> t = Asyncio.createTask(() -> {
                    throw new IllegalStateException("boom");
                });
                Asyncio.sleep(0);
                assertFalse(t.cancel());
            });
        }
        assertEquals(List.of(), seen);
    }
}
