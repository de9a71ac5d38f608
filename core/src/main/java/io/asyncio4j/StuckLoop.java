package io.asyncio4j;

import java.util.List;

/**
 * The report of a loop that can never wake by itself: every live task waits in the kernel's wait for
 * something only another task could give (a lock, an event, a queue item, a future), no timer is pending,
 * no callback is ready, and no channel or {@code toThread}/{@code runInExecutor}/{@code Future.wrap} work
 * is in flight. Only another thread could still wake such a loop ({@code callSoonThreadsafe}), so the loop
 * first waits for the watchdog's threshold ({@link EventLoop#slowCallbackDuration()}, 1 s, 100 ms in debug
 * mode). Then, on virtual time, {@link EventLoop} raises this report from {@code run} as an
 * {@link IllegalStateException} instead of waiting forever; on real time, in debug mode, it logs it once
 * and goes on waiting.
 *
 * <p>Each waiting task is named with what it waits in (the kernel wait's registration) and the first
 * frames of its stack, which show the primitive and the user's call.
 */
final class StuckLoop {
    /** How many frames of each task's stack the report shows. */
    private static final int FRAMES = 3;

    private StuckLoop() {
    }

    /** The message naming {@code tasks} and what each waits on; loop thread, while the tasks are parked. */
    static String describe(EventLoop loop, List<Task<?>> tasks, boolean virtualTime) {
        StringBuilder sb = new StringBuilder();
        sb.append(loop).append(" can never wake: no callback is ready, no timer is pending, no I/O or executor ")
                .append("work is in flight, and each of its ").append(tasks.size())
                .append(tasks.size() == 1 ? " task waits" : " tasks waits").append(" for something only a task ")
                .append("could give");
        sb.append(virtualTime ? " (on virtual time the clock has nowhere to jump):" : ":");
        for (Task<?> t : tasks) {
            sb.append("\n  '").append(t.getName()).append("' ").append(t.describeWait());
            List<StackTraceElement> stack = t.getStack();
            for (int i = 0; i < Math.min(FRAMES, stack.size()); i++) {
                sb.append(i == 0 ? "\n      at " : "\n      ← ").append(stack.get(i));
            }
        }
        sb.append("\nRelease, set or complete what they wait for from one of the tasks or from a timer");
        sb.append(virtualTime ? " (a thread meant to wake them must call callSoonThreadsafe within the loop's "
                + "slowCallbackDuration, " + loop.slowCallbackDuration().toMillis() + " ms)." : ".");
        return sb.toString();
    }
}
