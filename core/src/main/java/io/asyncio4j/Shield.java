package io.asyncio4j;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * asyncio's {@code shield}: awaits a future through an outer future, so that cancelling the awaiting task
 * cancels only the outer one. The public entry point is {@link Asyncio#shield}.
 *
 * <h2>Cancellation</h2>
 * <pre>
 *   task ──awaits──▶ outer ◀──copies the outcome── inner (keeps running)
 * </pre>
 * A cancel of the awaiting task cancels the outer future: the task gets a {@link CancelledError} at once and
 * the inner future goes on. If the inner future is cancelled by other means, the outer one is cancelled
 * too and the task gets a {@link CancelledError}.
 *
 * <h2>Deliberate difference from asyncio 3.14</h2>
 * If the outer future was cancelled and the inner one later fails, asyncio 3.14 marks the failure retrieved
 * and nobody ever sees it (gh-86802). Here it goes to the loop's exception handler ("... exception in
 * shielded future after its waiter was cancelled", with the inner future and task set), once however many
 * shields wrapped the inner future; this is what asyncio 3.15 does.
 */
final class Shield {
    /*
     * Implementation overview (asyncio tasks.py shield, with 3.15's _log_on_exception).
     *
     * innerDone copies the inner outcome to the outer future unless the outer was cancelled. outerDone runs
     * when the outer is done; if the inner is still pending then, the outer was cancelled: it removes
     * innerDone and adds the shared REPORT callback instead (removed first, so several cancelled shields of
     * one inner future report its failure once). While shielded, the inner future records the awaiting task
     * as its awaiter (asyncio 3.14 keeps that edge until the inner future is done, as we do).
     */

    /** Shared by all shields so that removeDoneCallback deduplicates it. */
    private static final Consumer<Future<?>> REPORT = Shield::reportFailure;

    private Shield() {
    }

    static <T> T shield(Future<T> inner) {
        Objects.requireNonNull(inner, "fut");
        if (inner.done()) {
            return inner.result(); // asyncio returns the inner future itself: awaiting it does not switch
        }
        Task<?> task = Task.requireCurrent("Asyncio.shield()");
        Gather.ensureSameLoop("Asyncio.shield()", inner, task);
        Future<T> outer = new Future<>(inner.loop);
        inner.addAwaitedBy(task);
        inner.addDoneCallback(f -> f.discardAwaitedBy(task));
        Consumer<Future<T>> innerDone = f -> {
            if (outer.cancelled()) {
                return;
            }
            if (f.cancelled()) {
                outer.cancel();
            } else {
                Throwable exc = f.exception();
                if (exc != null) {
                    outer.fail(exc);
                } else {
                    outer.complete(f.result());
                }
            }
        };
        inner.addDoneCallback(innerDone);
        outer.addDoneCallback(o -> {
            if (!inner.done()) {
                inner.removeDoneCallback(innerDone);
                inner.removeDoneCallback(REPORT);
                inner.addDoneCallback(REPORT);
            }
        });
        return outer.await();
    }

    private static void reportFailure(Future<?> inner) {
        if (inner.cancelled()) {
            return;
        }
        Throwable exc = inner.exception(); // marks it retrieved: reported here, not again at loop close
        if (exc == null) {
            return;
        }
        inner.loop.callExceptionHandler(new ExceptionContext(exc.getClass().getSimpleName()
                + " exception in shielded future after its waiter was cancelled", exc, inner,
                inner instanceof Task<?> t ? t : null));
    }
}
