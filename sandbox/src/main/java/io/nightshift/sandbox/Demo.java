package io.nightshift.sandbox;

import io.nightshift.api.contract.RunResult;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.RunRecord;
import io.nightshift.sandbox.examples.Examples;
import io.nightshift.sandbox.report.LedgerRows;
import io.nightshift.sandbox.report.MetricLines;
import io.nightshift.sandbox.report.RunTable;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The walk-through: install every example, run each once now, and show what a team would look at. */
public final class Demo {

    public static final String NAMESPACE = "demo";
    private static final Duration RUNS_TIMEOUT = Duration.ofSeconds(90);

    private Demo() {
    }

    /** True when every example's run finished and succeeded. */
    public static boolean run(Sandbox sandbox, Examples examples, PrintStream out) throws IOException, SQLException, InterruptedException {
        out.printf("Installing %d examples into namespace %s (tables, sample data, Secrets pointed at the sandbox, MaintenanceJobs)%n",
                examples.jobs().size(), NAMESPACE);
        List<MaintenanceJob> jobs = sandbox.install(examples, NAMESPACE);
        String value = "sandbox-" + Instant.now().getEpochSecond();
        out.printf("Running each once now (annotation nightshift.io/run-now=%s)%n", value);
        Map<String, String> runs = new LinkedHashMap<>();
        for (MaintenanceJob job : jobs) {
            runs.put(job.getMetadata().getName(), sandbox.runNow(NAMESPACE, job.getMetadata().getName(), value));
        }
        Instant deadline = Instant.now().plus(RUNS_TIMEOUT);
        boolean allSucceeded = true;
        for (Map.Entry<String, String> run : runs.entrySet()) {
            Duration left = Duration.between(Instant.now(), deadline);
            Optional<RunRecord> record = sandbox.awaitRun(NAMESPACE, run.getKey(), run.getValue(), left.isNegative() ? Duration.ZERO : left);
            if (record.isEmpty()) {
                out.printf("  %s: its run %s did not finish within %s%n", run.getKey(), run.getValue(), RUNS_TIMEOUT);
            }
            allSucceeded &= record.map(r -> RunResult.SUCCESS.is(r.result())).orElse(false);
        }
        report(sandbox, out);
        return allSucceeded;
    }

    static void report(Sandbox sandbox, PrintStream out) throws SQLException {
        List<MaintenanceJob> jobs = sandbox.jobs(NAMESPACE).stream().sorted(Comparator.comparing(j -> j.getMetadata().getName())).toList();
        out.println();
        out.println("kubectl get mj -n " + NAMESPACE + " (last run of each)");
        out.println(RunTable.render(jobs));
        out.println("SELECT * FROM job_executions");
        try (Connection c = sandbox.database().connect()) {
            out.println(LedgerRows.render(c));
        }
        out.println("GET " + sandbox.metricsUrl() + " (nightshift series)");
        out.println(MetricLines.of(sandbox.scrape()));
        out.println("Each run's output: " + sandbox.workDir().resolve(NAMESPACE) + "/<pod>/container.log");
    }
}
