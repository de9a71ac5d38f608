package io.asyncio4j;

/**
 * The loop's exception handler (asyncio's {@code loop.set_exception_handler}). It receives every failure
 * that nobody else could receive: an exception thrown by a callback, a task exception that was never
 * retrieved (reported when the loop closes), a task that failed while {@link Runner#close()} shut it
 * down. It runs on the loop thread; an exception thrown by the handler itself is passed to
 * {@link EventLoop#defaultExceptionHandler(ExceptionContext)}.
 */
@FunctionalInterface
public interface ExceptionHandler {
    void handle(EventLoop loop, ExceptionContext context);
}
