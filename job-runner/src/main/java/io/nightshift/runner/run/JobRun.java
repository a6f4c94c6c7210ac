package io.nightshift.runner.run;

import io.nightshift.runner.connection.Database;
import io.nightshift.runner.ledger.Ledger;
import io.nightshift.runner.lock.JobLock;
import io.nightshift.runner.result.ResultDocument;
import io.nightshift.runner.result.ResultWriter;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.tasks.MaintenanceTask;
import io.nightshift.runner.tasks.TaskOutcome;
import io.nightshift.runner.tasks.TerminatedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One run of one job: take the job's lock, record the run in the ledger, do the task, record how it
 * ended, write the result document. Returns the process exit code: 0 success or skipped, 1 failed,
 * 2 invalid configuration.
 */
public final class JobRun {

    public static final int EXIT_SUCCESS = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_CONFIGURATION = 2;
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    private final RunSettings settings;
    private final Database database;
    private final MaintenanceTask task;
    private final StopSignal stop;
    private final Function<String, String> env;
    private final RunLog log;
    private final AtomicBoolean recorded = new AtomicBoolean();

    public JobRun(RunSettings settings, Database database, MaintenanceTask task, StopSignal stop, Function<String, String> env,
            RunLog log) {
        this.settings = settings;
        this.database = database;
        this.task = task;
        this.stop = stop;
        this.env = env;
        this.log = log;
    }

    public int execute() {
        Instant started = Instant.now();
        try (Connection session = database.open()) {
            if (!JobLock.tryAcquire(session, settings.jobName())) {
                log.line("skipped: another run of " + settings.jobName() + " holds its lock");
                return record(new ResultDocument(ResultDocument.SKIPPED, null, started.toString(), Instant.now().toString(),
                        Duration.between(started, Instant.now()).toMillis(), Map.of(), null), EXIT_SUCCESS);
            }
            return settings.dryRun() ? dryRun(started) : run(session);
        } catch (ConfigurationException | SQLException e) {
            Failure failure = Failure.of(e);
            log.line(prefix(failure) + failure.message());
            return record(failed(started, null, Map.of(), failure.message()), failure.exitCode());
        }
    }

    private int dryRun(Instant started) {
        RunContext context = new RunContext(database, true, stop, env, log);
        try {
            TaskOutcome outcome = task.run(context);
            log.line("dry run: " + outcome.summary() + " (nothing was changed)");
            return record(new ResultDocument(outcome.success() ? ResultDocument.SUCCESS : ResultDocument.FAILED, null,
                    started.toString(), Instant.now().toString(), Duration.between(started, Instant.now()).toMillis(),
                    context.stats().snapshot(), outcome.success() ? null : outcome.summary()), outcome.success() ? EXIT_SUCCESS : EXIT_FAILED);
        } catch (Exception e) {
            Failure failure = Failure.of(e);
            log.line(prefix(failure) + failure.message());
            return record(failed(started, null, context.stats().snapshot(), failure.message()), failure.exitCode());
        }
    }

    private int run(Connection session) throws SQLException {
        Ledger ledger = new Ledger(session, settings.ledgerTable());
        ledger.ensureTable();
        int abandoned = ledger.failAbandonedRuns(settings.jobName());
        if (abandoned > 0) {
            log.line("marked " + abandoned + " earlier run(s) of " + settings.jobName() + " failed: they ended without recording a result");
        }
        Ledger.Started run = ledger.start(settings.jobName());
        log.line("run " + run.id() + " of " + settings.jobName() + " started");
        RunContext context = new RunContext(database, false, stop, env, log);
        stop.onStop(context::cancelRunningStatements);
        stop.onGiveUp(() -> finish(ledger, run, context, false, "terminated before completion: the task did not stop within "
                + StopSignal.WAIT.toSeconds() + " s", EXIT_FAILED));
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        progress.scheduleAtFixedRate(() -> publish(ledger, run, context), PROGRESS_INTERVAL.toMillis(), PROGRESS_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            TaskOutcome outcome = task.run(context);
            if (stop.requested() && !outcome.success()) {
                return finish(ledger, run, context, false, "terminated before completion: " + outcome.summary(), EXIT_FAILED);
            }
            log.line(outcome.summary());
            return finish(ledger, run, context, outcome.success(), outcome.success() ? null : outcome.summary(),
                    outcome.success() ? EXIT_SUCCESS : EXIT_FAILED);
        } catch (TerminatedException e) {
            log.line("terminated before completion: " + e.getMessage());
            return finish(ledger, run, context, false, "terminated before completion: " + e.getMessage(), EXIT_FAILED);
        } catch (Exception e) {
            Failure failure = Failure.of(e);
            if (stop.requested() && failure.exitCode() != EXIT_CONFIGURATION) {
                failure = new Failure(EXIT_FAILED, "terminated before completion: " + failure.message());
            }
            log.line(prefix(failure) + failure.message());
            return finish(ledger, run, context, false, failure.message(), failure.exitCode());
        } finally {
            progress.shutdownNow();
        }
    }

    private void publish(Ledger ledger, Ledger.Started run, RunContext context) {
        try {
            ledger.progress(run.id(), context.stats().snapshot());
        } catch (SQLException e) {
            log.line("could not update progress in the ledger: " + e.getMessage());
        }
    }

    /** Records the end once, whoever gets there first: the run, or the SIGTERM handler giving up on it. */
    private int finish(Ledger ledger, Ledger.Started run, RunContext context, boolean success, String error, int exitCode) {
        if (!recorded.compareAndSet(false, true)) {
            return exitCode;
        }
        Map<String, Object> stats = context.stats().snapshot();
        long durationMs = Duration.between(run.startedAt(), Instant.now()).toMillis();
        try {
            durationMs = ledger.finish(run.id(), success, stats, error);
        } catch (SQLException e) {
            // The work is done either way; the row stays 'running' and the next run marks it as ended unrecorded.
            log.line("could not record the run's end in the ledger: " + e.getMessage());
        }
        String completed = run.startedAt().plusMillis(durationMs).toString();
        ResultDocument doc = new ResultDocument(success ? ResultDocument.SUCCESS : ResultDocument.FAILED, run.id(),
                run.startedAt().toString(), completed, durationMs, stats, error);
        log.line((success ? "succeeded" : "failed") + " in " + RunLog.elapsed(Duration.ofMillis(durationMs))
                + (stats.isEmpty() ? "" : ": " + RunLog.stats(stats)));
        writeResult(doc);
        stop.recorded();
        return exitCode;
    }

    private int record(ResultDocument doc, int exitCode) {
        writeResult(doc);
        stop.recorded();
        return exitCode;
    }

    private void writeResult(ResultDocument doc) {
        if (settings.terminationLog() != null && !ResultWriter.write(settings.terminationLog(), doc)) {
            log.line("could not write the result document to " + settings.terminationLog());
        }
    }

    private static ResultDocument failed(Instant started, Long id, Map<String, Object> stats, String error) {
        Instant now = Instant.now();
        return new ResultDocument(ResultDocument.FAILED, id, started.toString(), now.toString(),
                Duration.between(started, now).toMillis(), stats, error);
    }

    private static String prefix(Failure failure) {
        return failure.exitCode() == EXIT_CONFIGURATION ? "configuration error: " : "failed: ";
    }
}
