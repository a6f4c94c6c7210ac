package io.nightshift.runner.run;

import io.nightshift.runner.ledger.Ledger;
import io.nightshift.runner.tasks.Stats;
import java.sql.SQLException;

/**
 * Writes a running run's stats to its ledger row, every {@link JobRun#PROGRESS_INTERVAL}. A failure does
 * not stop the run (the job's lock is watched on its own connection): it is said once, and the run's end
 * is recorded through a new connection if this one is gone.
 */
final class ProgressPublisher {

    private final Ledger ledger;
    private final Ledger.Started run;
    private final Stats stats;
    private final RunLog log;
    private volatile boolean failing;

    ProgressPublisher(Ledger ledger, Ledger.Started run, Stats stats, RunLog log) {
        this.ledger = ledger;
        this.run = run;
        this.stats = stats;
        this.log = log;
    }

    void publish() {
        try {
            ledger.progress(run.id(), stats.snapshot());
            if (failing) {
                failing = false;
                log.line("progress is written to the ledger again");
            }
        } catch (SQLException e) {
            if (!failing) {
                failing = true;
                log.line("could not update progress in the ledger: " + Failure.of(e).message());
            }
        }
    }
}
