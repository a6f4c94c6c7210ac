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

    static <T> T inTransaction(Connection c, TaskContext context, String what, Work<T> work) throws SQLException {
        long backoffMs = 200;
        for (int attempt = 1; ; attempt++) {
            try {
                T result = work.run();
                if (context.dryRun()) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return result;
            } catch (SQLException e) {
                c.rollback();
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
