package io.nightshift.runner.tasks.retention;

import io.nightshift.runner.connection.LocalSettings;
import io.nightshift.runner.tasks.TaskContext;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs one short transaction under {@code lock_timeout}, retrying it with backoff when a lock could not be
 * had in time (SQLSTATE 55P03), up to {@link #ATTEMPTS} times; then the run fails saying that a lock held
 * elsewhere stood in the way.
 */
final class LockRetry {

    static final int ATTEMPTS = 6;
    static final String LOCK_NOT_AVAILABLE = "55P03";

    interface Work<T> {
        T run() throws SQLException;
    }

    private LockRetry() {
    }

    /**
     * Runs {@code work} in a transaction of its own on {@code c} (auto-commit off) with {@code settings},
     * committed (rolled back in a dry run), retrying it when it waited too long for a lock.
     */
    static <T> T inTransaction(Connection c, LocalSettings settings, TaskContext context, String what, Work<T> work) throws SQLException {
        long backoffMs = 200;
        for (int attempt = 1; ; attempt++) {
            try {
                settings.apply(c);
                T result = work.run();
                if (context.dryRun()) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return result;
            } catch (SQLException e) {
                c.rollback();
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || context.stopRequested()) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    throw new SQLException(what + ": a lock held by another session stood in the way " + ATTEMPTS
                            + " times, each waited for up to its lock_timeout (lockTimeout); " + context.stats().get("deleted")
                            + " rows were deleted, the rest are intact (" + e.getMessage().lines().findFirst().orElse("") + ")",
                            LOCK_NOT_AVAILABLE, e);
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
