package io.nightshift.runner.run;

import io.nightshift.api.contract.ExitCodes;
import io.nightshift.api.contract.RunResult;
import io.nightshift.api.contract.SkipReason;
import io.nightshift.api.contract.Termination;
import io.nightshift.runner.connection.Database;
import io.nightshift.runner.ledger.EarlierSuccess;
import io.nightshift.runner.ledger.Ledger;
import io.nightshift.runner.ledger.LedgerPruning;
import io.nightshift.runner.ledger.LedgerSetup;
import io.nightshift.runner.ledger.LedgerShape;
import io.nightshift.runner.lock.JobLock;
import io.nightshift.runner.lock.StatementPoolingException;
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
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One run of one job: take the job's lock, record the run in the ledger, do the task, record how it
 * ended, write the result document. Returns the process exit code: 0 success or skipped, 1 failed,
 * 2 invalid configuration.
 */
public final class JobRun {

    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    /** How soon a run notices that it lost its lock (its session was terminated). */
    static final Duration LOCK_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final RunSettings settings;
    private final Database database;
    private final MaintenanceTask task;
    private final StopSignal stop;
    private final Function<String, String> env;
    private final RunLog log;

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
        stop.onGiveUp(() -> {
            writeResult(failed(started, null, Map.of(), Termination.message("stopped before the run started")));
            return ExitCodes.FAILED;
        });
        // The ledger's connection logs in while the job's lock is taken on a connection of its own.
        try (EarlyConnection ledgerConnection = EarlyConnection.open(database, c -> { })) {
            Optional<JobLock> taken;
            try {
                taken = JobLock.tryAcquire(database, settings.namespace(), settings.jobName());
            } catch (StatementPoolingException e) {
                return refuse(ledgerConnection, started, e);
            }
            if (taken.isEmpty()) {
                log.line("skipped: another run of " + settings.jobName() + " holds its lock");
                return record(skipped(started, SkipReason.LOCK_HELD), ExitCodes.SUCCESS);
            }
            try (JobLock lock = taken.get(); Connection session = take(ledgerConnection)) {
                return settings.dryRun() ? dryRun(session, started) : run(session, lock, started);
            }
        } catch (ConfigurationException | SQLException e) {
            Failure failure = Failure.of(e);
            log.line(prefix(failure) + failure.message());
            return record(failed(started, null, Map.of(), failure.message()), failure.exitCode());
        }
    }

    /** The connection opened early, or, when its login failed, a new one that reports why. */
    private Connection take(EarlyConnection early) throws SQLException {
        Connection c = early.take();
        return c != null ? c : database.open();
    }

    /**
     * The job's lock cannot be held through this connection string: nothing is done, and the refusal is
     * recorded as a failed run that says which connection string to use, in the ledger where it exists
     * (a pooler in statement mode cannot create it: that takes a transaction).
     */
    private int refuse(EarlyConnection ledgerConnection, Instant started, StatementPoolingException refusal) {
        Failure failure = Failure.of(refusal);
        Long id = null;
        try (Connection session = take(ledgerConnection)) {
            Optional<LedgerShape> shape = LedgerSetup.prepare(session, settings.ledgerTable(), false).shape();
            if (shape.isPresent()) {
                id = new Ledger(session, shape.get(), settings.namespace(), settings.slot(), settings.kubernetesJob())
                        .refused(settings.jobName(), failure.message());
            } else {
                log.line("the run ledger " + settings.ledgerTable() + " does not exist yet: the refusal below is not recorded there");
            }
        } catch (ConfigurationException | SQLException e) {
            log.line("could not record the refusal in the ledger: " + Failure.of(e).message());
        }
        log.line(prefix(failure) + failure.message());
        return record(failed(started, id, Map.of(), failure.message()), failure.exitCode());
    }

    private int dryRun(Connection session, Instant started) throws SQLException {
        boolean exists = LedgerSetup.prepare(session, settings.ledgerTable(), false).shape().isPresent();
        log.line("run ledger " + settings.ledgerTable() + (exists ? ": its shape and this role's privileges on it are fine"
                : ": does not exist yet; the first run creates it (this role may)"));
        RunContext context = new RunContext(database, true, stop, env, log);
        try {
            TaskOutcome outcome = task.run(context);
            log.line("dry run: " + outcome.summary() + " (nothing was changed)");
            return record(new ResultDocument(outcome.success() ? RunResult.SUCCESS : RunResult.FAILED, null,
                    started.toString(), Instant.now().toString(), Duration.between(started, Instant.now()).toMillis(),
                    context.stats().snapshot(), outcome.success() ? null : outcome.summary()), outcome.success() ? ExitCodes.SUCCESS : ExitCodes.FAILED);
        } catch (Exception e) {
            Failure failure = Failure.of(e);
            log.line(prefix(failure) + failure.message());
            return record(failed(started, null, context.stats().snapshot(), failure.message()), failure.exitCode());
        }
    }

    private int run(Connection session, JobLock lock, Instant started) throws SQLException {
        try (EarlyConnection early = task.usesDatabase() ? EarlyConnection.open(database, task::prepare) : null) {
            return run(session, lock, started, early);
        }
    }

    private int run(Connection session, JobLock lock, Instant started, EarlyConnection early) throws SQLException {
        LedgerSetup.Found found = LedgerSetup.prepare(session, settings.ledgerTable(), true);
        if (found.created()) {
            log.line("created the run ledger " + settings.ledgerTable() + " with its indexes");
        }
        Ledger ledger = new Ledger(session, found.shape().orElseThrow(), settings.namespace(), settings.slot(), settings.kubernetesJob());
        Optional<LedgerPruning> pruning = LedgerPruning.plan(session, found.shape().orElseThrow(), settings.ledgerKeep(),
                settings.jobName(), settings.namespace(), log::line);
        int abandoned = ledger.failAbandonedRuns(settings.jobName());
        if (abandoned > 0) {
            log.line("marked " + abandoned + " earlier run(s) of " + settings.jobName() + " failed: they ended without recording a result");
        }
        EarlierSuccess earlier = ledger.earlierSuccess();
        Optional<Long> done = earlier.ofSlot(settings.jobName());
        if (done.isPresent()) {
            log.line("skipped: slot " + settings.slot() + " of " + settings.jobName() + " already done by run " + done.get());
            return record(skipped(started, SkipReason.SLOT_ALREADY_DONE), ExitCodes.SUCCESS);
        }
        Optional<Long> jobDone = earlier.ofJob(settings.jobName());
        if (jobDone.isPresent()) {
            log.line("skipped: Kubernetes Job " + settings.kubernetesJob().name() + " of " + settings.jobName() + " already succeeded as run "
                    + jobDone.get() + " (its pod was started again)");
            return record(skipped(started, SkipReason.JOB_ALREADY_SUCCEEDED), ExitCodes.SUCCESS);
        }
        Ledger.Started run = ledger.start(settings.jobName(), lock::holdRow);
        log.line("run " + run.id() + " of " + settings.jobName() + " started");
        RunContext context = new RunContext(database, early, false, stop, env, log);
        RunEnd end = new RunEnd(ledger, run, context.stats(), database, this::writeResult, log);
        if (stop.requested()) {
            // SIGTERM came while the run was connecting: record it as ended, not as running, and do no work.
            return finish(end, new RunEnd.Outcome(false, Termination.message("stopped before the task began"), ExitCodes.FAILED));
        }
        stop.onStop(context::cancelRunningStatements);
        stop.onGiveUp(() -> end.recordWithin(new RunEnd.Outcome(false, Termination.message("the task did not stop within "
                + StopSignal.WAIT.toSeconds() + " s"), ExitCodes.FAILED), StopSignal.GIVE_UP_LIMIT.minusSeconds(1)));
        ScheduledExecutorService watch = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "run-watch");
            t.setDaemon(true);
            return t;
        });
        watch.execute(Ledger::warmUp);
        watch.scheduleWithFixedDelay(() -> checkLock(lock, context), LOCK_CHECK_INTERVAL.toMillis(), LOCK_CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        ProgressPublisher progress = new ProgressPublisher(ledger, run, context.stats(), log);
        watch.scheduleAtFixedRate(progress::publish, PROGRESS_INTERVAL.toMillis(), PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        RunEnd.Outcome outcome;
        try {
            outcome = work(context, pruning);
        } finally {
            // Nothing more to watch: the end is decided, and recording it may wait for the database.
            watch.shutdownNow();
        }
        return finish(end, outcome);
    }

    /** Does the task (and prunes the ledger after it) and says how the run ended. */
    private RunEnd.Outcome work(RunContext context, Optional<LedgerPruning> pruning) {
        try {
            TaskOutcome outcome = task.run(context);
            if (pruning.isPresent() && context.lockLost() == null && !stop.requested()) {
                prune(pruning.get(), context);
            }
            if (context.lockLost() != null) {
                return lostLock(context, outcome.success() ? null : outcome.summary());
            }
            if (stop.requested() && !outcome.success()) {
                return new RunEnd.Outcome(false, Termination.message(outcome.summary()), ExitCodes.FAILED);
            }
            log.line(outcome.summary());
            return new RunEnd.Outcome(outcome.success(), outcome.success() ? null : outcome.summary(),
                    outcome.success() ? ExitCodes.SUCCESS : ExitCodes.FAILED);
        } catch (Exception e) {
            Failure failure = Failure.of(e);
            if (context.lockLost() != null) {
                boolean stopped = e instanceof TerminatedException || Failure.isQueryCanceled(e);
                return lostLock(context, stopped ? null : failure.message());
            }
            if (e instanceof TerminatedException || (stop.requested() && failure.exitCode() != ExitCodes.CONFIGURATION)) {
                failure = new Failure(ExitCodes.FAILED, Termination.message(failure.message()));
            }
            log.line(prefix(failure) + failure.message());
            return new RunEnd.Outcome(false, failure.message(), failure.exitCode());
        }
    }

    /** Prunes the job's old ledger rows after its task; a failure to prune is logged and does not change the run's outcome. */
    private void prune(LedgerPruning pruning, RunContext context) {
        context.stats().init(LedgerPruning.STAT);
        try (Connection c = context.openConnection()) {
            long pruned = pruning.run(c, context::stopRequested, n -> context.stats().add(LedgerPruning.STAT, n));
            if (pruned > 0) {
                log.line("pruned " + pruned + " ledger row(s) of " + settings.jobName() + " older than " + pruning.keep());
            }
        } catch (SQLException | RuntimeException e) {
            log.line("could not prune the run ledger: " + Failure.of(e).message());
        }
    }

    /** Asks the lock's session whether it still holds the job's lock; if not, the run stops at once. */
    private void checkLock(JobLock lock, RunContext context) {
        if (context.lockLost() != null) {
            return;
        }
        try {
            if (!lock.stillHeld()) {
                context.loseLock("the session no longer holds it");
            }
        } catch (SQLException e) {
            if (Failure.isConnectionLost(e)) {
                context.loseLock("its database session ended (" + Failure.of(e).message() + ")");
            }
        }
    }

    /** The end of a run that lost its lock; {@code detail} is what the task said, unless it only reports being stopped. */
    private RunEnd.Outcome lostLock(RunContext context, String detail) {
        String why = "lost its lock: " + context.lockLost() + "; stopped at once so that two runs never work at the same time"
                + (detail == null ? "" : " (" + detail + ")");
        log.line("failed: " + why);
        return new RunEnd.Outcome(false, why, ExitCodes.FAILED);
    }

    private int finish(RunEnd end, RunEnd.Outcome outcome) {
        int code = end.record(outcome);
        stop.recorded(code);
        return code;
    }

    private int record(ResultDocument doc, int exitCode) {
        writeResult(doc);
        stop.recorded(exitCode);
        return exitCode;
    }

    private void writeResult(ResultDocument doc) {
        if (settings.slot() != null) {
            doc = doc.withSlot(settings.slot().toString());
        }
        if (settings.terminationLog() != null && !ResultWriter.write(settings.terminationLog(), doc)) {
            log.line("could not write the result document to " + settings.terminationLog());
        }
    }

    private static ResultDocument skipped(Instant started, SkipReason reason) {
        Instant now = Instant.now();
        return new ResultDocument(RunResult.SKIPPED, null, started.toString(), now.toString(), Duration.between(started, now).toMillis(),
                Map.of(), null, reason, null);
    }

    private static ResultDocument failed(Instant started, Long id, Map<String, Object> stats, String error) {
        Instant now = Instant.now();
        return new ResultDocument(RunResult.FAILED, id, started.toString(), now.toString(),
                Duration.between(started, now).toMillis(), stats, error);
    }

    private static String prefix(Failure failure) {
        return failure.exitCode() == ExitCodes.CONFIGURATION ? "configuration error: " : "failed: ";
    }
}
