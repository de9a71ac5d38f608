package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Runner;


/**
 * One {@link Runner}, several runs: asynchronous and blocking code take turns on the same loop.
 *
 * <p>Tutorial: "복수 실행이 필요한 경우: asyncio.Runner" ({@code with asyncio.Runner() as runner:
 * runner.run(operation_one()); blocking_code(); runner.run(operation_two())}). {@code Asyncio.run} makes
 * and closes a loop on every call; a runner keeps one loop for all its runs and closes it at the end of
 * the try-with-resources block.
 * <pre>
 * Operation one: running on a loop
 * Blocking code: no task is running here: currentTask() = null
 * Operation two: running on the same loop: true
 * </pre>
 */
public final class RunnerExample {
    private EventLoop firstLoop;

    void operationOne() {
        firstLoop = Asyncio.getRunningLoop();
        System.out.println("Operation one: running on a loop");
        Asyncio.sleep(0.5);
    }

    void blockingCode() {
        System.out.println("Blocking code: no task is running here: currentTask() = " + Asyncio.currentTask());
    }

    void operationTwo() {
        System.out.println("Operation two: running on the same loop: " + (Asyncio.getRunningLoop() == firstLoop));
        Asyncio.sleep(0.5);
    }

    void main(Runner runner) {
        runner.run(this::operationOne);
        blockingCode(); // plain synchronous code between the runs
        runner.run(this::operationTwo);
    }

    public static void main(String[] args) {
        try (Runner runner = new Runner()) { // the loop is closed when the block ends
            new RunnerExample().main(runner);
        }
    }
}
