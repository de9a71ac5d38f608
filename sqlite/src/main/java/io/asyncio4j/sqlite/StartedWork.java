package io.asyncio4j.sqlite;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;

/**
 * Work a {@link Database} queued on its connection thread: the {@link Worker.Job} (so a cancel can interrupt the
 * statement in SQLite) and the future of its result. {@link Database} makes one per statement; a {@link RowStream}
 * keeps one as its read-ahead of the next chunk.
 *
 * <p>Confined to the database's event loop: only tasks of that loop call {@link #await} and {@link #abandon}.
 */
final class StartedWork<T> {
    private final Worker worker;
    private final Worker.Job job;
    private final Future<T> result;

    StartedWork(Worker worker, Worker.Job job, Future<T> result) {
        this.worker = worker;
        this.job = job;
        this.result = result;
    }

    /**
     * Waits for the result. Cancellation: the waiting task gets {@link CancelledError}; with
     * {@code interruptible} the work, if it runs, is interrupted in SQLite.
     */
    T await(boolean interruptible) {
        try {
            return result.await();
        } catch (CancelledError e) {
            if (interruptible) {
                worker.interrupt(job);
            }
            throw e;
        }
    }

    /**
     * Drops work nobody will wait for: it never starts if still queued, and is interrupted in SQLite if it
     * runs (a read-ahead of a sparse query can take long); its outcome is ignored.
     */
    void abandon() {
        result.cancel();
        worker.interrupt(job);
    }
}
