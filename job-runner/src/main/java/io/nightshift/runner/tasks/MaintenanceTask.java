package io.nightshift.runner.tasks;

import java.sql.Connection;

/**
 * One task kind's work, run once. The runner has already taken the job's lock and written the
 * ledger's {@code running} row; the task only does its work and counts it in {@link TaskContext#stats()}.
 */
public interface MaintenanceTask {

    /**
     * Does the work. Returns a one-line summary for the log and the result document.
     *
     * @throws ConfigurationException when the task cannot run as configured (exit code 2, never retried),
     *     e.g. a table or column that does not exist
     * @throws Exception for a failed run (exit code 1)
     */
    TaskOutcome run(TaskContext context) throws Exception;

    /** Whether the task opens a connection of its own; if so, the runner opens it while it writes the ledger. */
    default boolean usesDatabase() {
        return true;
    }

    /**
     * Read-only look-ups the task can make before its run is recorded as started. The runner calls this
     * at most once, on another thread, with the connection it is opening for the task, while it writes the
     * ledger; {@link TaskContext#openConnection()} then hands {@link #run} that same connection. Nothing
     * here may change data; a failure is the task's to keep and report from {@code run}, as if it had
     * happened there.
     */
    default void prepare(Connection connection) {
    }
}
