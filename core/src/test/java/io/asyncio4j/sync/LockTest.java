package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Lock} as asyncio's (CPython Lib/test/test_asyncio/test_locks.py, LockTests), on virtual time. */
class LockTest {

    @Test
    void waitersAcquireInArrivalOrder() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    lock.acquire();
                    order.add(n);
                    Asyncio.sleep(0);
                    lock.release();
                }));
            }
            Asyncio.sleep(0);
            lock.release();
            Asyncio.gather(tasks);
            assertEquals(List.of(1, 2, 3), order);
            assertFalse(lock.locked());
        });
    }

    @Test
    void newcomerDoesNotTakeALockHandedToAWaiter() {
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Boolean> waiter = Asyncio.createTask(lock::acquire);
            Asyncio.sleep(0);
            lock.release();
            assertTrue(lock.locked());
            assertFalse(lock.tryAcquire());
            waiter.await();
            assertTrue(lock.locked());
        });
    }

    @Test
    void cancelledWaiterHandedTheLockPassesItOn() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> events = new ArrayList<>();
            lock.acquire();
            Task<Boolean> a = Asyncio.createTask(lock::acquire);
            Task<Void> b = Asyncio.createTask(() -> {
                lock.acquire();
                events.add("b holds");
                lock.release();
            });
            Asyncio.sleep(0);
            lock.release();      // handed to a
            a.cancel();          // before a resumes: a gives it to b
            assertThrows(CancelledError.class, a::await);
            b.await();
            assertEquals(List.of("b holds"), events);
            assertFalse(lock.locked());
        });
    }

    @Test
    void lockFromAPlainThreadIsAClearError() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::acquire);
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    }
}
