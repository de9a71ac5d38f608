package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PriorityQueue} (test_queues.py's PriorityQueueTests; its join and shutdown tests run in
 * {@link QueueShutdownTest}), plus stability, comparators and ordering around hand-off.
 */
class PriorityQueueTest {

    record Job(int priority, String name) {
    }

    private static final Comparator<Job> BY_PRIORITY = Comparator.comparingInt(Job::priority);

    // test_order
    @Test
    void itemsComeOutSmallestFirst() {
        runVirtual(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            assertEquals(List.of(1, 2, 3), List.of(q.get(), q.get(), q.get()));
        });
    }

    @Test
    void equalPrioritiesComeOutInPutOrder() {
        runVirtual(() -> {
            PriorityQueue<Job> q = new PriorityQueue<>(BY_PRIORITY);
            for (String spec : List.of("1a", "0b", "1c", "0d", "1e", "0f")) {
                q.putNowait(new Job(spec.charAt(0) - '0', spec.substring(1)));
            }
            List<String> out = new ArrayList<>();
            while (!q.empty()) {
                out.add(q.getNowait().name());
            }
            assertEquals(List.of("b", "d", "f", "a", "c", "e"), out);
        });
    }

    @Test
    void aComparatorDecidesTheOrder() {
        runVirtual(() -> {
            PriorityQueue<String> q = new PriorityQueue<>(Comparator.comparing(String::length).reversed());
            for (String s : List.of("bb", "a", "dddd", "ccc")) {
                q.put(s);
            }
            assertEquals(List.of("dddd", "ccc", "bb", "a"), List.of(q.get(), q.get(), q.get(), q.get()));
        });
    }

    @Test
    void nonComparableItemOfANaturalOrderQueueIsRejectedBeforeAnythingChanges() {
        runVirtual(() -> {
            PriorityQueue<Object> q = new PriorityQueue<>();
            Task<Object> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            ClassCastException e = assertThrows(ClassCastException.class, () -> q.putNowait(new Object()));
            assertTrue(e.getMessage().contains("is not Comparable; give the PriorityQueue a Comparator"), e.getMessage());
            assertEquals("PriorityQueue[maxsize=0, qsize=0, getters=1, putters=0, unfinished=0]", q.toString());
            assertFalse(getter.done());
            q.putNowait("comparable");
            assertEquals("comparable", getter.await());
        });
    }

    @Test
    void blockedPutterOfABoundedQueueGetsInInArrivalOrder() {
        runVirtual(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>(2);
            q.put(5);
            q.put(9);
            Task<Void> putter = Asyncio.createTask(() -> q.put(1));
            Asyncio.sleep(0);
            assertTrue(q.full());
            assertEquals(5, q.get());
            putter.await();
            assertEquals(List.of(1, 9), List.of(q.get(), q.get()));
        });
    }

    // Mirrors test_order with getters waiting. asyncio buffers 5 and 1 and wakes two getters; each pops the
    // smallest when it runs (first getter: 1). Here each put hands its item to the next waiting getter.
    @Test
    void itemsPutToWaitingGettersGoToThemInPutOrder() {
        runVirtual(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            Task<Integer> first = Asyncio.createTask(q::get);
            Task<Integer> second = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(5);
            q.putNowait(1);
            assertEquals(5, first.await());
            assertEquals(1, second.await());
        });
    }

    @Test
    void itemGivenBackByACancelledGetterKeepsItsPlaceAmongEqualPriorities() {
        runVirtual(() -> {
            PriorityQueue<Job> q = new PriorityQueue<>(BY_PRIORITY);
            Task<Job> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(new Job(1, "a"));         // handed to the getter
            q.putNowait(new Job(1, "b"));
            q.putNowait(new Job(0, "z"));
            getter.cancel();
            assertThrows(CancelledError.class, getter::await);
            List<String> out = new ArrayList<>();
            while (!q.empty()) {
                out.add(q.getNowait().name());
            }
            assertEquals(List.of("z", "a", "b"), out);
        });
    }
}
