package io.asyncio4j.sqlite;

import io.asyncio4j.ScopeBody;
import io.asyncio4j.Task;
import io.asyncio4j.sync.Lock;

import java.util.concurrent.CompletionException;

/**
 * The transactions of one {@link Database}: which task owns the open transaction, the fair lock that makes
 * other tasks' statements wait for it, and BEGIN/COMMIT/ROLLBACK/SAVEPOINT around a body.
 */
final class Transactions {
    /*
     * `lock` (a fair io.asyncio4j.sync.Lock, loop-bound) is held by the task whose transaction is open
     * (`owner`). A call of another task takes the lock around its own statement when the lock is held (or
     * waited for), so it queues FIFO behind the transaction; when the lock is free it submits directly. Only
     * one task of the loop runs at a time, so "check the lock, then submit" cannot race: the submission is on
     * the connection thread's queue before any other task runs.
     *
     *   A: transaction ─▶ lock, BEGIN ─▶ body ... ─▶ COMMIT ─▶ unlock
     *   B: execute ─────────▶ lock held: wait ─────────────────────▶ gets lock ─▶ runs after COMMIT
     */
    private final Database db;
    private final Lock lock = new Lock();
    // written on the loop thread; read by Database.toString from any thread (volatile)
    private volatile Task<?> owner;
    // loop thread only: savepoints open in the owner's transaction
    private int savepoints;

    Transactions(Database db) {
        this.db = db;
    }

    /** The task whose transaction is open, or null. */
    Task<?> owner() {
        return owner;
    }

    /**
     * Waits until {@code actor} may submit a statement: at once for the owner or when no transaction is open or
     * waited for; otherwise FIFO behind the transaction. Returns whether the lock was taken (give it to
     * {@link #endTurn}). Cancellation: a task cancelled while it waits loses its place.
     */
    /** Whether a transaction is open or waited for, so that other tasks' statements must wait their turn. */
    boolean busy() {
        return lock.locked();
    }

    boolean waitForTurn(Task<?> actor) {
        if (actor == owner || !lock.locked()) {
            return false;
        }
        lock.acquire();
        return true;
    }

    void endTurn(boolean held) {
        if (held) {
            lock.release();
        }
    }

    /** See {@link Database#transaction}. */
    <T> T run(Task<?> me, ScopeBody<Database, T> body) {
        if (owner == me) {
            return savepoint(me, body);
        }
        lock.acquire();
        owner = me;
        try {
            try {
                db.runSql(me, "Database.transaction()", "BEGIN IMMEDIATE", true);
            } catch (Throwable e) {
                // cancelled while BEGIN waited for another process: it may still succeed after we gave up
                db.rollbackLater("ROLLBACK");
                throw e;
            }
            T value;
            try {
                value = body.run(db);
            } catch (Throwable e) {
                db.rollbackLater("ROLLBACK");
                throw surface(e);
            }
            try {
                db.runSql(me, "Database.transaction()", "COMMIT", false);
            } catch (Throwable e) {
                db.rollbackLater("ROLLBACK");
                throw e;
            }
            return value;
        } finally {
            owner = null;
            lock.release();
        }
    }

    private <T> T savepoint(Task<?> me, ScopeBody<Database, T> body) {
        String name = "asyncio4j_savepoint_" + (++savepoints);
        try {
            db.runSql(me, "Database.transaction()", "SAVEPOINT " + name, false);
            T value;
            try {
                value = body.run(db);
            } catch (Throwable e) {
                db.rollbackLater("ROLLBACK TO " + name + "; RELEASE " + name);
                throw surface(e);
            }
            db.runSql(me, "Database.transaction()", "RELEASE " + name, false);
            return value;
        } finally {
            savepoints--;
        }
    }


    private static RuntimeException surface(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new CompletionException(e);
    }
}
