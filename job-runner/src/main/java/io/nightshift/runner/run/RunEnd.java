package io.nightshift.runner.run;

import io.nightshift.api.contract.RunResult;
import io.nightshift.runner.connection.Database;
import io.nightshift.runner.ledger.Ledger;
import io.nightshift.runner.result.ResultDocument;
import io.nightshift.runner.tasks.Stats;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Records how a started run ended, once, in the ledger row and the result document alike: the first
 * outcome claimed wins, whoever claims it (the run, or the SIGTERM handler giving up on it). When the
 * run's own session is gone (the server ended it), the row is written through a new connection.
 */
final class RunEnd {

    /** How the run ended. */
    record Outcome(boolean success, String error, int exitCode) {
    }

    private final Ledger ledger;
    private final Ledger.Started run;
    private final Stats stats;
    private final Database database;
    private final Consumer<ResultDocument> resultWriter;
    private final RunLog log;
    private final AtomicReference<Outcome> claimed = new AtomicReference<>();

    RunEnd(Ledger ledger, Ledger.Started run, Stats stats, Database database, Consumer<ResultDocument> resultWriter, RunLog log) {
        this.ledger = ledger;
        this.run = run;
        this.stats = stats;
        this.database = database;
        this.resultWriter = resultWriter;
        this.log = log;
    }

    /** The run's own end: recorded on its session, or on a new connection when the session is gone. Returns the exit code. */
    int record(Outcome outcome) {
        if (!claimed.compareAndSet(null, outcome)) {
            return claimed.get().exitCode();
        }
        Map<String, Object> snapshot = stats.snapshot();
        Long durationMs = null;
        try {
            durationMs = ledger.finish(run.id(), outcome.success(), snapshot, outcome.error());
        } catch (SQLException e) {
            if (Failure.isConnectionLost(e)) {
                durationMs = finishElsewhere(outcome, snapshot, null);
            } else {
                log.line("could not record the run's end in the ledger: " + Failure.of(e).message());
            }
        }
        write(outcome, snapshot, durationMs, true);
        return outcome.exitCode();
    }

    /**
     * From the SIGTERM handler, when the run did not end in time: records {@code fallback}, or the end
     * the run claimed but could not write (its session stopped answering). The result document is
     * written first; the ledger through a new connection whose every wait is bounded by {@code limit}.
     */
    int recordWithin(Outcome fallback, Duration limit) {
        claimed.compareAndSet(null, fallback);
        Outcome outcome = claimed.get();
        Map<String, Object> snapshot = stats.snapshot();
        write(outcome, snapshot, null, false);
        Long durationMs = finishElsewhere(outcome, snapshot, limit);
        write(outcome, snapshot, durationMs, true);
        return outcome.exitCode();
    }

    private Long finishElsewhere(Outcome outcome, Map<String, Object> snapshot, Duration limit) {
        try (Connection other = limit == null ? database.open() : database.openBounded(limit)) {
            return ledger.on(other).finish(run.id(), outcome.success(), snapshot, outcome.error());
        } catch (SQLException | RuntimeException e) {
            log.line("could not record the run's end in the ledger: " + Failure.of(e).message());
            return null;
        }
    }

    private void write(Outcome outcome, Map<String, Object> snapshot, Long durationMs, boolean announce) {
        long ms = durationMs != null ? durationMs : Duration.between(run.startedAt(), Instant.now()).toMillis();
        String completed = run.startedAt().plusMillis(ms).toString();
        resultWriter.accept(new ResultDocument(outcome.success() ? RunResult.SUCCESS : RunResult.FAILED, run.id(),
                run.startedAt().toString(), completed, ms, snapshot, outcome.error()));
        if (announce) {
            log.line((outcome.success() ? "succeeded" : "failed") + " in " + RunLog.elapsed(Duration.ofMillis(ms))
                    + (snapshot.isEmpty() ? "" : ": " + RunLog.stats(snapshot)));
        }
    }
}
