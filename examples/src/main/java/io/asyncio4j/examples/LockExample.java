package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.sync.Lock;


/**
 * A lock lets one task at a time through a stretch that waits: A, B and C each hold it for a second, in turn.
 *
 * <p>Tutorial: "세마포어와 락 — Lock" ({@code worker(lock, name)} with {@code async with lock:}, three workers
 * gathered). {@code async with lock:} is {@code try (var held = lock.hold())}; the lock goes to the waiting
 * tasks in the order they asked for it.
 * <pre>
 * A acquired
 * A released
 * B acquired
 * B released
 * C acquired
 * C released
 * </pre>
 */
public final class LockExample {

    void worker(Lock lock, String name) {
        try (var held = lock.hold()) { // async with lock:
            System.out.println(name + " acquired");
            Asyncio.sleep(1);
            System.out.println(name + " released");
        }
    }

    void main() {
        Lock lock = new Lock();
        Asyncio.gather(
                () -> worker(lock, "A"),
                () -> worker(lock, "B"),
                () -> worker(lock, "C"));
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new LockExample().main());
    }
}
