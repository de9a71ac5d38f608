package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.QueueEmpty;
import io.asyncio4j.QueueFull;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Queue}'s direct hand-off both ways and what {@code qsize}, {@code empty} and {@code full} report
 * meanwhile (queues hand off FIFO both ways). Where asyncio behaves differently, the test says which
 * asyncio test it mirrors and why.
 */
class QueueHandOffTest {

    // Mirrors test_put_with_waiting_getters. asyncio buffers the item and wakes the getter: until it runs,
    // qsize() is 1 and a newcomer's get_nowait() takes the item. Here it is the waiting getter's at once.
    @Test
    void putToAWaitingGetterHandsTheItemPastTheBuffer() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait("a");
            assertEquals(0, q.qsize());
            assertTrue(q.empty());
            assertThrows(QueueEmpty.class, q::getNowait);
            assertEquals("Queue[maxsize=0, qsize=0, getters=0, putters=0, unfinished=1]", q.toString());
            assertEquals("a", getter.await());
        });
    }

    @Test
    void putToAWaitingGetterDoesNotSwitchTasks() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            List<String> events = new ArrayList<>();
            Asyncio.createTask(() -> events.add("got " + q.get()));
            Asyncio.sleep(0);
            q.put("a");
            events.add("put returned");
            Asyncio.sleep(0);
            assertEquals(List.of("put returned", "got a"), events);
        });
    }

    @Test
    void waitingGettersAreServedInArrivalOrder() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            List<String> events = new ArrayList<>();
            List<Task<Boolean>> getters = new ArrayList<>();
            for (String name : List.of("g1", "g2", "g3")) {
                getters.add(Asyncio.createTask(() -> events.add(name + " got " + q.get())));
            }
            Asyncio.sleep(0);
            q.put(1);
            q.put(2);
            Task<Boolean> late = Asyncio.createTask(() -> events.add("late got " + q.get()));
            q.put(3);
            q.put(4);
            Asyncio.gather(getters);
            late.await();
            // late starts (and takes 4 from the buffer) before g3 resumes, but 3 was handed to g3 already
            assertEquals(List.of("g1 got 1", "g2 got 2", "late got 4", "g3 got 3"), events);
        });
    }

    // Mirrors test_get_with_putters and test_put_cancelled_race's ordering. asyncio (gh-83055) lets a
    // newcomer's put_nowait() take the slot that get() freed, and the woken putter goes back to waiting;
    // here the slot is reserved for the longest-waiting putter.
    @Test
    void slotFreedByAGetIsReservedForTheLongestWaitingPutter() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("x");
            Task<Void> putter = Asyncio.createTask(() -> q.put("y"));
            Asyncio.sleep(0);
            assertEquals("x", q.getNowait());
            assertEquals(0, q.qsize());
            assertTrue(q.full());
            assertThrows(QueueFull.class, () -> q.putNowait("newcomer"));
            assertEquals("Queue[maxsize=1, qsize=0, getters=0, putters=0, unfinished=1]", q.toString());
            putter.await();
            assertEquals("y", q.getNowait());
        });
    }

    @Test
    void blockedPuttersAreServedInArrivalOrderAheadOfNewcomers() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("first");
            for (String item : List.of("p1", "p2", "p3")) {
                Asyncio.createTask(() -> q.put(item));
            }
            Asyncio.sleep(0);
            List<String> out = new ArrayList<>();
            out.add(q.get());
            Task<Void> newcomer = Asyncio.createTask(() -> q.put("newcomer"));
            assertThrows(QueueFull.class, () -> q.putNowait("nowait newcomer"));
            for (int i = 0; i < 4; i++) {
                out.add(q.get());
            }
            newcomer.await();
            assertEquals(List.of("first", "p1", "p2", "p3", "newcomer"), out);
        });
    }

    // The documented relation: empty() exactly when getNowait() raises, full() (on an open queue) exactly
    // when putNowait() raises QueueFull; qsize() counts buffered items only.
    @Test
    void qsizeEmptyAndFullAgreeWithTheNowaitMethodsThroughHandOffs() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            Task<Integer> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            assertState(q, 0, true, false);

            q.putNowait(1);                       // handed to the getter, which has not resumed
            assertState(q, 0, true, true);
            Asyncio.sleep(0);                     // the getter resumed: its slot is free again
            assertEquals(1, getter.result());
            assertState(q, 0, true, false);

            q.putNowait(2);
            assertState(q, 1, false, true);
            Task<Void> putter = Asyncio.createTask(() -> q.put(3));
            Asyncio.sleep(0);
            assertEquals(2, q.getNowait());       // the slot is reserved for the putter
            assertState(q, 0, true, true);
            Asyncio.sleep(0);
            assertTrue(putter.done());
            assertState(q, 1, false, true);
            assertEquals(3, q.getNowait());
            assertState(q, 0, true, false);
            q.putNowait(4);                       // not full: putNowait succeeds
            assertEquals(4, q.getNowait());       // not empty: getNowait succeeds
        });
    }

    private static void assertState(Queue<Integer> q, int qsize, boolean empty, boolean full) {
        assertEquals(qsize, q.qsize(), q.toString());
        assertEquals(empty, q.empty(), q.toString());
        assertEquals(full, q.full(), q.toString());
        if (empty) {
            assertThrows(QueueEmpty.class, q::getNowait);
        }
        if (full) {
            assertThrows(QueueFull.class, () -> q.putNowait(-1));
        }
    }

    // A getter and a putter can wait at the same time: the one slot is held by an item handed to a getter
    // that has not resumed. (asyncio: the item sits in the buffer, full() is true, the putter waits too.)
    @Test
    void putterWaitingBehindAHandedItemGetsInWhenThatGetterResumes() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            List<String> events = new ArrayList<>();
            Task<Boolean> g1 = Asyncio.createTask(() -> events.add("g1 got " + q.get()));
            Task<Boolean> g2 = Asyncio.createTask(() -> events.add("g2 got " + q.get()));
            Asyncio.sleep(0);
            q.putNowait("a");                     // handed to g1, which has not resumed: the queue is full
            Task<Boolean> p = Asyncio.createTask(() -> {
                q.put("b");
                return events.add("p put b");
            });
            assertTrue(q.full());
            assertFalse(p.done());
            Asyncio.gather(List.of(g1, g2, p));
            assertEquals(List.of("g1 got a", "p put b", "g2 got b"), events);
            assertEquals("Queue[maxsize=1, qsize=0, getters=0, putters=0, unfinished=2]", q.toString());
        });
    }
}
