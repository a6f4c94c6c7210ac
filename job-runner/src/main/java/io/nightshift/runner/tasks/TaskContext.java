package io.nightshift.runner.tasks;

import io.nightshift.api.TableName;
import io.nightshift.api.contract.RunnerEnvironment;
import java.sql.Connection;
import java.sql.SQLException;

/** What a task is given to work with. */
public interface TaskContext {

    /**
     * Opens a new connection to the maintained database (auto-commit on, the runner's connect and
     * statement timeouts applied). The task owns and closes it.
     */
    Connection openConnection() throws SQLException;

    /** When true the task reports what it would change (in stats and summary) and changes nothing. */
    boolean dryRun();

    /** The run's counters; the runner publishes them to the ledger while the task runs. */
    Stats stats();

    /**
     * True once the run was asked to stop (SIGTERM). A task checks it between batches, finishes or
     * rolls back the batch it is in, and returns or throws {@link TerminatedException}.
     */
    boolean stopRequested();

    /** An environment variable, e.g. {@code SUPABASE_SERVICE_KEY}; {@code null} when unset. */
    String env(String name);

    /** The run ledger's table (NIGHTSHIFT_LEDGER_TABLE), which no task may clean. */
    default TableName ledgerTable() {
        String configured = env(RunnerEnvironment.LEDGER_TABLE);
        return TableName.parse(configured == null || configured.isBlank() ? RunnerEnvironment.DEFAULT_LEDGER_TABLE : configured);
    }

    /** Writes one line for a person reading the pod's log. */
    void log(String line);
}
