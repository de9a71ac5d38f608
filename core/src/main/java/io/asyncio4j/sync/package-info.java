/**
 * asyncio's synchronisation primitives and queues ({@code asyncio.locks}, {@code asyncio.queues}) plus a
 * token-bucket {@link io.asyncio4j.sync.RateLimiter}, for tasks of one event loop.
 *
 * <p>All of them are built on one fair, cancellation-aware wait queue, so they share three rules:
 * <ul>
 *   <li><b>No switch on the fast path.</b> Taking a free lock or permit, awaiting a set event, putting to a
 *       queue with room or getting from a non-empty one returns at once: no other task runs in between.</li>
 *   <li><b>FIFO hand-off.</b> Waiters are served in arrival order, and what is released is handed to the
 *       longest waiter directly: a task that arrives later (even with {@code tryAcquire} or
 *       {@code getNowait}) cannot take it in between.</li>
 *   <li><b>Cancel safety.</b> A waiter cancelled while waiting loses its place; if it had already been
 *       handed a permit or an item, it hands it on before its {@code CancelledError} is raised. Nothing is
 *       lost and nothing is given twice. Timeouts ({@code Asyncio.timeout}, {@code waitFor}) are
 *       cancellations, so the same holds for them.</li>
 * </ul>
 * Each object belongs to the event loop that first uses it; using it from another thread or loop raises
 * {@link java.lang.IllegalStateException} (use {@code loop.callSoonThreadsafe} to hand work to the loop).
 */
package io.asyncio4j.sync;
