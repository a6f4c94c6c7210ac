package io.nightshift.runner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task's connection is opened while the run is recorded in the ledger: the task runs on it (no
 * connection beyond the lock's, the ledger's and the task's), a task that needs none gets none, and a run
 * that ends early closes it.
 */
@DatabaseFacing
class TaskConnectionTest {

    private static final String RUNNER_SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nightshift-job-runner' AND datname = current_database()";

    @TempDir
    Path dir;

    @Test
    void aTaskRunsOnTheConnectionOpenedForItAndNothingStaysOpenAfterTheRun() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE seen (sessions bigint)");
        RunnerHarness runner = new RunnerHarness(db, dir);

        RunnerHarness.Outcome out = runner.run(runner.env("count-sessions",
                "{\"sql\":{\"statement\":\"INSERT INTO seen " + RUNNER_SESSIONS + "\"}}"));

        assertThat(out.exitCode()).as(out.log()).isZero();
        assertThat(db.column("SELECT sessions FROM seen")).as("the job's lock's session, the ledger's and the task's").containsExactly("3");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db.column(RUNNER_SESSIONS)).containsExactly("0"));
    }

    @Test
    void aRetentionLooksItsTableUpWhileTheRunIsRecordedAndAFailureThereFailsTheRecordedRun() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE system_logs (id bigserial PRIMARY KEY, \"timestamp\" timestamptz NOT NULL);"
                + "INSERT INTO system_logs (\"timestamp\") SELECT now() - g * interval '1 hour' FROM generate_series(1, 100) g");
        RunnerHarness runner = new RunnerHarness(db, dir);

        RunnerHarness.Outcome ok = runner.run(runner.env("log-cleanup",
                "{\"retention\":{\"table\":\"system_logs\",\"timestampColumn\":\"timestamp\",\"olderThan\":\"2d\"}}"));
        RunnerHarness.Outcome missing = runner.run(runner.env("log-cleanup",
                "{\"retention\":{\"table\":\"system_logs\",\"timestampColumn\":\"created_at\",\"olderThan\":\"2d\"}}"));

        assertThat(ok.exitCode()).as(ok.log()).isZero();
        assertThat(db.column("SELECT count(*) FROM system_logs")).containsExactly("47");
        assertThat(missing.exitCode()).as(missing.log()).isEqualTo(2);
        assertThat(db.column("SELECT status || ': ' || error_message FROM job_executions WHERE status <> 'success'"))
                .containsExactly("failed: task.retention.timestampColumn: table public.system_logs has no column \"created_at\"");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db.column(RUNNER_SESSIONS)).containsExactly("0"));
    }

    @Test
    void aRunSkippedBecauseItsSlotIsDoneClosesTheConnectionOpenedForItsTask() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE work (n int)");
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("log-cleanup", "{\"sql\":{\"statement\":\"INSERT INTO work VALUES (1)\"}}");
        env.put("NIGHTSHIFT_NAMESPACE", "app");
        env.put("NIGHTSHIFT_CRONJOB", "log-cleanup");
        env.put("NIGHTSHIFT_KUBERNETES_JOB", "log-cleanup-29936564");

        assertThat(runner.run(env).exitCode()).isZero();
        RunnerHarness.Outcome skipped = runner.run(env);

        assertThat(skipped.result().path("status").asText()).isEqualTo("skipped");
        assertThat(db.column("SELECT count(*) FROM work")).containsExactly("1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db.column(RUNNER_SESSIONS)).containsExactly("0"));
    }

    @Test
    void anHttpTaskRunsWithTheRunsSessionsAlone() throws Exception {
        TestDatabase db = TestDatabase.create();
        List<String> sessionsDuringRequest = new ArrayList<>();
        HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/admin/reset", exchange -> {
            try {
                sessionsDuringRequest.addAll(db.column(RUNNER_SESSIONS));
            } catch (Exception e) {
                sessionsDuringRequest.add(e.toString());
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        app.start();
        try {
            RunnerHarness runner = new RunnerHarness(db, dir);
            RunnerHarness.Outcome out = runner.run(runner.env("reset", "{\"http\":{\"url\":\"http://127.0.0.1:" + app.getAddress().getPort()
                    + "/admin/reset\"}}"));

            assertThat(out.exitCode()).as(out.log()).isZero();
            assertThat(sessionsDuringRequest).as("only the run's sessions: the job's lock's and the ledger's").containsExactly("2");
        } finally {
            app.stop(0);
        }
    }
}
