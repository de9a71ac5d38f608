package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.now;
import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Event} as asyncio's (CPython Lib/test/test_asyncio/test_locks.py, EventTests), on virtual time. */
class EventTest {

    @Test
    void toStringShowsTheFlagAndTheWaiters() { // test_repr
        runVirtual(() -> {
            Event ev = new Event();
            assertEquals("Event[unset, waiters=0]", ev.toString());
            Task<Boolean> waiter = Asyncio.createTask(ev::await);
            Asyncio.sleep(0);
            assertEquals("Event[unset, waiters=1]", ev.toString());
            ev.set();
            assertEquals("Event[set, waiters=0]", ev.toString());
            assertTrue(waiter.await());
        });
    }

    @Test
    void toStringWorksFromAnyThread() {
        Event ev = new Event();
        assertEquals("Event[unset, waiters=0]", ev.toString());
    }

    @Test
    void aTaskFindingTheEventSetRunsBeforeTheWokenWaitersWhichRunInArrivalOrder() { // test_wait
        runVirtual(() -> {
            Event ev = new Event();
            assertFalse(ev.isSet());
            List<Integer> result = new ArrayList<>();
            Task<Void> t1 = Asyncio.createTask(() -> {
                if (ev.await()) {
                    result.add(1);
                }
            });
            Task<Void> t2 = Asyncio.createTask(() -> {
                if (ev.await()) {
                    result.add(2);
                }
            });
            Asyncio.sleep(0);
            assertEquals(List.of(), result);

            Task<Void> t3 = Asyncio.createTask(() -> {
                if (ev.await()) {
                    result.add(3);
                }
            });
            ev.set();
            Asyncio.sleep(0);
            assertEquals(List.of(3, 1, 2), result);
            assertTrue(t1.done() && t2.done() && t3.done());
        });
    }

    @Test
    void awaitingASetEventReturnsTrueWithoutSwitchingTasks() { // test_wait_on_set
        runVirtual(() -> {
            Event ev = new Event();
            ev.set();
            List<String> events = new ArrayList<>();
            Task<Void> other = Asyncio.createTask(() -> {
                events.add("other ran");
            });
            assertTrue(ev.await());
            events.add("awaited");
            other.await();
            assertEquals(List.of("awaited", "other ran"), events);
        });
    }

    @Test
    void aWaiterCancelledWhileWaitingLeavesTheQueue() { // test_wait_cancel
        runVirtual(() -> {
            Event ev = new Event();
            Task<Boolean> waiter = Asyncio.createTask(ev::await);
            Asyncio.getRunningLoop().callSoon(() -> waiter.cancel());
            assertThrows(CancelledError.class, waiter::await);
            assertTrue(waiter.cancelled());
            assertEquals("Event[unset, waiters=0]", ev.toString());
        });
    }

    @Test
    void clearLowersTheFlag() { // test_clear
        runVirtual(() -> {
            Event ev = new Event();
            assertFalse(ev.isSet());
            ev.set();
            assertTrue(ev.isSet());
            ev.clear();
            assertFalse(ev.isSet());
        });
    }

    @Test
    void aWaiterWokenBySetReturnsTrueEvenIfTheEventIsClearedBeforeItResumes() { // test_clear_with_waiters
        runVirtual(() -> {
            Event ev = new Event();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t = Asyncio.createTask(() -> {
                if (ev.await()) {
                    result.add(1);
                }
                return true;
            });
            Asyncio.sleep(0);
            assertEquals(List.of(), result);

            ev.set();
            ev.clear();
            assertFalse(ev.isSet());
            ev.set();
            ev.set();
            // asyncio keeps the woken waiter in _waiters until it resumes (len == 1 here); our set() hands the
            // wake-up and removes the waiter from the queue at once
            assertEquals("Event[set, waiters=0]", ev.toString());

            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(t.done());
            assertTrue(t.result());
        });
    }

    @Test
    void aWaiterWokenBySetStaysWokenWhenTheEventIsClearedAtOnce() {
        runVirtual(() -> {
            Event ev = new Event();
            Task<Boolean> waiter = Asyncio.createTask(ev::await);
            Asyncio.sleep(0);
            ev.set();
            ev.clear();
            assertTrue(waiter.await());
            assertFalse(ev.isSet());
            // a task arriving now waits for the next set()
            Task<Boolean> late = Asyncio.createTask(ev::await);
            Asyncio.sleep(1);
            assertFalse(late.done());
            late.cancel();
        });
    }

    @Test
    void setWakesEveryWaiterInArrivalOrder() {
        runVirtual(() -> {
            Event ev = new Event();
            List<String> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                tasks.add(Asyncio.createTask(() -> {
                    ev.await();
                    order.add(name);
                }));
            }
            Asyncio.sleep(0);
            assertEquals("Event[unset, waiters=4]", ev.toString());
            ev.set();
            Asyncio.gather(tasks);
            assertEquals(List.of("a", "b", "c", "d"), order);
        });
    }

    @Test
    void setFromALoopCallbackWakesTheWaiters() {
        runVirtual(() -> {
            Event ev = new Event();
            Asyncio.getRunningLoop().callLater(2.5, ev::set);
            assertTrue(ev.await());
            assertEquals(2.5, now());
        });
    }

    @Test
    void aWaiterCancelledAfterSetRaisesAndTheOthersStillWake() {
        runVirtual(() -> {
            Event ev = new Event();
            List<String> events = new ArrayList<>();
            Task<Void> a = Asyncio.createTask(() -> {
                ev.await();
                events.add("a woke");
            });
            Task<Void> b = Asyncio.createTask(() -> {
                ev.await();
                events.add("b woke");
            });
            Asyncio.sleep(0);
            ev.set();        // both woken
            a.cancel();      // before a resumes: asyncio raises CancelledError at its await as well
            assertThrows(CancelledError.class, a::await);
            b.await();
            assertEquals(List.of("b woke"), events);
            assertTrue(ev.isSet());
        });
    }

    @Test
    void aTimeoutAroundAwaitRaisesTimeoutErrorAndLeavesNoWaiter() {
        runVirtual(() -> {
            Event ev = new Event();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(1.5, ev::await));
            assertEquals(1.5, now());
            assertEquals("Event[unset, waiters=0]", ev.toString());
            Asyncio.getRunningLoop().callLater(1, ev::set);
            assertTrue(Asyncio.waitFor(ev::await, 5.0));
            assertEquals(2.5, now());
        });
    }

    @Test
    void aCancelPendingBeforeAwaitOnAnUnsetEventIsRaisedAtOnce() {
        runVirtual(() -> {
            Event ev = new Event();
            Task<String> t = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel();
                try {
                    ev.await();
                    return "returned";
                } catch (CancelledError e) {
                    return ev.toString();
                }
            });
            assertEquals("Event[unset, waiters=0]", t.await());
        });
    }

    @Test
    void usingAnEventFromAPlainThreadIsAClearError() {
        Event ev = new Event();
        IllegalStateException e = assertThrows(IllegalStateException.class, ev::set);
        assertTrue(e.getMessage().contains("Event.set()"), e.getMessage());
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    }

    @Test
    void usingAnEventFromASecondLoopIsAClearError() {
        Event ev = new Event();
        runVirtual(ev::set);
        try (Runner second = Runner.builder().virtualTime(true).build()) {
            IllegalStateException e = second.run(() -> assertThrows(IllegalStateException.class, ev::await));
            assertTrue(e.getMessage().contains("Event.await()"), e.getMessage());
            assertTrue(e.getMessage().contains("bound to"), e.getMessage());
        }
    }
}
