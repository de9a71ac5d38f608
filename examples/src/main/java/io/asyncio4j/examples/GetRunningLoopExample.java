package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;

import java.io.PrintStream;

/**
 * The loop that runs the current task.
 *
 * <p>Tutorial: "현재 루프 가져오기" ({@code loop = asyncio.get_running_loop()}). Outside a task or loop
 * callback {@code Asyncio.getRunningLoop()} throws {@link IllegalStateException} (asyncio's
 * {@code RuntimeError}).
 * <pre>
 * Current loop: EventLoop-1[running on 'main']
 * </pre>
 */
public final class GetRunningLoopExample {
    private final PrintStream out;

    GetRunningLoopExample(PrintStream out) {
        this.out = out;
    }

    EventLoop showLoop() {
        EventLoop loop = Asyncio.getRunningLoop();
        out.println("Current loop: " + loop);
        return loop;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new GetRunningLoopExample(System.out).showLoop());
    }
}
