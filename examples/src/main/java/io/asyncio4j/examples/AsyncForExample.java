package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

/**
 * Asynchronous iterators ({@code async for}) are plain iterators whose {@code next()} may wait.
 *
 * <p>Tutorials: "비동기 이터레이터" ({@code class AsyncRange} with {@code __anext__} sleeping 0.1 s), the
 * {@code AsyncCounter} example of "async for" (one second per value, printed on one line), and
 * "비동기 표현식" ({@code [i async for i in AsyncCounter(3)]} and {@code [await co() for co in coroutines]}).
 * {@code __anext__} becomes {@code next()}, {@code StopAsyncIteration} becomes {@code hasNext() == false},
 * and an async comprehension is an ordinary loop or stream: nothing needs an {@code async} variant.
 * (The {@code async def ... yield} generators of the same tutorials are in {@link AsyncGeneratorExample}.)
 * <pre>
 * 0
 * 1
 * 2
 * 3
 * 4
 * 0 1 2
 * [0, 1, 2]
 * [1, 1, 1]
 * </pre>
 */
public final class AsyncForExample {

    /** {@code class AsyncRange}: yields {@code start..end-1}, waiting 0.1 s before each value. */
    static final class AsyncRange implements Iterable<Integer> {
        private final int start;
        private final int end;

        AsyncRange(int start, int end) {
            this.start = start;
            this.end = end;
        }

        @Override
        public Iterator<Integer> iterator() {
            return new Iterator<>() {
                private int current = start;

                @Override
                public boolean hasNext() {
                    return current < end;
                }

                @Override
                public Integer next() { // __anext__
                    if (!hasNext()) {
                        throw new NoSuchElementException(); // StopAsyncIteration
                    }
                    Asyncio.sleep(0.1); // asynchronous work
                    return current++;
                }
            };
        }
    }

    /** {@code class AsyncCounter}: yields {@code 0..stop-1}, waiting a second before each value. */
    static final class AsyncCounter implements Iterator<Integer>, Iterable<Integer> {
        private final int stop;
        private int current;

        AsyncCounter(int stop) {
            this.stop = stop;
        }

        @Override
        public Iterator<Integer> iterator() { // __aiter__ returns self
            return this;
        }

        @Override
        public boolean hasNext() {
            return current < stop;
        }

        @Override
        public Integer next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Asyncio.sleep(1.0);
            return current++;
        }
    }

    int asyncOne() {
        return 1;
    }

    List<Integer> main() {
        for (int num : new AsyncRange(0, 5)) {
            System.out.println(num);
        }

        StringBuilder line = new StringBuilder();
        for (int i : new AsyncCounter(3)) {
            line.append(i).append(' ');
        }
        System.out.println(line.toString().strip());

        // [i async for i in AsyncCounter(3)]
        List<Integer> a = StreamSupport.stream(new AsyncCounter(3).spliterator(), false).toList();
        System.out.println(a);

        // [await co() for co in coroutines]: one after another, as in Python
        List<Supplier<Integer>> coroutines = List.of(this::asyncOne, this::asyncOne, this::asyncOne);
        List<Integer> b = new ArrayList<>();
        for (Supplier<Integer> co : coroutines) {
            b.add(co.get());
        }
        System.out.println(b);
        return a;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AsyncForExample().main());
    }
}
