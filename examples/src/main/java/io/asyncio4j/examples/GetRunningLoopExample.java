package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;


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

    EventLoop showLoop() {
        EventLoop loop = Asyncio.getRunningLoop();
        System.out.println("Current loop: " + loop);
        return loop;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new GetRunningLoopExample().showLoop());
    }
}
