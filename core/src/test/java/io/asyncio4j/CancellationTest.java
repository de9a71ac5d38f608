package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import static io.asyncio4j.TestLoops.awaitCancelled;
import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Task cancellation as asyncio 3.11+ does it (CPython Lib/test/test_asyncio/test_tasks.py: cancel*,
 * cancelling, uncancel), plus its delivery to tasks parked in JDK calls, on virtual time.
 */
class CancellationTest {

    // ---- the basics (test_cancel, test_cancel_yield, test_cancel_*message*) ------------------------------

    @Test
    void cancelledSleepingTaskEndsCancelledAtOnce() {
        // test_cancel
        runVirtual(() -> {
            Task<Integer> t = Asyncio.createTask(() -> {
                Asyncio.sleep(10);
                return 12;
            });
            Asyncio.getRunningLoop().callSoon(t::cancel);
            awaitCancelled(t);
            assertTrue(t.done());
            assertTrue(t.cancelled());
            assertFalse(t.cancel());
            assertEquals(0.0, now());
        });
    }

    @Test
    void taskCancelledBetweenTwoYieldsEndsCancelled() {
        // test_cancel_yield
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Integer> t = Asyncio.createTask(() -> {
                events.add("started");
                Asyncio.sleep(0);
                events.add("after first yield");
                Asyncio.sleep(0);
                return 12;
            });
            Asyncio.sleep(0);
            t.cancel();
            awaitCancelled(t);
            assertEquals(List.of("started"), events);
            assertTrue(t.cancelled());
            assertFalse(t.cancel());
        });
    }

    @Test
    void taskCancelledBeforeItFirstRunsNeverRunsItsBody() {
        // test_cancel_with_message_before_starting_task
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                events.add("body ran");
                Asyncio.sleep(10);
            });
            t.cancel("my message");
            assertEquals("my message", awaitCancelled(t).getMessage());
            assertEquals("my message", assertThrows(CancelledError.class, t::exception).getMessage());
            assertEquals(List.of(), events);
        });
    }

    @Test
    void cancelMessageReachesTheCancelledErrorInsideTheTask() {
        // test_task_cancel_message_getter
        runVirtual(() -> {
            List<String> seen = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    seen.add(e.getMessage());
                    throw e;
                }
            });
            Asyncio.sleep(0);
            t.cancel("my message");
            awaitCancelled(t);
            assertEquals(List.of("my message"), seen);
        });
    }

    @Test
    void cancelMessageReachesResultAndExceptionOfTheCancelledTask() {
        // test_cancel_with_message_then_future_result / _exception
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
            Asyncio.sleep(0);
            t.cancel("my message");
            Asyncio.sleep(0);
            assertTrue(t.cancelled());
            assertEquals("my message", assertThrows(CancelledError.class, t::result).getMessage());
            assertEquals("my message", assertThrows(CancelledError.class, t::exception).getMessage());
        });
    }

    @Test
    void cancelWithoutMessageGivesACancelledErrorWithoutMessage() {
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
            Asyncio.sleep(0);
            t.cancel();
            assertNull(awaitCancelled(t).getMessage());
        });
    }

    @Test
    void cancelledErrorIsNotCaughtByCatchException() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (Exception e) {
                    events.add("swallowed by catch (Exception)");
                }
            });
            Asyncio.sleep(0);
            t.cancel();
            awaitCancelled(t);
            assertEquals(List.of(), events);
        });
    }

    // ---- awaited futures and tasks (test_cancel_inner_future, ..._task_catching, ..._ignoring) ------------

    @Test
    void cancellingTheAwaitedFutureCancelsTheTask() {
        // test_cancel_inner_future
        runVirtual(() -> {
            Future<Integer> f = new Future<>();
            Task<Integer> t = Asyncio.createTask(() -> f.await() + 12);
            Asyncio.sleep(0);
            f.cancel();
            awaitCancelled(t);
            assertTrue(f.cancelled());
            assertTrue(t.cancelled());
        });
    }

    @Test
    void cancellingBothTheTaskAndItsAwaitedFutureCancelsBoth() {
        // test_cancel_both_task_and_inner_future
        runVirtual(() -> {
            Future<Integer> f = new Future<>();
            Task<Integer> t = Asyncio.createTask(f::await);
            Asyncio.sleep(0);
            f.cancel();
            t.cancel();
            awaitCancelled(t);
            assertTrue(f.cancelled());
            assertTrue(t.cancelled());
        });
    }

    @Test
    void cancelIsForwardedToTheAwaitedFuture() {
        // test_task_cancel_waiter_future
        runVirtual(() -> {
            Future<Integer> f = new Future<>();
            Task<Integer> t = Asyncio.createTask(f::await);
            Asyncio.sleep(0);
            t.cancel();
            assertTrue(f.cancelled()); // at once, as asyncio's _fut_waiter.cancel()
            awaitCancelled(t);
        });
    }

    @Test
    void taskThatCatchesCancelledErrorAndReturnsEndsDoneNotCancelled() {
        // test_cancel_task_catching
        runVirtual(() -> {
            Future<Void> fut1 = new Future<>();
            Future<Void> fut2 = new Future<>();
            Task<Integer> t = Asyncio.createTask(() -> {
                fut1.await();
                try {
                    fut2.await();
                } catch (CancelledError e) {
                    return 42;
                }
                return 0;
            });
            Asyncio.sleep(0);
            fut1.setResult(null);
            Asyncio.sleep(0);
            t.cancel();
            assertTrue(fut2.cancelled());
            assertEquals(42, t.await());
            assertFalse(t.cancelled());
        });
    }

    @Test
    void taskThatIgnoresTheCancelGoesOnAwaitingTheNextFuture() {
        // test_cancel_task_ignoring
        runVirtual(() -> {
            Future<Void> fut1 = new Future<>();
            Future<Void> fut2 = new Future<>();
            Future<Integer> fut3 = new Future<>();
            Task<Integer> t = Asyncio.createTask(() -> {
                fut1.await();
                try {
                    fut2.await();
                } catch (CancelledError ignored) {
                    // refuse the cancellation
                }
                return fut3.await();
            });
            Asyncio.sleep(0);
            fut1.setResult(null);
            Asyncio.sleep(0);
            t.cancel();
            assertTrue(fut2.cancelled());
            Asyncio.sleep(0);
            fut3.setResult(42);
            assertEquals(42, t.await());
            assertFalse(fut3.cancelled());
            assertFalse(t.cancelled());
        });
    }

    @Test
    void cancelIsForwardedToAnAwaitedTask() {
        // test_task_cancel_sleeping_task
        runVirtual(() -> {
            Task<String> sleeper = Asyncio.createTask(() -> {
                Asyncio.sleep(5000);
                return "slept in";
            });
            Task<String> doer = Asyncio.createTask(() -> {
                try {
                    return sleeper.await();
                } catch (CancelledError e) {
                    return "cancelled";
                }
            });
            Asyncio.getRunningLoop().callLater(0.1, sleeper::cancel);
            assertEquals("cancelled", doer.await());
            assertTrue(sleeper.cancelled());
            assertEquals(0.1, now());
        });
    }

    @Test
    void cancellingAWaiterCancelsTheTaskItAwaitsAndTheWaiterEndsCancelled() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    events.add("inner cancelled: " + e.getMessage());
                    throw e;
                }
            });
            Task<Void> waiter = Asyncio.createTask(() -> inner.await());
            Asyncio.sleep(0);
            waiter.cancel("stop");
            assertEquals("stop", awaitCancelled(waiter).getMessage());
            assertTrue(inner.cancelled());
            assertTrue(waiter.cancelled());
            assertEquals(List.of("inner cancelled: stop"), events);
        });
    }

    @Test
    void waiterGetsTheResultWhenTheAwaitedTaskSwallowsTheForwardedCancel() {
        runVirtual(() -> {
            Task<String> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                    return "slept";
                } catch (CancelledError e) {
                    return "swallowed";
                }
            });
            Task<String> waiter = Asyncio.createTask(() -> "got " + inner.await());
            Asyncio.sleep(0);
            assertTrue(waiter.cancel());
            assertEquals("got swallowed", waiter.await());
            assertFalse(waiter.cancelled());
            assertFalse(inner.cancelled());
            assertEquals(1, waiter.cancelling());
        });
    }

    @Test
    void cancelAfterTheAwaitedFutureCompletedButBeforeTheWaiterResumedStillRaisesAtTheAwait() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<String> f = new Future<>();
            Task<String> t = Asyncio.createTask(() -> {
                try {
                    return f.await();
                } catch (CancelledError e) {
                    events.add("CancelledError at the await");
                    throw e;
                }
            });
            Asyncio.sleep(0);
            f.setResult("value"); // t is runnable now but has not resumed
            assertTrue(t.cancel());
            awaitCancelled(t);
            assertEquals(List.of("CancelledError at the await"), events);
            assertFalse(f.cancelled());
            assertEquals("value", f.result());
        });
    }

    @Test
    void taskCancelledTwiceWhileAwaitingAFutureSeesTheFirstMessage() {
        // asyncio: cancel("a") is forwarded to the awaited future, which is then cancelled with "a"; cancel("b")
        // finds it done and is only remembered (_must_cancel), and the task resumes with the future's own
        // CancelledError, which keeps "a"
        runVirtual(() -> {
            List<String> seen = new ArrayList<>();
            Future<Void> f = new Future<>();
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    f.await();
                } catch (CancelledError e) {
                    seen.add(e.getMessage());
                    throw e;
                }
            });
            Asyncio.sleep(0);
            assertTrue(t.cancel("a"));
            assertTrue(t.cancel("b"));
            assertEquals(2, t.cancelling());
            awaitCancelled(t);
            assertEquals(List.of("a"), seen);
            assertEquals("a", assertThrows(CancelledError.class, f::result).getMessage());
        });
    }

    @Test
    void taskCancelledTwiceBeforeItsFirstStepSeesTheLastMessage() {
        // asyncio: nothing is awaited yet, so each cancel replaces the message the first step will raise
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
            t.cancel("a");
            t.cancel("b");
            assertEquals("b", awaitCancelled(t).getMessage());
        });
    }

    @Test
    void cancellingAnOuterTaskCancelsTheFutureAwaitedByAPlainMethodCall() {
        // test_yield_future_passes_cancel
        runVirtual(() -> {
            int[] proof = {0};
            Future<Void> waiter = new Future<>();
            Task<Void> outer = Asyncio.createTask(() -> {
                try {
                    innerAwait(waiter, proof);
                } catch (CancelledError e) {
                    proof[0] += 100;
                    return;
                }
                proof[0] += 10;
            });
            Asyncio.sleep(0);
            outer.cancel();
            outer.await();
            assertEquals(101, proof[0]);
            assertTrue(waiter.cancelled());
            assertFalse(outer.cancelled());
        });
    }

    private static void innerAwait(Future<Void> waiter, int[] proof) {
        try {
            waiter.await();
        } catch (CancelledError e) {
            proof[0] += 1;
            throw e;
        }
    }

    // ---- cancelling oneself (test_cancel_current_task, test_cancel_at_end, test_cancel_awaited_task) ------

    @Test
    void selfCancelIsDeliveredAtTheNextWait() {
        // test_cancel_current_task
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Integer> t = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel();
                events.add("still running after cancel()");
                Asyncio.sleep(100);
                events.add("slept");
                return 12;
            });
            awaitCancelled(t);
            assertEquals(List.of("still running after cancel()"), events);
            assertTrue(t.cancelled());
            assertFalse(t.cancel());
            assertEquals(0.0, now());
        });
    }

    @Test
    void taskThatCancelsItselfAndReturnsEndsCancelled() {
        // test_cancel_at_end
        runVirtual(() -> {
            Task<Integer> t = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel();
                return 12;
            });
            awaitCancelled(t);
            assertTrue(t.cancelled());
            assertFalse(t.cancel());
        });
    }

    @Test
    void selfCancelledTaskCancelsTheTaskItThenAwaits() {
        // test_cancel_awaited_task (bpo-34872)
        runVirtual(() -> {
            Future<Void> fut = new Future<>();
            AtomicReference<Task<Void>> nested = new AtomicReference<>();
            Task<Void> task = Asyncio.createTask(() -> {
                nested.set(Asyncio.createTask(() -> fut.await()));
                Asyncio.sleep(0);
                Asyncio.currentTask().cancel();
                nested.get().await();
            });
            awaitCancelled(task);
            assertTrue(task.cancelled());
            assertTrue(nested.get().cancelled());
            assertTrue(fut.cancelled());
        });
    }

    @Test
    void selfCancelledTaskCancelsThePlainFutureItThenAwaitsAndEndsCancelled() {
        // asyncio's __step registers the wakeup on the future before it forwards a pending cancel to it
        runVirtual(() -> {
            Future<String> fut = new Future<>();
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel("self");
                return fut.await();
            });
            Asyncio.sleep(1);
            assertTrue(t.done(), "the task still waits for the future it cancelled itself");
            assertTrue(fut.cancelled());
            assertTrue(t.cancelled());
            assertEquals("self", awaitCancelled(t).getMessage());
        });
    }

    @Test
    void cancellationCanBeChainedAsTheCauseOfAnotherFailure() {
        // test_cancellation_exception_context
        runVirtual(() -> {
            Future<Void> started = new Future<>();
            Task<Void> outer = Asyncio.createTask(() -> {
                Task<Void> inner = Asyncio.createTask(() -> {
                    started.setResult(null);
                    Asyncio.sleep(10);
                });
                started.await();
                Asyncio.getRunningLoop().callSoon(() -> inner.cancel("msg"));
                try {
                    inner.await();
                } catch (CancelledError e) {
                    throw new IllegalStateException("cancelled", e);
                }
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, outer::await);
            assertEquals("cancelled", e.getMessage());
            assertTrue(e.getCause() instanceof CancelledError);
            assertEquals("msg", e.getCause().getMessage());
            assertFalse(outer.cancelled());
        });
    }

    // ---- cancelling() / uncancel() (asyncio 3.11+) --------------------------------------------------------

    @Test
    void cancellingCountsCancelRequests() {
        // test_cancelling
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
            assertEquals(0, t.cancelling());
            assertFalse(t.toString().contains("cancelling"));
            assertTrue(t.cancel());
            assertEquals(1, t.cancelling());
            assertTrue(t.toString().contains("cancelling"));
            assertTrue(t.cancel());
            assertEquals(2, t.cancelling());
            awaitCancelled(t);
        });
    }

    @Test
    void aCancelWithdrawnByTheTaskItselfLeavesNoInterruptForItsNextJdkCall() {
        // The task cancels itself while running (cancel() interrupts its thread to reach a JDK call), then
        // withdraws the cancel as a timeout scope would: its next Thread.sleep must not be interrupted.
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                Task<?> me = Asyncio.currentTask();
                me.cancel();
                me.uncancel();
                Thread.sleep(1);
                events.add("slept");
                Asyncio.sleep(1);
                events.add("slept on the loop");
            });
            t.await();
            events.add("done, cancelled=" + t.cancelled());
        });
        assertEquals(List.of("slept", "slept on the loop", "done, cancelled=false"), events);
    }

    @Test
    void uncancelUndoesOneCancelRequestAndTheTaskGoesOn() {
        // test_uncancel_basic
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.currentTask().uncancel();
                    Asyncio.sleep(10);
                }
            });
            Asyncio.sleep(0.01);
            assertTrue(t.cancel());
            assertEquals(1, t.cancelling());
            assertFalse(t.cancelled());
            Asyncio.sleep(0.01);
            assertEquals(0, t.cancelling());
            assertFalse(t.toString().contains("cancelling"));
            assertFalse(t.done());
            assertTrue(t.cancel());
            assertEquals(1, t.cancelling());
            awaitCancelled(t);
            assertTrue(t.cancelled());
            t.uncancel(); // no effect once the task is done
            assertTrue(t.cancelled());
            assertTrue(t.done());
        });
    }

    @Test
    void aSleepCancelledAndAtOnceUncancelledStillRaises() {
        // asyncio: cancel() cancels the future the sleep awaits; uncancel() right after only lowers the count, so
        // the sleep raises CancelledError (with cancelling() == 0) instead of returning early as if it had slept.
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                    events.add("slept until " + now());
                } catch (CancelledError e) {
                    events.add("cancelled at " + now() + ", cancelling() = " + Asyncio.currentTask().cancelling());
                }
            });
            Asyncio.sleep(1);
            assertTrue(t.cancel());
            assertEquals(0, t.uncancel());
            t.await();
        });
        assertEquals(List.of("cancelled at 1.0, cancelling() = 0"), events);
    }

    @Test
    void uncancelNeverGoesBelowZero() {
        runVirtual(() -> {
            Task<?> me = Asyncio.currentTask();
            assertEquals(0, me.uncancel());
            assertEquals(0, me.cancelling());
        });
    }

    @Test
    void uncancelToZeroWithdrawsACancelNotYetDelivered() {
        // test_uncancel_resets_must_cancel (asyncio 3.13)
        runVirtual(() -> {
            Future<Void> fut = new Future<>();
            Task<Integer> t = Asyncio.createTask(() -> {
                fut.await();
                return 42;
            });
            Asyncio.sleep(0);
            fut.setResult(null); // t is runnable, not resumed yet
            t.cancel();
            assertEquals(1, t.cancelling());
            assertEquals(0, t.uncancel());
            assertEquals(0, t.cancelling());
            assertEquals(42, t.await());
            assertFalse(t.cancelled());
        });
    }

    @Test
    void cancelWithdrawnWhileTheTaskWasRunnableDoesNotCancelItsNextWait() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                Asyncio.sleep(1);
                events.add("slept at " + now());
                return "done";
            });
            Asyncio.sleep(0); // t is queued to resume from sleep(0)
            t.cancel();
            assertEquals(0, t.uncancel());
            assertEquals("done", t.await());
            assertEquals(List.of("slept at 1.0"), events);
            assertEquals(0, t.cancelling());
        });
    }

    @Test
    void uncancelAboveZeroKeepsThePendingCancel() {
        runVirtual(() -> {
            Future<Void> fut = new Future<>();
            Task<Integer> t = Asyncio.createTask(() -> {
                fut.await();
                return 42;
            });
            Asyncio.sleep(0);
            fut.setResult(null);
            t.cancel();
            t.cancel();
            assertEquals(1, t.uncancel());
            awaitCancelled(t);
        });
    }

    @Test
    void uncancelLetsAStructuredBlockTurnItsOwnCancelIntoATimeout() {
        // test_uncancel_structured_blocks
        runVirtual(() -> {
            Task<String> timedOut = Asyncio.createTask(() -> requestWithTimeout(10.0, 0.1));
            assertEquals("timed out=true, block finished=false, outer code reached", timedOut.await());
            assertEquals(0, timedOut.cancelling());
            assertEquals(0.1, now());
            Task<String> inTime = Asyncio.createTask(() -> requestWithTimeout(0, 10.0));
            assertEquals("timed out=false, block finished=true, outer code reached", inTime.await());
            assertEquals(0, inTime.cancelling());
        });
    }

    private static String requestWithTimeout(double sleep, double timeout) {
        Task<?> task = Asyncio.currentTask();
        boolean[] timedOut = {false};
        boolean blockFinished = false;
        TimerHandle handle = task.getLoop().callLater(timeout, () -> {
            timedOut[0] = true;
            task.cancel();
        });
        try {
            try {
                Asyncio.sleep(sleep);
                blockFinished = true;
            } catch (CancelledError e) {
                if (timedOut[0] && task.uncancel() == 0) {
                    throw new TimeoutError("timed out", e);
                }
                throw e;
            } finally {
                handle.cancel();
            }
        } catch (TimeoutError e) {
            assertTrue(timedOut[0]);
        }
        Asyncio.sleep(0); // outer code, not affected by the timeout
        return "timed out=" + timedOut[0] + ", block finished=" + blockFinished + ", outer code reached";
    }

    // ---- tasks parked in JDK calls (cancel delivered by interrupt) ---------------------------------------

    @Test
    void cancellingATaskParkedInThreadSleepEndsItCancelled() {
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> Thread.sleep(60_000));
            Asyncio.sleep(0);
            t.cancel("stop sleeping");
            assertEquals("stop sleeping", awaitCancelled(t).getMessage());
            assertTrue(t.cancelled());
        });
    }

    @Test
    void cancellingATaskParkedInBlockingQueueTakeEndsItCancelled() {
        runVirtual(() -> {
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            Task<String> t = Asyncio.createTask(queue::take);
            Asyncio.sleep(0);
            t.cancel();
            awaitCancelled(t);
            assertTrue(t.cancelled());
        });
    }

    @Test
    void cancellingATaskParkedOnAJdkLockEndsItCancelled() {
        runVirtual(() -> {
            ReentrantLock lock = new ReentrantLock();
            lock.lock();
            try {
                Task<Void> t = Asyncio.createTask(() -> {
                    lock.lockInterruptibly();
                    lock.unlock();
                });
                Asyncio.sleep(0);
                assertTrue(lock.hasQueuedThreads());
                t.cancel();
                awaitCancelled(t);
                assertTrue(t.cancelled());
            } finally {
                lock.unlock();
            }
        });
    }

    @Test
    void cancelOfATaskWokenFromAJdkCallButNotYetResumedReachesItsNextJdkCall() {
        runVirtual(() -> {
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            List<String> got = new ArrayList<>();
            Task<Void> consumer = Asyncio.createTask(() -> {
                while (true) {
                    got.add(queue.take());
                }
            });
            Asyncio.sleep(0); // the consumer parks in take()
            queue.put("item"); // the consumer is runnable now, but this task still holds the loop
            consumer.cancel();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertEquals(List.of("item"), got);
            assertTrue(consumer.done(), "the cancel was lost: the consumer waits in take() again");
            assertTrue(consumer.cancelled());
        });
    }

    @Test
    void selfCancelledTaskEndsCancelledAtItsNextJdkCall() {
        runVirtual(() -> {
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel();
                return queue.take();
            });
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(t.done(), "the cancel was lost: the task waits in take()");
            assertTrue(t.cancelled());
        });
    }

    @Test
    void taskCancelledAfterItWasWokenFromSleepCountsTheCancelOnceAndKeepsItsMessage() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(1);
                    events.add("slept"); // never: the cancel arrives before the task resumes (asyncio too)
                } catch (CancelledError e) {
                    events.add("cancelled: " + e.getMessage());
                }
                Thread.sleep(1); // a JDK wait after a swallowed cancel must not see a stale interrupt
                events.add("went on");
            });
            Asyncio.sleep(1); // t's timer is due at the same time: t is woken, this task runs first
            t.cancel("stop");
            assertEquals(1, t.cancelling());
            t.await();
            assertEquals(1, t.cancelling());
            assertEquals(List.of("cancelled: stop", "went on"), events);
        });
    }

    @Test
    void taskThatSwallowsTheInterruptGetsTheCancelAtItsNextWait() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    events.add("interrupted");
                }
                try {
                    Asyncio.sleep(1);
                } catch (CancelledError e) {
                    events.add("CancelledError at the next wait");
                    throw e;
                }
            });
            Asyncio.sleep(0);
            t.cancel();
            awaitCancelled(t);
            assertEquals(List.of("interrupted", "CancelledError at the next wait"), events);
            assertEquals(0.0, now());
        });
    }

    @Test
    void awaitingACancelledTaskRaisesInTheWaiterWithoutCancellingIt() {
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
            Asyncio.sleep(0);
            t.cancel();
            awaitCancelled(t);
            assertEquals(0, Asyncio.currentTask().cancelling());
            Asyncio.sleep(1); // the waiter itself goes on
            assertEquals(1.0, now());
        });
    }
}
