package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;


/**
 * Asynchronous context managers ({@code async with}) are try-with-resources: opening and closing may wait.
 *
 * <p>Tutorials: "비동기 컨텍스트 매니저" ({@code AsyncResource} with {@code __aenter__}/{@code __aexit__}),
 * its "contextlib 버전" ({@code @asynccontextmanager}), and the {@code AsyncAdd} example of "async with"
 * whose {@code __aenter__} waits a second and returns {@code a + b}. {@code __aenter__} becomes a factory
 * method and {@code __aexit__} becomes {@code close()}; both may sleep or await, because any method may.
 * Java binds the resource itself to the variable, so what {@code __aenter__} returned is read from it.
 * <pre>
 * Resource acquired
 * Using the resource
 * Resource released
 * Acquired
 * Using: resource
 * Released
 * 3
 * </pre>
 */
public final class AsyncWithExample {
    /** {@code class AsyncResource}: acquiring and releasing each take 0.1 s. */
    static final class AsyncResource implements AutoCloseable {
        private AsyncResource() {
        }

        /** {@code __aenter__}. */
        static AsyncResource acquire() {
            System.out.println("Resource acquired");
            Asyncio.sleep(0.1);
            return new AsyncResource();
        }

        /** {@code __aexit__}: runs however the block ends, also on an exception. */
        @Override
        public void close() {
            System.out.println("Resource released");
            Asyncio.sleep(0.1);
        }
    }

    /** What an {@code @asynccontextmanager} yields, and the code after its {@code yield}. */
    record Managed<T>(T value, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    /** {@code @asynccontextmanager async def async_resource()}: the code before {@code yield}, then the value. */
    Managed<String> asyncResource() {
        System.out.println("Acquired");
        return new Managed<>("resource", () -> System.out.println("Released"));
    }

    /** {@code class AsyncAdd}: entering waits a second and computes {@code a + b}. */
    static final class AsyncAdd implements AutoCloseable {
        private final int result;

        private AsyncAdd(int result) {
            this.result = result;
        }

        static AsyncAdd enter(int a, int b) {
            Asyncio.sleep(1.0);
            return new AsyncAdd(a + b);
        }

        int result() {
            return result;
        }

        @Override
        public void close() {
            // nothing to clean up (Python's `pass`)
        }
    }

    int main() {
        try (AsyncResource _ = AsyncResource.acquire()) { // async with AsyncResource() as resource:
            System.out.println("Using the resource");
        }

        try (Managed<String> r = asyncResource()) {
            System.out.println("Using: " + r.value());
        }

        try (AsyncAdd add = AsyncAdd.enter(1, 2)) {
            System.out.println(add.result());
            return add.result();
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AsyncWithExample().main());
    }
}
