package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LifoQueue} (test_queues.py's LifoQueueTests; its join and shutdown tests run in
 * {@link QueueShutdownTest}), plus ordering around hand-off.
 */
class LifoQueueTest {

    // test_order
    @Test
    void lastItemPutComesOutFirst() {
        runVirtual(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            assertEquals(List.of(2, 3, 1), List.of(q.get(), q.get(), q.get()));
        });
    }

    @Test
    void blockedPutterPushesItsItemOnTopWhenAGetFreesASlot() {
        runVirtual(() -> {
            LifoQueue<Integer> q = new LifoQueue<>(2);
            q.put(1);
            q.put(2);
            Task<Void> putter = Asyncio.createTask(() -> q.put(3));
            Asyncio.sleep(0);
            assertTrue(q.full());
            assertEquals(2, q.get());
            putter.await();
            assertEquals(List.of(3, 1), List.of(q.get(), q.get()));
            assertEquals("LifoQueue[maxsize=2, qsize=0, getters=0, putters=0, unfinished=3]", q.toString());
        });
    }

    // Mirrors test_order with getters waiting. asyncio buffers 1 and 2 and wakes two getters; each pops the
    // newest when it runs (first getter: 2). Here each put hands its item to the next waiting getter.
    @Test
    void itemsPutToWaitingGettersGoToThemInPutOrder() {
        runVirtual(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            Task<Integer> first = Asyncio.createTask(q::get);
            Task<Integer> second = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(1);
            q.putNowait(2);
            assertEquals(1, first.await());
            assertEquals(2, second.await());
        });
    }

    // The given-back item was put before everything buffered since, so it sits beneath them: the order
    // asyncio has, where the item never left the buffer.
    @Test
    void itemGivenBackByACancelledGetterGoesBeneathTheItemsPutAfterIt() {
        runVirtual(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            Task<Integer> a = Asyncio.createTask(q::get);
            Task<Integer> b = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(1);                       // to a
            q.putNowait(2);                       // to b
            q.putNowait(3);                       // buffered
            a.cancel();
            b.cancel();
            assertThrows(CancelledError.class, a::await);
            assertThrows(CancelledError.class, b::await);
            q.putNowait(4);
            assertEquals(List.of(4, 3, 2, 1), List.of(q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()));
        });
    }
}
