package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.ThrowingRunnable;

import java.util.concurrent.Callable;

/** Helpers shared by the tests of the sync primitives: runs on virtual time, the loop clock. */
final class SyncTests {
    private SyncTests() {
    }

    /** Runs {@code main} on a fresh virtual-time runner, closes the runner, and returns the result. */
    static <T> T runVirtual(Callable<T> main) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            return runner.run(main);
        }
    }

    /** Runs a void body on a fresh virtual-time runner and closes the runner. */
    static void runVirtual(ThrowingRunnable main) {
        runVirtual(main.asCallable());
    }

    /** The running loop's clock, for exact assertions on virtual time. */
    static double now() {
        return Asyncio.getRunningLoop().time();
    }
}
