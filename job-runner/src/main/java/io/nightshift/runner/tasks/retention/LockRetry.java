package io.nightshift.runner.tasks.retention;

import io.nightshift.runner.tasks.TaskContext;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs one short transaction under {@code lock_timeout}, retrying it with backoff when a lock could not be had in time. */
final class LockRetry {

    static final int ATTEMPTS = 6;
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    interface Work<T> {
        T run() throws SQLException;
    }

    private LockRetry() {
    }

    /** Runs statements that each are their own transaction (auto-commit), retrying one that could not get a lock. */
    static <T> T autoCommitted(TaskContext context, String what, Work<T> work) throws SQLException {
        return retrying(null, context, what, work);
    }

    static <T> T inTransaction(Connection c, TaskContext context, String what, Work<T> work) throws SQLException {
        return retrying(c, context, what, () -> {
            T result = work.run();
            if (context.dryRun()) {
                c.rollback();
            } else {
                c.commit();
            }
            return result;
        });
    }

    private static <T> T retrying(Connection transaction, TaskContext context, String what, Work<T> work) throws SQLException {
        long backoffMs = 200;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.run();
            } catch (SQLException e) {
                if (transaction != null) {
                    transaction.rollback();
                }
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || attempt == ATTEMPTS || context.stopRequested()) {
                    throw e;
                }
                context.log(what + ": waited too long for a lock, retrying in " + backoffMs + " ms (attempt " + attempt + " of " + ATTEMPTS + ")");
                context.stats().add("lockRetries", 1);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    /** Waits before the given attempt's retry, with the same backoff as a lock retry. */
    static void pause(int attempt) {
        sleep(Math.min(200L << Math.min(attempt - 1, 5), 5_000));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
