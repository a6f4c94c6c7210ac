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
 * run's own session is gone (the server ended it, restarted, or cannot be reached), the row is written
 * through new connections, retried for up to {@link #PATIENCE} (a restart takes seconds), so that no row
 * stays {@code running} after a short outage. The pod's deadline comes as SIGTERM, whose handler then
 * records the end itself within its own limit. The last line says whatever could not be recorded.
 */
final class RunEnd {

    /** How long a run keeps trying to record its end when the database went away. */
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);
    /** The longest wait of one attempt: connecting, logging in, the update. */
    private static final Duration ATTEMPT_LIMIT = Duration.ofSeconds(10);

    /** How the run ended. */
    record Outcome(boolean success, String error, int exitCode) {
    }

    /** What the ledger holds of the end: its duration as the database measured it, or why it holds nothing. */
    private record Written(Long durationMs, String failure) {
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

    /** The run's own end: recorded on its session, or through new connections when the session is gone. Returns the exit code. */
    int record(Outcome outcome) {
        if (!claimed.compareAndSet(null, outcome)) {
            return claimed.get().exitCode();
        }
        Map<String, Object> snapshot = stats.snapshot();
        Written written;
        try {
            written = new Written(ledger.finish(run.id(), outcome.success(), snapshot, outcome.error()), null);
        } catch (SQLException e) {
            if (Failure.isConnectionLost(e)) {
                // The result document first: the ledger may take a while to come back, and a kill must not lose both.
                write(outcome, snapshot, null);
                written = finishElsewhere(outcome, snapshot, Instant.now().plus(PATIENCE), ATTEMPT_LIMIT);
            } else {
                written = new Written(null, Failure.of(e).message());
            }
        }
        write(outcome, snapshot, written.durationMs());
        announce(outcome, snapshot, written);
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
        write(outcome, snapshot, null);
        Written written = finishElsewhere(outcome, snapshot, Instant.now(), limit);
        write(outcome, snapshot, written.durationMs());
        announce(outcome, snapshot, written);
        return outcome.exitCode();
    }

    /** Records the end through new connections until it is written, or the deadline passes (one attempt at least). */
    private Written finishElsewhere(Outcome outcome, Map<String, Object> snapshot, Instant deadline, Duration attemptLimit) {
        Instant began = Instant.now();
        Duration wait = FIRST_RETRY;
        int attempts = 0;
        while (true) {
            attempts++;
            try (Connection other = database.openBounded(attemptLimit)) {
                long durationMs = ledger.on(other).finish(run.id(), outcome.success(), snapshot, outcome.error());
                if (attempts > 1) {
                    log.line("recorded the run's end in the ledger at attempt " + attempts);
                }
                return new Written(durationMs, null);
            } catch (SQLException | RuntimeException e) {
                String why = Failure.of(e).message();
                if (!Failure.isConnectionLost(e) || Instant.now().plus(wait).isAfter(deadline)) {
                    return new Written(null, why + (attempts > 1 ? " (" + attempts + " attempts in "
                            + RunLog.elapsed(Duration.between(began, Instant.now())) + ")" : ""));
                }
                if (attempts == 1) {
                    log.line("the database cannot record the run's end yet (" + why + "); retrying for up to " + RunLog.elapsed(PATIENCE));
                }
                sleep(wait);
                wait = wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
            }
        }
    }

    private void write(Outcome outcome, Map<String, Object> snapshot, Long durationMs) {
        resultWriter.accept(new ResultDocument(outcome.success() ? RunResult.SUCCESS : RunResult.FAILED, run.id(),
                run.startedAt().toString(), run.startedAt().plusMillis(duration(durationMs)).toString(), duration(durationMs), snapshot,
                outcome.error()));
    }

    /** The run's last line: how it ended and, when the ledger could not be written, that its row is still {@code running}. */
    private void announce(Outcome outcome, Map<String, Object> snapshot, Written written) {
        log.line((outcome.success() ? "succeeded" : "failed") + " in " + RunLog.elapsed(Duration.ofMillis(duration(written.durationMs())))
                + (snapshot.isEmpty() ? "" : ": " + RunLog.stats(snapshot))
                + (written.failure() == null ? "" : "; could not record the run's end in the ledger: " + written.failure() + "; run "
                        + run.id() + " stays 'running' there until the job's next run marks it failed"));
    }

    private long duration(Long durationMs) {
        return durationMs != null ? durationMs : Duration.between(run.startedAt(), Instant.now()).toMillis();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
