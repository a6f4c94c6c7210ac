package io.nightshift.runner.cli;

import io.nightshift.api.LedgerKeep;
import io.nightshift.api.Task;
import io.nightshift.api.TableName;
import io.nightshift.api.contract.ExitCodes;
import io.nightshift.api.contract.RunResult;
import io.nightshift.api.contract.RunnerEnvironment;
import io.nightshift.runner.connection.ConnectionSettings;
import io.nightshift.runner.connection.Database;
import io.nightshift.runner.ledger.KubernetesJob;
import io.nightshift.runner.result.ResultDocument;
import io.nightshift.runner.result.ResultWriter;
import io.nightshift.runner.run.JobRun;
import io.nightshift.runner.run.RunLog;
import io.nightshift.runner.run.RunSettings;
import io.nightshift.runner.run.StopSignal;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.tasks.MaintenanceTask;
import io.nightshift.runner.tasks.TaskFactory;
import io.nightshift.runner.tasks.TaskParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: reads the runner's contract environment (or the options), runs the task once, exits 0, 1 or 2. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
        "Runs the task once. Reads NIGHTSHIFT_JOB_NAME, NIGHTSHIFT_TASK (JSON), NIGHTSHIFT_DATABASE_URL or PGHOST/PGPORT/"
                + "PGDATABASE/PGUSER/PGPASSWORD, NIGHTSHIFT_LEDGER_TABLE, NIGHTSHIFT_LEDGER_KEEP and NIGHTSHIFT_TERMINATION_LOG.",
        "Exit codes: 0 success or skipped (another run holds the job's lock, a run of the same scheduled slot or of the same "
                + "Kubernetes Job already succeeded), 1 the run failed, 2 invalid configuration."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--task-file", paramLabel = "FILE", description = "Read the task JSON from this file instead of NIGHTSHIFT_TASK.")
    Path taskFile;

    @Option(names = "--job-name", paramLabel = "NAME", description = "The job's name in the ledger, instead of NIGHTSHIFT_JOB_NAME.")
    String jobName;

    @Option(names = "--dry-run", description = "Report what the task would change (e.g. rows older than the cutoff) and change nothing.")
    boolean dryRun;

    private final Function<String, String> env;

    public RunCommand() {
        this(System::getenv);
    }

    RunCommand(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        RunLog log = new RunLog(System.out);
        Path terminationLog = terminationLog();
        RunSettings settings;
        Database database;
        MaintenanceTask task;
        try {
            settings = settings(terminationLog);
            database = new Database(ConnectionSettings.fromEnvironment(env));
            task = TaskFactory.create(settings.task());
        } catch (ConfigurationException e) {
            log.line("configuration error: " + e.getMessage());
            Instant now = Instant.now();
            if (terminationLog != null) {
                ResultWriter.write(terminationLog, new ResultDocument(RunResult.FAILED, null, now.toString(), now.toString(), 0L,
                        Map.of(), e.getMessage()));
            }
            return ExitCodes.CONFIGURATION;
        }
        String job = (settings.namespace() == null ? "" : settings.namespace() + "/") + settings.jobName();
        log.line("nightshift-job-runner: job " + job + ", task " + settings.task().kind() + ", database " + database.settings()
                + (settings.slot() == null ? "" : ", slot " + settings.slot()) + (settings.dryRun() ? " (dry run)" : ""));
        StopSignal stop = StopSignal.install();
        try {
            return new JobRun(settings, database, task, stop, env, log).execute();
        } finally {
            stop.uninstall();
        }
    }

    /**
     * {@code NIGHTSHIFT_TERMINATION_LOG}, else {@code /dev/termination-log} when it exists (Kubernetes
     * mounts it into every container); outside a pod, null: no result file.
     */
    private Path terminationLog() {
        String configured = env.apply(RunnerEnvironment.TERMINATION_LOG);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path standard = Path.of(RunnerEnvironment.DEFAULT_TERMINATION_LOG);
        return Files.isRegularFile(standard) && Files.isWritable(standard) ? standard : null;
    }

    private RunSettings settings(Path terminationLog) {
        String name = jobName != null ? jobName : env.apply(RunnerEnvironment.JOB_NAME);
        if (name == null || name.isBlank()) {
            throw new ConfigurationException("job name: set " + RunnerEnvironment.JOB_NAME + " or use --job-name");
        }
        JobNames.check(name);
        String namespace = env.apply(RunnerEnvironment.NAMESPACE);
        if (namespace != null && namespace.isBlank()) {
            namespace = null;
        }
        if (namespace != null) {
            JobNames.checkNamespace(namespace);
        }
        String taskJson;
        if (taskFile != null) {
            try {
                taskJson = Files.readString(taskFile);
            } catch (IOException e) {
                throw new ConfigurationException("--task-file: cannot read " + taskFile + ": " + e.getMessage());
            }
        } else {
            taskJson = env.apply(RunnerEnvironment.TASK);
        }
        Task task = TaskParser.parse(taskJson);
        String ledger = orDefault(env.apply(RunnerEnvironment.LEDGER_TABLE), RunnerEnvironment.DEFAULT_LEDGER_TABLE);
        TableName ledgerTable;
        try {
            ledgerTable = TableName.parse(ledger);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(RunnerEnvironment.LEDGER_TABLE + ": " + e.getMessage());
        }
        String keep = env.apply(RunnerEnvironment.LEDGER_KEEP);
        keep = keep == null || keep.isBlank() ? null : keep.trim();
        if (keep != null) {
            try {
                LedgerKeep.parse(keep);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(RunnerEnvironment.LEDGER_KEEP + ": " + e.getMessage());
            }
        }
        return new RunSettings(name, namespace, env.apply(RunnerEnvironment.POD_NAME), task, ledgerTable,
                terminationLog, dryRun, ScheduledSlot.fromEnvironment(env).orElse(null), kubernetesJob(), keep);
    }

    /** The Job whose pod this is, as the operator passes it (the pod's job-name and controller-uid labels); null by hand. */
    private KubernetesJob kubernetesJob() {
        String name = env.apply(RunnerEnvironment.KUBERNETES_JOB);
        return name == null || name.isBlank() ? null : new KubernetesJob(name.trim(), env.apply(RunnerEnvironment.KUBERNETES_JOB_UID));
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
