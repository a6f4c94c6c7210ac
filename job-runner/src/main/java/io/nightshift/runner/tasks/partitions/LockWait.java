package io.nightshift.runner.tasks.partitions;

import io.nightshift.runner.run.RunLog;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TerminatedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Runs one transaction of DDL under {@code SET LOCAL lock_timeout}: a lock request queued behind a long-running
 * query makes every later query on the table queue behind it, so the request gives up after the lock timeout, lets
 * them through, and is tried again after a pause that grows from 250 ms to 10 s, for up to {@link #PATIENCE}. The
 * timeout lives in the transaction only (nothing stays set on the session, as a pooler in transaction mode needs).
 */
final class LockWait {

    static final Duration PATIENCE = Duration.ofMinutes(10);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String DEADLOCK = "40P01";

    interface Work {
        void run(Statement statement) throws SQLException;
    }

    private final TaskContext context;
    private final Duration lockTimeout;
    private final Duration patience;

    LockWait(TaskContext context, Duration lockTimeout) {
        this(context, lockTimeout, PATIENCE);
    }

    LockWait(TaskContext context, Duration lockTimeout, Duration patience) {
        this.context = context;
        this.lockTimeout = lockTimeout;
        this.patience = patience;
    }

    /** Runs {@code work} in a transaction of its own on {@code c} (which is left in auto-commit), retrying it while locks are busy. */
    void inTransaction(Connection c, String what, Work work) throws SQLException {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            stopIfAsked(what);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
                work.run(st);
                c.commit();
                return;
            } catch (SQLException e) {
                rollback(c, e);
                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                if (!busy(e) || waited.compareTo(patience) >= 0) {
                    throw busy(e) ? new SQLException(what + ": other sessions kept a lock it needs for " + RunLog.elapsed(waited)
                            + " (" + attempt + " attempts of " + lockTimeout.toMillis() + " ms each): " + e.getMessage(), e.getSQLState(), e) : e;
                }
                long pause = Math.min(250L << Math.min(attempt - 1, 6), 10_000);
                context.stats().add("lockRetries", 1);
                context.log(what + ": " + (DEADLOCK.equals(e.getSQLState()) ? "deadlock with another session" : "a lock stayed busy for "
                        + lockTimeout.toMillis() + " ms") + ", letting the application's queries pass; trying again in " + pause
                        + " ms (attempt " + attempt + ")");
                sleep(pause, what);
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Rolls back; a connection that is gone by now adds why to the error that made it roll back. */
    private static void rollback(Connection c, SQLException cause) throws SQLException {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            throw cause;
        }
    }

    private static boolean busy(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState());
    }

    private void stopIfAsked(String what) {
        if (context.stopRequested()) {
            throw new TerminatedException(what + ": stopped before it was done");
        }
    }

    private void sleep(long ms, String what) {
        long until = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < until) {
            stopIfAsked(what);
            try {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TerminatedException(what + ": interrupted");
            }
        }
    }
}
