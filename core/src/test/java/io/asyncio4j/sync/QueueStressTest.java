package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.QueueEmpty;
import io.asyncio4j.QueueFull;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many producers and consumers on one queue of each kind, with random cancels and random timeouts: every
 * item that a put reported as added is got exactly once, none that failed appears, maxsize is never exceeded,
 * and {@code join()} agrees. Small and deterministic (seeded, virtual time), so it runs in every build.
 */
class QueueStressTest {

    static Stream<Arguments> kindsAndSeeds() {
        return QueueShutdownTest.kinds().flatMap(kind -> IntStream.rangeClosed(1, 8).mapToObj(seed -> Arguments.of(kind, seed)));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("kindsAndSeeds")
    void randomCancelsAndTimeoutsLoseOrDuplicateNoItem(QueueShutdownTest.Kind kind, int seed) {
        runVirtual(() -> {
            Random rnd = new Random(seed);
            int maxsize = rnd.nextInt(4);         // 0 = unbounded
            Queue<Object> q = kind.make().apply(maxsize);
            Set<Object> added = new HashSet<>();
            List<Object> got = new ArrayList<>();
            int[] nextItem = {0};
            List<Task<Void>> workers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                workers.add(startWorker(i % 2 == 0, rnd, q, added, got, nextItem));
            }
            for (int round = 0; round < 200; round++) {
                Asyncio.sleep(rnd.nextInt(4) * 0.001);
                if (maxsize > 0) {
                    assertTrue(q.qsize() <= maxsize, q.toString());
                }
                int victim = rnd.nextInt(workers.size());
                workers.get(victim).cancel();
                workers.set(victim, startWorker(rnd.nextBoolean(), rnd, q, added, got, nextItem));
            }
            workers.forEach(Task::cancel);
            Asyncio.gatherSettled(workers);
            while (!q.empty()) {
                got.add(q.getNowait());
                q.taskDone();
            }
            assertEquals(got.size(), new HashSet<>(got).size(), "an item was got twice");
            assertEquals(added, new HashSet<>(got), "an item was lost, or one that failed was got");
            assertTrue(added.size() > 100, "the run did too little: " + added.size());
            q.join();
            assertEquals(kind.name() + "[maxsize=" + maxsize + ", qsize=0, getters=0, putters=0, unfinished=0]", q.toString());
        });
    }

    private static Task<Void> startWorker(boolean producer, Random rnd, Queue<Object> q, Set<Object> added,
                                          List<Object> got, int[] nextItem) {
        if (producer) {
            return Asyncio.createTask(() -> {
                while (true) {
                    int item = nextItem[0]++;
                    try {
                        switch (rnd.nextInt(3)) {
                            case 0 -> q.put(item);
                            case 1 -> Asyncio.timeout(rnd.nextInt(3) * 0.001, () -> q.put(item));
                            default -> q.putNowait(item);
                        }
                        added.add(item);          // no switch between a put returning and this line
                    } catch (TimeoutError | QueueFull e) {
                        Asyncio.sleep(0.001);
                    }
                }
            });
        }
        return Asyncio.createTask(() -> {
            while (true) {
                try {
                    Object item = switch (rnd.nextInt(3)) {
                        case 0 -> q.get();
                        case 1 -> Asyncio.timeout(rnd.nextInt(3) * 0.001, q::get);
                        default -> q.getNowait();
                    };
                    got.add(item);
                    q.taskDone();
                    Asyncio.sleep(rnd.nextInt(2) * 0.001);
                } catch (TimeoutError | QueueEmpty e) {
                    Asyncio.sleep(0.001);
                }
            }
        });
    }
}
