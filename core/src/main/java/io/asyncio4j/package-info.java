/**
 * Python's asyncio on Java virtual threads: one event loop per thread, and tasks that are virtual threads
 * whose only carrier is that loop's thread. Start with {@link io.asyncio4j.Asyncio}, which holds asyncio's
 * module-level functions ({@code run}, {@code createTask}, {@code gather}, {@code sleep}, {@code timeout},
 * {@code taskGroup}, {@code toThread}) and says which type implements each.
 *
 * <h2>The layers</h2>
 * Each layer uses only the layers above it.
 * <dl>
 *   <dt>Kernel: loop, tasks, futures</dt>
 *   <dd>{@link io.asyncio4j.Runner} starts and closes an {@link io.asyncio4j.EventLoop} on the calling
 *       thread; the loop runs callbacks ({@link io.asyncio4j.Handle}, {@link io.asyncio4j.TimerHandle}) and
 *       {@link io.asyncio4j.Task}s. A {@link io.asyncio4j.Future} is a result that is not there yet;
 *       {@code await()} on it parks the current task, which is the one way to wait. A task is a
 *       {@code Future} whose body runs on a virtual thread carried by the loop thread alone, so tasks of one
 *       loop never run at the same time and switch only where they wait.</dd>
 *   <dt>Scopes</dt>
 *   <dd>{@link io.asyncio4j.TaskGroup} (asyncio's {@code TaskGroup}) and {@link io.asyncio4j.Timeout}
 *       ({@code asyncio.timeout}) run a body, {@link io.asyncio4j.ScopeBody} or
 *       {@link io.asyncio4j.ScopeStatements}, and clean up behind it: a group waits for and, on failure,
 *       cancels its tasks; a timeout cancels its body at the deadline.</dd>
 *   <dt>Combinators</dt>
 *   <dd>{@code Asyncio.gather}, {@code gatherSettled} (results as {@link io.asyncio4j.Outcome}s),
 *       {@code wait} ({@link io.asyncio4j.Done}, {@link io.asyncio4j.ReturnWhen}), {@code asCompleted},
 *       {@code shield} and {@code waitFor} combine futures without a scope.</dd>
 *   <dt>Generators</dt>
 *   <dd>{@link io.asyncio4j.AsyncGenerator} is an async generator: its {@link io.asyncio4j.GeneratorBody}
 *       hands values to a {@link io.asyncio4j.Yielder} and runs only while the consumer asks for one.</dd>
 *   <dt>Context variables</dt>
 *   <dd>{@link io.asyncio4j.ContextVar} and {@link io.asyncio4j.Context} ({@code contextvars}): each task
 *       runs in a copy of the context it was created in; a {@link io.asyncio4j.Token} undoes a set.</dd>
 *   <dt>Exceptions</dt>
 *   <dd>{@link io.asyncio4j.CancelledError}, {@link io.asyncio4j.TimeoutError},
 *       {@link io.asyncio4j.InvalidStateError}, {@link io.asyncio4j.ExceptionGroup} (with {@code split} for
 *       {@code except*}), the queue exceptions ({@link io.asyncio4j.QueueEmpty}, {@link io.asyncio4j.QueueFull},
 *       {@link io.asyncio4j.QueueShutDown}) and {@link io.asyncio4j.BrokenBarrierError}; failures nobody
 *       retrieved go to the loop's {@link io.asyncio4j.ExceptionHandler} with an
 *       {@link io.asyncio4j.ExceptionContext}.</dd>
 *   <dt>Bodies</dt>
 *   <dd>{@link java.util.concurrent.Callable} for a body with a value, {@link io.asyncio4j.ThrowingRunnable}
 *       for one without, {@link io.asyncio4j.ThrowingFunction} for {@code gather(items, fn)}.</dd>
 * </dl>
 * Built on these: {@link io.asyncio4j.sync} (locks, events, semaphores, queues, a rate limiter) and
 * {@link io.asyncio4j.graph} (who waits for whom: asyncio 3.14's call graph).
 *
 * <h2>Threads</h2>
 * Everything here belongs to one loop and is used from its thread (its tasks and callbacks) unless a method
 * says otherwise. Blocking calls that park a virtual thread (sleeps, socket I/O, locks) let the other tasks
 * run; calls that pin the carrier (file I/O, JNI, long computation) hold the loop and belong in
 * {@code Asyncio.toThread}.
 */
package io.asyncio4j;
