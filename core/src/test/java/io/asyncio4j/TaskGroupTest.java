package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.io.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.asyncio4j.TestLoops.awaitCancelled;
import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TaskGroup} as asyncio 3.14 (CPython Lib/test/test_asyncio/test_taskgroups.py) plus 3.15's
 * {@code TaskGroup.cancel()}, on virtual time: exact loop times, failure orders and cancel counts.
 */
class TaskGroupTest {

    /** Python's {@code MyBaseExc}: an Error that is not a VirtualMachineError, so it is grouped like others. */
    static final class MyError extends Error {
        @Serial
        private static final long serialVersionUID = 1L;

        MyError(String message) {
            super(message);
        }
    }

    private static Task<?> current() {
        return Asyncio.currentTask();
    }

    private static int divideByZero() {
        throw new ArithmeticException("/ by zero");
    }

    private static ThrowingRunnable crashAfter(double seconds, RuntimeException e) {
        return () -> {
            Asyncio.sleep(seconds);
            throw e;
        };
    }

    private static List<String> messages(ExceptionGroup eg) {
        return eg.exceptions().stream().map(e -> e.getClass().getSimpleName() + ": " + e.getMessage()).toList();
    }

    // ---- all tasks are awaited (test_taskgroup_01, 02, 03, 23, 24) --------------------------------------

    @Test
    void groupReturnsWhenAllItsTasksHaveEnded() {
        // test_taskgroup_01
        runVirtual(() -> {
            List<Task<Integer>> tasks = TaskGroup.run(g -> List.of(
                    g.createTask(() -> {
                        Asyncio.sleep(0.1);
                        return 42;
                    }),
                    g.createTask(() -> {
                        Asyncio.sleep(0.2);
                        return 11;
                    })));
            assertEquals(0.2, now());
            assertEquals(42, tasks.get(0).result());
            assertEquals(11, tasks.get(1).result());
        });
    }

    @Test
    void taskCreatedLaterInTheBodyIsAwaitedToo() {
        // test_taskgroup_02
        runVirtual(() -> {
            List<Task<Integer>> tasks = Asyncio.taskGroup(g -> {
                Task<Integer> t1 = g.createTask(() -> {
                    Asyncio.sleep(0.1);
                    return 42;
                });
                Asyncio.sleep(0.15);
                Task<Integer> t2 = g.createTask(() -> {
                    Asyncio.sleep(0.2);
                    return 11;
                });
                return List.of(t1, t2);
            });
            assertEquals(0.35, now(), 1e-12);
            assertEquals(42, tasks.get(0).result());
            assertEquals(11, tasks.get(1).result());
        });
    }

    @Test
    void taskCancelledExplicitlyDoesNotDisturbTheGroup() {
        // test_taskgroup_03
        runVirtual(() -> {
            List<Task<Integer>> tasks = TaskGroup.run(g -> {
                Task<Integer> t1 = g.createTask(() -> {
                    Asyncio.sleep(1);
                    return 42;
                });
                Asyncio.sleep(0.15);
                t1.cancel();
                Task<Integer> t2 = g.createTask(() -> {
                    Asyncio.sleep(0.2);
                    return 11;
                });
                return List.of(t1, t2);
            });
            assertTrue(tasks.get(0).cancelled());
            assertEquals(11, tasks.get(1).result());
            assertEquals(0.35, now(), 1e-12);
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void groupCountsItsLiveTasks() {
        // test_taskgroup_23 (len(g._tasks) → the group's toString)
        runVirtual(() -> TaskGroup.run(g -> {
            for (int count = 0; count < 10; count++) {
                Asyncio.sleep(0.1);
                g.createTask(() -> Asyncio.sleep(0.3));
                if (count == 5) {
                    // asyncio asserts "fewer than 5": the task created at 0.3 ends at 0.6 in this same iteration
                    assertEquals("TaskGroup[tasks=4]", g.toString());
                }
            }
            Asyncio.sleep(1.35);
            assertEquals("TaskGroup[tasks=0]", g.toString());
            return null;
        }));
    }

    @Test
    void taskOfTheGroupMayAddSiblingsWhileTheGroupWaits() {
        // test_taskgroup_24
        runVirtual(() -> {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            TaskGroup.run(g -> g.createTask(() -> {
                Asyncio.sleep(0.1);
                g.createTask(() -> {
                    Asyncio.sleep(0.1);
                    events.add("first at " + now());
                });
                g.createTask(() -> {
                    Asyncio.sleep(0.2);
                    events.add("second at " + now());
                });
            }));
            assertEquals(List.of("first at 0.2", "second at 0.3"), events);
        });
    }

    @Test
    void tasksGetTheNamesGivenToCreateTask() {
        // test_taskgroup_task_name, test_name
        runVirtual(() -> {
            AtomicReference<String> seen = new AtomicReference<>();
            Task<Void> t = TaskGroup.run(g -> g.createTask(() -> seen.set(current().getName()), "example name"));
            assertEquals("example name", t.getName());
            assertEquals("example name", seen.get());
        });
    }

    // ---- a failing task (test_taskgroup_04, test_cancel_children_on_child_error, 25) ---------------------

    @Test
    void failingTaskCancelsItsSiblingsAndTheGroupRaisesAnExceptionGroup() {
        // test_taskgroup_04
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AtomicReference<Task<Void>> t2 = new AtomicReference<>();
            Task<Void> runner = Asyncio.createTask(() -> {
                TaskGroup.run(g -> {
                    g.createTask(() -> {
                        Asyncio.sleep(0.1);
                        divideByZero();
                    });
                    t2.set(g.createTask(() -> {
                        try {
                            Asyncio.sleep(1);
                        } catch (CancelledError e) {
                            events.add("t2 cancelled at " + now());
                            throw e;
                        }
                        events.add("t2 finished");
                    }));
                    return null;
                });
                events.add("after the group");
            });
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(List.of("ArithmeticException: / by zero"), messages(eg));
            assertEquals(List.of("t2 cancelled at 0.1"), events);
            assertTrue(t2.get().cancelled());
            assertEquals(0, runner.cancelling());
        });
    }

    @Test
    void firstFailureCancelsTheBodyAndTheSiblings() {
        // test_cancel_children_on_child_error
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> runner = Asyncio.createTask(() -> {
                TaskGroup.run(g -> {
                    for (int i = 1; i <= 3; i++) {
                        g.createTask(crashAfter(0.1, new ArithmeticException("crash " + i)));
                    }
                    g.createTask(() -> {
                        try {
                            Asyncio.sleep(5);
                        } catch (CancelledError e) {
                            events.add("sibling cancelled at " + now());
                            throw e;
                        }
                    });
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError e) {
                        events.add("body cancelled at " + now() + ", cancelling=" + current().cancelling());
                        throw e;
                    }
                    return null;
                });
                events.add("after the group");
            });
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            // the three tasks fail in the same loop iteration, before the group's reaction can stop them
            assertEquals(List.of("ArithmeticException: crash 1", "ArithmeticException: crash 2",
                    "ArithmeticException: crash 3"), messages(eg));
            // as asyncio's _on_task_done: the siblings are cancelled first, then the body
            assertEquals(List.of("sibling cancelled at 0.1", "body cancelled at 0.1, cancelling=1"), events);
            assertEquals(0, runner.cancelling());
            assertFalse(runner.cancelled());
        });
    }

    @Test
    void failuresComeOutInCompletionOrderWithTheBodysFailureLast() {
        runVirtual(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        Asyncio.sleep(0.5); // cleanup after the cancel, then fail
                        throw new IllegalStateException("late, while cancelled");
                    }
                });
                g.createTask(crashAfter(0.2, new IllegalArgumentException("second created, fails first")));
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        throw new UnsupportedOperationException("third created, fails second");
                    }
                });
                try {
                    Asyncio.sleep(10);
                } finally {
                    Asyncio.sleep(1);
                    throw new ArithmeticException("body, fails last in time and in the group");
                }
            }));
            assertEquals(List.of(
                    "IllegalArgumentException: second created, fails first",
                    "UnsupportedOperationException: third created, fails second",
                    "IllegalStateException: late, while cancelled",
                    "ArithmeticException: body, fails last in time and in the group"), messages(eg));
            assertEquals(1.2, now(), 1e-12);
            assertEquals(0, current().cancelling());
            assertEquals(eg.exceptions(), List.of(eg.getSuppressed()));
        });
    }

    @Test
    void bodyFailureComesLastEvenWhenItHappensFirst() {
        runVirtual(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        Asyncio.sleep(1);
                        throw new IllegalStateException("task, failed later");
                    }
                });
                Asyncio.sleep(0.5);
                throw new IllegalArgumentException("body, failed first");
            }));
            assertEquals(List.of("IllegalStateException: task, failed later",
                    "IllegalArgumentException: body, failed first"), messages(eg));
            assertEquals(1.5, now());
        });
    }

    @Test
    void groupKeepsAcceptingTasksUntilTheFirstFailure() {
        // test_taskgroup_25 (the hydra)
        runVirtual(() -> {
            AtomicInteger hydras = new AtomicInteger();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                class Hydra implements ThrowingRunnable {
                    @Override
                    public void run() {
                        hydras.incrementAndGet();
                        Asyncio.sleep(0.01);
                        g.createTask(new Hydra());
                        g.createTask(new Hydra());
                    }
                }
                g.createTask(new Hydra());
                g.createTask(() -> {
                    while (hydras.get() < 10) {
                        Asyncio.sleep(0.015);
                    }
                    divideByZero();
                });
                return null;
            }));
            assertEquals(List.of("ArithmeticException: / by zero"), messages(eg));
            // asyncio asserts "at least 10"; at 0.03 the 4 hydras' timers and hercules' tie, hercules' was first
            assertEquals(31, hydras.get());
            assertEquals(0.045, now(), 1e-12);
        });
    }

    @Test
    void createTaskAfterAFailureIsRejected() {
        // test_taskgroup_no_create_task_after_failure
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(crashAfter(0.001, new ArithmeticException("/ by zero")));
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(1);
                    } catch (CancelledError e) {
                        IllegalStateException rejected = assertThrows(IllegalStateException.class,
                                () -> g.createTask(() -> divideByZero()));
                        events.add(rejected.getMessage());
                    }
                });
                return null;
            }));
            assertEquals(List.of("ArithmeticException: / by zero"), messages(eg));
            assertEquals(List.of("TaskGroup.createTask(): the group is shutting down (a task failed or the group was "
                    + "cancelled)"), events);
        });
    }

    @Test
    void taskCreatedByASiblingJustBeforeAFailureIsCancelledToo() {
        // test_cancels_task_if_created_during_creation (gh-128550)
        runVirtual(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    g.createTask(() -> {
                        throw new IllegalStateException("third task failed");
                    });
                    assertThrows(CancelledError.class, () -> {
                        Asyncio.sleep(0);
                        Asyncio.sleep(0);
                    });
                    ran.set(true);
                });
                return null;
            }));
            assertTrue(ran.get());
            assertEquals(List.of("IllegalStateException: third task failed"), messages(eg));
        });
    }

    // ---- the body fails (test_taskgroup_09, 10, 19, 20, 20a, 21a, context_manager_exit_raises) ------------

    @Test
    void bodyFailureAfterAWaitCancelsTheTasks() {
        // test_taskgroup_09
        runVirtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                tasks.add(g.createTask(() -> {
                    Asyncio.sleep(1);
                    return 42;
                }));
                tasks.add(g.createTask(() -> {
                    Asyncio.sleep(2);
                    return 11;
                }));
                Asyncio.sleep(0.1);
                return divideByZero();
            }));
            assertEquals(List.of("ArithmeticException: / by zero"), messages(eg));
            assertTrue(tasks.get(0).cancelled());
            assertTrue(tasks.get(1).cancelled());
            assertEquals(0.1, now());
        });
    }

    @Test
    void bodyFailureBeforeTheTasksStartCancelsThem() {
        // test_taskgroup_10
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                tasks.add(g.createTask(() -> { events.add("t1 ran"); }));
                tasks.add(g.createTask(() -> { events.add("t2 ran"); }));
                return divideByZero();
            }));
            assertEquals(List.of("ArithmeticException: / by zero"), messages(eg));
            assertTrue(tasks.get(0).cancelled());
            assertTrue(tasks.get(1).cancelled());
            assertEquals(List.of(), events);
        });
    }

    @Test
    void bodyFailingInItsCleanupAfterATaskFailedComesAfterTheTasksFailure() {
        // test_taskgroup_19
        runVirtual(() -> {
            Task<Void> runner = Asyncio.createTask(() -> TaskGroup.run(g -> {
                g.createTask(crashAfter(0.1, new ArithmeticException("/ by zero")));
                try {
                    Asyncio.sleep(10);
                } finally {
                    throw new IllegalStateException("MyExc");
                }
            }));
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, runner::await);
            assertEquals(List.of("ArithmeticException: / by zero", "IllegalStateException: MyExc"), messages(eg));
            assertEquals(0, runner.cancelling());
        });
    }

    @Test
    void virtualMachineErrorOfTheBodyPropagatesAsItself() {
        // test_taskgroup_20 (KeyboardInterrupt → a VirtualMachineError)
        runVirtual(() -> {
            StackOverflowError fatal = new StackOverflowError("deep");
            AtomicReference<Task<Void>> child = new AtomicReference<>();
            assertSame(fatal, assertThrows(StackOverflowError.class, () -> TaskGroup.run(g -> {
                child.set(g.createTask(crashAfter(0.1, new ArithmeticException("/ by zero"))));
                try {
                    Asyncio.sleep(10);
                } finally {
                    throw fatal;
                }
            })));
            assertEquals(0.1, now());
            assertInstanceOf(ArithmeticException.class, child.get().exception());
        });
    }

    @Test
    void errorThatIsNotAVirtualMachineErrorIsGroupedLikeAnException() {
        // test_taskgroup_20a (MyBaseExc in the body), test_taskgroup_21a (MyBaseExc in a task)
        runVirtual(() -> {
            ExceptionGroup bodyError = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(crashAfter(0.1, new ArithmeticException("/ by zero")));
                try {
                    Asyncio.sleep(10);
                } finally {
                    throw new MyError("from the body");
                }
            }));
            assertEquals(List.of("ArithmeticException: / by zero", "MyError: from the body"), messages(bodyError));

            ExceptionGroup taskError = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    Asyncio.sleep(0.1);
                    throw new MyError("from a task");
                });
                try {
                    Asyncio.sleep(10);
                } finally {
                    throw new IllegalArgumentException("TypeError");
                }
            }));
            assertEquals(List.of("MyError: from a task", "IllegalArgumentException: TypeError"), messages(taskError));
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void virtualMachineErrorInATaskPropagatesOutOfTheRunner() {
        // _test_taskgroup_21 (disabled in CPython: KeyboardInterrupt in a task crashes the loop; here it is the spec).
        // Cancelling the main task at close() makes its group re-raise the error; close() does not throw it a
        // second time (in try-with-resources that would be "Self-suppression not permitted").
        StackOverflowError fatal = new StackOverflowError("deep");
        List<String> events = new ArrayList<>();
        Runner runner = virtualRunner();
        try {
            assertSame(fatal, assertThrows(StackOverflowError.class, () -> runner.run(() -> {
                TaskGroup.run(g -> {
                    g.createTask(() -> {
                        Asyncio.sleep(0.1);
                        throw fatal;
                    });
                    Asyncio.sleep(10);
                    return null;
                });
                events.add("main went on");
            })));
            assertEquals(0.1, runner.getLoop().time());
        } finally {
            runner.close();
        }
        assertEquals(List.of(), events);
    }

    @Test
    void aFatalErrorInAGroupLeavesTryWithResourcesWithThatErrorAlone() {
        StackOverflowError fatal = new StackOverflowError("deep");
        StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> {
            try (Runner runner = virtualRunner()) {
                runner.run(() -> TaskGroup.run(g -> {
                    g.createTask(() -> {
                        Asyncio.sleep(0.1);
                        throw fatal;
                    });
                    Asyncio.sleep(10);
                    return null;
                }));
            }
        });
        assertSame(fatal, thrown);
        assertEquals(0, thrown.getSuppressed().length);
    }

    @Test
    void exceptionsFromAScopeInsideTheBodyAreGroupedAndTheCountIsRestored() {
        // test_taskgroup_context_manager_exit_raises (gh-95289)
        runVirtual(() -> {
            Task<List<String>> main = Asyncio.createTask(() -> {
                ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                    try { // the "database" context manager whose exit raises
                        tg.createTask(() -> {
                            throw new IllegalStateException("from the task");
                        });
                        Asyncio.sleep(1);
                    } finally {
                        throw new IllegalStateException("from the scope's exit");
                    }
                }));
                assertEquals(0, current().cancelling());
                return messages(eg);
            });
            assertEquals(List.of("IllegalStateException: from the task",
                    "IllegalStateException: from the scope's exit"), main.await());
        });
    }

    // ---- cancelled from outside (test_cancellation, 07, 08, 15, 16, 17, 18, 22, cancellation_in_body) ------

    @Test
    void outsideCancelCancelsTheTasksAndPropagatesWithItsMessage() {
        // test_cancellation
        runVirtual(() -> {
            AtomicInteger cancelled = new AtomicInteger();
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(() -> {
                        try {
                            Asyncio.sleep(5);
                        } catch (CancelledError e) {
                            cancelled.incrementAndGet();
                            throw e;
                        }
                    });
                }
                return null;
            }));
            Asyncio.sleep(0.1);
            assertFalse(r.done());
            r.cancel("test");
            assertEquals("test", awaitCancelled(r).getMessage());
            assertEquals(5, cancelled.get());
            assertEquals(1, r.cancelling());
            assertEquals(0.1, now());
        });
    }

    @Test
    void outsideCancelReachesTheBodyAndEveryTask() {
        // test_taskgroup_07
        runVirtual(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(() -> {
                        try {
                            Asyncio.sleep(5);
                        } catch (CancelledError e) {
                            num.incrementAndGet();
                            throw e;
                        }
                    });
                }
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    num.addAndGet(10);
                    throw e;
                }
                return null;
            }));
            Asyncio.sleep(0.1);
            r.cancel();
            awaitCancelled(r);
            assertEquals(15, num.get());
            assertEquals(1, r.cancelling());
        });
    }

    @Test
    void outsideCancelWhileTheBodyWaitsWithFailingTasksPropagatesAsCancelledError() {
        // test_cancellation_in_body (3.11 version): the tasks have not failed yet when the cancel arrives
        runVirtual(() -> {
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(crashAfter(0.1, new ArithmeticException("/ by zero")));
                }
                Asyncio.sleep(10);
                return null;
            }));
            Asyncio.sleep(0.05);
            r.cancel("test");
            assertEquals("test", awaitCancelled(r).getMessage());
        });
    }

    @Test
    void tasksFailingWhileCancelledWinOverTheOutsideCancel() {
        // test_taskgroup_08
        runVirtual(() -> {
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(() -> {
                        try {
                            Asyncio.sleep(10);
                        } finally {
                            divideByZero();
                        }
                    });
                }
                Asyncio.sleep(10);
                return null;
            }));
            Asyncio.sleep(0.1);
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(Collections.nCopies(5, "ArithmeticException: / by zero"), messages(eg));
            assertFalse(r.cancelled());
            assertEquals(1, r.cancelling()); // the outside cancel stays counted
        });
    }

    @Test
    void nestedGroupsCancelledFromOutsideWithFailingTasksRaiseANestedExceptionGroup() {
        // test_taskgroup_11
        runVirtual(() -> {
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(outer -> TaskGroup.run(g2 -> {
                for (int i = 0; i < 5; i++) {
                    g2.createTask(() -> {
                        try {
                            Asyncio.sleep(10);
                        } finally {
                            divideByZero();
                        }
                    });
                }
                Asyncio.sleep(10);
                return null;
            })));
            Asyncio.sleep(0.1);
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(1, eg.exceptions().size());
            ExceptionGroup inner = assertInstanceOf(ExceptionGroup.class, eg.exceptions().get(0));
            assertEquals(Collections.nCopies(5, "ArithmeticException: / by zero"), messages(inner));
            assertEquals(1, r.cancelling());
        });
    }

    @Test
    void nestedGroupsWithASiblingInTheOuterCancelledFromOutsideRaiseANestedExceptionGroup() {
        // test_taskgroup_12
        runVirtual(() -> {
            AtomicReference<Task<Void>> sleeper = new AtomicReference<>();
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g1 -> {
                sleeper.set(g1.createTask(() -> Asyncio.sleep(10)));
                return TaskGroup.run(g2 -> {
                    for (int i = 0; i < 5; i++) {
                        g2.createTask(() -> {
                            try {
                                Asyncio.sleep(10);
                            } finally {
                                divideByZero();
                            }
                        });
                    }
                    Asyncio.sleep(10);
                    return null;
                });
            }));
            Asyncio.sleep(0.1);
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            ExceptionGroup inner = assertInstanceOf(ExceptionGroup.class, eg.exceptions().get(0));
            assertEquals(1, eg.exceptions().size());
            assertEquals(5, inner.exceptions().size());
            assertTrue(sleeper.get().cancelled());
            assertEquals(0.1, now());
        });
    }

    @Test
    void taskFailingWhileTheBodyHandlesAnOutsideCancelWins() {
        // test_taskgroup_15
        runVirtual(() -> {
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g1 -> {
                g1.createTask(crashAfter(0.3, new ArithmeticException("/ by zero")));
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.sleep(0.5);
                    throw e;
                }
                return null;
            }));
            Asyncio.sleep(0.1);
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(List.of("ArithmeticException: / by zero"), messages(eg));
            assertEquals(0.3, now(), 1e-12); // the crash cancels the body's cleanup sleep too, as in asyncio
            assertEquals(1, r.cancelling());
        });
    }

    @Test
    void taskFailingWhileANestedRunnerHandlesAnOutsideCancelWins() {
        // test_taskgroup_16
        runVirtual(() -> {
            Task<Void> r = Asyncio.createTask(() -> {
                Task<Void> nested = Asyncio.createTask(() -> TaskGroup.run(g1 -> {
                    g1.createTask(crashAfter(0.3, new ArithmeticException("/ by zero")));
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError e) {
                        Asyncio.sleep(0.5);
                        throw e;
                    }
                    return null;
                }));
                nested.await();
            });
            Asyncio.sleep(0.1);
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(List.of("ArithmeticException: / by zero"), messages(eg));
            assertEquals(0.3, now(), 1e-12); // the crash cancels the body's cleanup sleep too, as in asyncio
        });
    }

    @Test
    void outsideCancelOfAGroupWithoutTasksReachesTheBody() {
        // test_taskgroup_17
        runVirtual(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    num.addAndGet(10);
                    throw e;
                }
                return null;
            }));
            Asyncio.sleep(0.1);
            r.cancel();
            awaitCancelled(r);
            assertEquals(10, num.get());
        });
    }

    @Test
    void bodyAnsweringAnOutsideCancelWithAnExceptionRaisesAnExceptionGroup() {
        // test_taskgroup_18
        runVirtual(() -> {
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    throw new IllegalStateException("MyExc");
                }
                return null;
            }));
            Asyncio.sleep(0.1);
            r.cancel();
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(List.of("IllegalStateException: MyExc"), messages(eg));
            assertEquals(1, r.cancelling());
        });
    }

    @Test
    void outsideCancelWhileTheGroupWaitsForItsTasksPropagates() {
        // test_taskgroup_22
        runVirtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            Task<Void> r = Asyncio.createTask(() -> {
                TaskGroup.run(g -> {
                    tasks.add(g.createTask(() -> {
                        Asyncio.sleep(1);
                        return 42;
                    }));
                    tasks.add(g.createTask(() -> {
                        Asyncio.sleep(2);
                        return 11;
                    }));
                    return null;
                });
            });
            Asyncio.sleep(0.05);
            r.cancel();
            awaitCancelled(r);
            assertTrue(tasks.get(0).cancelled());
            assertTrue(tasks.get(1).cancelled());
            assertEquals(0.05, now());
        });
    }

    @Test
    void outsideCancelRepeatedWhileTheGroupWaitsIsCountedAndPropagates() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError e) {
                        events.add("task cleans up from " + now());
                        Asyncio.sleep(1);
                        throw e;
                    }
                });
                return null;
            }));
            Asyncio.sleep(0.5);
            r.cancel();
            Asyncio.sleep(0.5);
            assertFalse(r.done()); // still waiting for the task's cleanup
            r.cancel();
            awaitCancelled(r);
            assertEquals(List.of("task cleans up from 0.5"), events);
            assertEquals(1.5, now());
            assertEquals(2, r.cancelling());
        });
    }

    // ---- nested groups (test_taskgroup_13, 14) -----------------------------------------------------------

    @Test
    void outerTaskFailureCancelsTheInnerGroup() {
        // test_taskgroup_13
        runVirtual(() -> {
            Task<?> r = Asyncio.createTask(() -> TaskGroup.run(g1 -> {
                g1.createTask(crashAfter(0.1, new IllegalArgumentException("0.1")));
                return TaskGroup.run(g2 -> g2.createTask(crashAfter(10, new IllegalArgumentException("10"))));
            }));
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(List.of("IllegalArgumentException: 0.1"), messages(eg));
            assertEquals(0.1, now());
            assertEquals(0, r.cancelling());
        });
    }

    @Test
    void innerGroupFailureReachesTheOuterAsANestedExceptionGroup() {
        // test_taskgroup_14
        runVirtual(() -> {
            Task<?> r = Asyncio.createTask(() -> TaskGroup.run(g1 -> {
                g1.createTask(crashAfter(10, new IllegalArgumentException("10")));
                return TaskGroup.run(g2 -> g2.createTask(crashAfter(0.1, new IllegalArgumentException("0.1"))));
            }));
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, r::await);
            assertEquals(1, eg.exceptions().size());
            ExceptionGroup inner = assertInstanceOf(ExceptionGroup.class, eg.exceptions().get(0));
            assertEquals(List.of("IllegalArgumentException: 0.1"), messages(inner));
            assertEquals(0.1, now());
            assertEquals(0, r.cancelling());
        });
    }

    // ---- cancel counts (test_cancelling_level_preserved, test_nested_groups_both_cancelled, ...) ----------

    @Test
    void cancelCountIsRestoredAfterAFailingGroup() {
        // test_cancelling_level_preserved
        runVirtual(() -> {
            assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg ->
                    tg.createTask(crashAfter(0.0, new IllegalStateException("RuntimeError")))));
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void cancelCountsOfNestedFailingGroupsAreRestoredLevelByLevel() {
        // test_nested_groups_both_cancelled
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            ExceptionGroup outerEg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(outer -> {
                ExceptionGroup innerEg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(inner -> {
                    inner.createTask(crashAfter(0, new IllegalStateException("RuntimeError")));
                    outer.createTask(crashAfter(0, new IllegalArgumentException("ValueError")));
                    return null;
                }));
                events.add(messages(innerEg) + ", cancelling=" + current().cancelling());
                return null;
            }));
            events.add(messages(outerEg) + ", cancelling=" + current().cancelling());
            assertEquals(List.of("[IllegalStateException: RuntimeError], cancelling=1",
                    "[IllegalArgumentException: ValueError], cancelling=0"), events);
        });
    }

    @Test
    void cancelCountsAreRestoredAcrossThreeLevelsOfFailingGroups() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g1 -> {
                g1.createTask(crashAfter(0.3, new IllegalStateException("outer")));
                try {
                    TaskGroup.run(g2 -> {
                        assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g3 ->
                                g3.createTask(crashAfter(0.1, new IllegalStateException("innermost")))));
                        events.add("innermost failed, cancelling=" + current().cancelling());
                        g2.createTask(crashAfter(0.1, new IllegalStateException("middle")));
                        Asyncio.sleep(10);
                        return null;
                    });
                } catch (ExceptionGroup e) {
                    events.add("middle failed at " + now() + ", cancelling=" + current().cancelling());
                }
                Asyncio.sleep(10);
                return null;
            }));
            events.add("outer failed at " + now() + ", cancelling=" + current().cancelling());
            assertEquals(List.of("innermost failed, cancelling=0", "middle failed at 0.2, cancelling=0",
                    "outer failed at 0.3, cancelling=0"), events);
        });
    }

    @Test
    void outsideCancelDuringAFailingGroupStaysCountedAndReachesTheNextWait() {
        // test_error_and_cancel
        runVirtual(() -> {
            Future<Void> event = Asyncio.getRunningLoop().createFuture();
            List<String> events = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        event.setResult(null);
                        Asyncio.sleep(0);
                        throw new IllegalStateException("RuntimeError");
                    });
                    Asyncio.sleep(1);
                    events.add("sleep in the group was not cancelled");
                    return null;
                }));
                events.add(messages(eg) + ", cancelling=" + current().cancelling());
                Asyncio.sleep(1);
                events.add("sleep after the group was not cancelled");
            });
            event.await();
            assertEquals(0, t.cancelling());
            t.cancel();
            assertEquals(1, t.cancelling());
            awaitCancelled(t);
            assertTrue(t.cancelled());
            assertEquals(List.of("[IllegalStateException: RuntimeError], cancelling=1"), events);
            assertEquals(0.0, now());
        });
    }

    @Test
    void cancellationOfTheBodyDoesNotLeakOutOfAFailedGroup() {
        // test_cancellation_does_not_leak_out_of_tg
        runVirtual(() -> {
            assertThrows(ExceptionGroup.class, () -> TaskGroup.run(tg -> tg.createTask(() -> {
                throw new IllegalStateException("MyError");
            })));
            Asyncio.sleep(0); // would raise CancelledError if the group's own cancel leaked out
            Asyncio.sleep(1);
            assertEquals(1.0, now());
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void timeoutAroundAGroupRaisesTimeoutErrorAndCancelsTheTasks() {
        // test_exception_refcycles_propagate_cancellation_error (the behaviour, not the reference check)
        runVirtual(() -> {
            AtomicReference<Task<Void>> child = new AtomicReference<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.timeout(-1.0, () -> TaskGroup.run(tg -> {
                child.set(tg.createTask(() -> Asyncio.sleep(10)));
                Asyncio.sleep(0);
                return null;
            })));
            assertInstanceOf(CancelledError.class, e.getCause());
            assertTrue(child.get().cancelled());
            assertEquals(0, current().cancelling());
        });
    }

    // ---- unretrieved exceptions (reported deterministically, not at garbage collection: docs/asyncio-mapping.md) ------

    @Test
    void failuresCollectedIntoTheExceptionGroupAreNotReportedAgainAtClose() {
        List<ExceptionContext> seen;
        try (Runner runner = virtualRunner()) {
            seen = TestLoops.recordExceptions(runner.getLoop());
            runner.run(() -> {
                ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                    g.createTask(crashAfter(0.1, new IllegalStateException("collected")));
                    g.createTask(crashAfter(0.1, new IllegalArgumentException("collected too")));
                    return null;
                }));
                assertEquals(2, eg.exceptions().size());
                assertThrows(TimeoutError.class, () -> Asyncio.waitFor(Asyncio.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        Asyncio.sleep(0);
                    }
                }), Duration.ofSeconds(1)));
            });
        }
        assertEquals(List.of(), seen);
    }

    @Test
    void taskCreatedOutsideTheGroupThatNobodyAwaitedIsReportedWhenTheRunnerCloses() {
        List<ExceptionContext> seen;
        AtomicReference<Task<Void>> stray = new AtomicReference<>();
        try (Runner runner = virtualRunner()) {
            seen = TestLoops.recordExceptions(runner.getLoop());
            runner.run(() -> TaskGroup.run(g -> {
                stray.set(Asyncio.createTask(crashAfter(0.1, new IllegalStateException("nobody looked"))));
                g.createTask(() -> Asyncio.sleep(1));
                return null;
            }));
            assertEquals(List.of(), seen); // not yet: the runner is still open
        }
        assertEquals(1, seen.size());
        assertSame(stray.get(), seen.get(0).task());
        assertEquals("nobody looked", seen.get(0).exception().getMessage());
    }

    // ---- the group's life cycle (test_taskgroup_finished, test_taskgroup_without_parent_task, ...) --------

    @Test
    void createTaskAfterTheGroupEndedIsRejected() {
        // test_taskgroup_finished, test_coro_closed_when_tg_closed
        runVirtual(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            TaskGroup tg = TaskGroup.run(g -> g);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tg.createTask(() -> ran.set(true)));
            assertTrue(e.getMessage().contains("the group is finished"), e.getMessage());
            Asyncio.sleep(0);
            assertFalse(ran.get());
            assertEquals("TaskGroup[tasks=0, finished]", tg.toString());
        });
    }

    @Test
    void createTaskFromATaskAfterTheGroupEndedIsRejected() {
        runVirtual(() -> {
            AtomicReference<TaskGroup> group = new AtomicReference<>();
            Task<String> outsider = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                return assertThrows(IllegalStateException.class, () -> group.get().createTask(() -> { })).getMessage();
            });
            TaskGroup.run(g -> {
                group.set(g);
                g.createTask(() -> Asyncio.sleep(0.5));
                return null;
            });
            assertTrue(outsider.await().contains("the group is finished"));
        });
    }

    @Test
    void groupOutsideATaskIsRejected() {
        // test_taskgroup_without_parent_task
        runVirtual(() -> {
            Future<Throwable> seen = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> {
                try {
                    TaskGroup.run(g -> null);
                    seen.setResult(null);
                } catch (Throwable e) {
                    seen.setResult(e);
                }
            });
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, seen.await());
            assertTrue(e.getMessage().startsWith("TaskGroup.run() must be called inside a task"), e.getMessage());
        });
    }

    // ---- cancel() (asyncio 3.15) -------------------------------------------------------------------------

    @Test
    void cancelFromTheBodyStopsTheTasksAndTheBodyAndReturnsNormally() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AtomicReference<Task<Void>> child = new AtomicReference<>();
            String result = TaskGroup.run(g -> {
                child.set(g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError e) {
                        events.add("task cancelled at " + now());
                        throw e;
                    }
                }));
                Asyncio.sleep(0.5);
                g.cancel();
                events.add("body goes on until its next wait, cancelling=" + current().cancelling());
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    events.add("body cancelled at " + now());
                    throw e;
                }
                return "unreachable";
            });
            assertNull(result);
            assertEquals(List.of("body goes on until its next wait, cancelling=1", "body cancelled at 0.5",
                    "task cancelled at 0.5"), events);
            assertTrue(child.get().cancelled());
            assertEquals(0, current().cancelling());
            Asyncio.sleep(1); // no cancel left over
            assertEquals(1.5, now());
        });
    }

    @Test
    void cancelFromATaskStopsTheGroupWhichReturnsNormally() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Object result = TaskGroup.run(g -> {
                g.createTask(() -> {
                    Asyncio.sleep(0.5);
                    g.cancel();
                    events.add("the cancelling task ends normally");
                });
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } catch (CancelledError e) {
                        events.add("sibling cancelled at " + now());
                        throw e;
                    }
                });
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    events.add("body cancelled at " + now());
                    throw e;
                }
                return "unreachable";
            });
            assertNull(result);
            // as asyncio: the group cancels its tasks first, then the body
            assertEquals(List.of("the cancelling task ends normally", "sibling cancelled at 0.5",
                    "body cancelled at 0.5"), events);
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void cancelWhileTheGroupWaitsForItsTasksKeepsTheBodysValue() {
        runVirtual(() -> {
            String result = TaskGroup.run(g -> {
                g.createTask(() -> Asyncio.sleep(10));
                g.createTask(() -> {
                    Asyncio.sleep(1);
                    g.cancel();
                });
                return "body's value";
            });
            assertEquals("body's value", result);
            assertEquals(1.0, now());
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void outsideCancelWhileACancelledGroupWaitsForItsTasksLeavesTheGroup() {
        // asyncio gh-155433 (test_taskgroups.py): after tg.cancel(), an enclosing timeout expires while a child's
        // finally still runs. The group waits for the child (it does not abandon it), then must raise that
        // outside cancel, so the timeout turns it into TimeoutError and the cancel count is back to 0.
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.5, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        events.add("child cleans up at " + now());
                        Asyncio.sleep(1);
                    }
                });
                Asyncio.sleep(0.1);
                g.cancel();
                return "body's value";
            })));
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(List.of("child cleans up at 0.1"), events);
            assertEquals(1.1, now(), 1e-9);
            assertEquals(0, current().cancelling());
            Asyncio.sleep(1); // no cancel left behind
            assertEquals(2.1, now(), 1e-9);
        });
    }

    @Test
    void outsideCancelOfATaskWhoseGroupWasCancelledReachesTheCaller() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        Asyncio.sleep(1);
                        events.add("child ended at " + now());
                    }
                });
                Asyncio.sleep(0); // the child starts (a child cancelled before its first step never runs)
                g.cancel();
                return "body's value";
            }));
            Asyncio.sleep(0.5);
            r.cancel("from outside");
            CancelledError e = awaitCancelled(r);
            assertEquals("from outside", e.getMessage());
            assertEquals(List.of("child ended at 1.0"), events);
            assertEquals(1, r.cancelling());
        });
    }

    @Test
    void outsideCancelAfterATaskCancelledTheGroupDuringItsExitLeavesTheGroup() {
        // found by CancellationStressTest: g.cancel() while the group already waited at exit did not cancel the
        // parent, so exit() could not tell the outside cancel that came next from its own, and dropped it
        runVirtual(() -> {
            Task<String> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        Asyncio.sleep(1);
                    }
                });
                g.createTask(() -> {
                    Asyncio.sleep(0.25);
                    g.cancel();
                });
                return "body's value";
            }));
            assertThrows(TimeoutError.class, () -> Asyncio.waitFor(r, Duration.ofMillis(500)));
            assertTrue(r.cancelled());
            assertEquals(1.25, now());
        });
    }

    @Test
    void cancelIsIdempotentAndDoesNothingAfterTheGroupEnded() {
        runVirtual(() -> {
            TaskGroup done = TaskGroup.run(g -> {
                g.cancel();
                g.cancel();
                assertEquals(1, current().cancelling());
                return g;
            });
            // the body returned before its next wait: the cancel was withdrawn, the value kept
            assertEquals("TaskGroup[tasks=0, aborting, finished]", done.toString());
            assertEquals(0, current().cancelling());
            TaskGroup ended = TaskGroup.run(g -> g);
            ended.cancel();
            Asyncio.sleep(1);
            assertEquals(0, current().cancelling());
            assertEquals(1.0, now());
        });
    }

    @Test
    void cancelDoesNotHideATaskThatFailsWhileBeingCancelled() {
        runVirtual(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        throw new IllegalStateException("cleanup failed");
                    }
                });
                Asyncio.sleep(0.5);
                g.cancel();
                Asyncio.sleep(10);
                return null;
            }));
            assertEquals(List.of("IllegalStateException: cleanup failed"), messages(eg));
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void cancelDoesNotHideAnOutsideCancel() {
        runVirtual(() -> {
            Task<Object> r = Asyncio.createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> Asyncio.sleep(10));
                Asyncio.sleep(0.5);
                g.cancel();
                current().cancel("from outside");
                Asyncio.sleep(10);
                return "unreachable";
            }));
            awaitCancelled(r);
            assertEquals(1, r.cancelling());
            assertEquals(0.5, now());
        });
    }

    @Test
    void cancelOfAnInnerGroupLeavesTheOuterRunning() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            String result = TaskGroup.run(outer -> {
                Task<String> sibling = outer.createTask(() -> {
                    Asyncio.sleep(2);
                    return "outer task finished";
                });
                Object inner = TaskGroup.run(inner2 -> {
                    inner2.createTask(() -> Asyncio.sleep(10));
                    Asyncio.sleep(1);
                    inner2.cancel();
                    Asyncio.sleep(10);
                    return "unreachable";
                });
                events.add("inner returned " + inner + " at " + now() + ", cancelling=" + current().cancelling());
                return sibling.await();
            });
            assertEquals("outer task finished", result);
            assertEquals(List.of("inner returned null at 1.0, cancelling=0"), events);
            assertEquals(2.0, now());
        });
    }
}
