package io.nightshift.runner.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The life of a run as the ledger, the result document and the exit code show it. */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class JobRunTest {

    @Parameter
    ConnectionTarget target;

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeParameterizedClassInvocation
    static void database() {
        db = TestDatabase.create();
    }

    private RunnerHarness runner() {
        return new RunnerHarness(db, dir, target);
    }

    private List<Map<String, Object>> ledger(String table, String job) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, status, stats::text AS stats, error_message, completed_at, duration_ms FROM " + table
                        + " WHERE job_name = ? ORDER BY id")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new java.util.HashMap<>();
                    row.put("id", rs.getLong("id"));
                    row.put("status", rs.getString("status"));
                    row.put("stats", rs.getString("stats"));
                    row.put("error", rs.getString("error_message"));
                    row.put("completed", rs.getTimestamp("completed_at"));
                    row.put("duration", rs.getObject("duration_ms"));
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    @Test
    void createsTheLedgerWithItsIndexesAndRecordsASuccess() throws Exception {
        db.execute("CREATE SCHEMA ops; CREATE TABLE counters (n int); INSERT INTO counters VALUES (1), (2), (3)");
        Map<String, String> env = runner().env("reset-counters", "{\"sql\":{\"statement\":\"UPDATE counters SET n = 0\"}}");
        env.put("NIGHTSHIFT_LEDGER_TABLE", "ops.runs");

        RunnerHarness.Outcome out = runner().run(env);

        assertThat(out.exitCode()).isZero();
        List<Map<String, Object>> rows = ledger("ops.runs", "reset-counters");
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.get("status")).isEqualTo("success");
            assertThat((String) r.get("stats")).isEqualTo("{\"rows\": 3, \"batches\": 1, \"ledgerPruned\": 0}");
            assertThat(r.get("completed")).isNotNull();
            assertThat(r.get("duration")).isNotNull();
            assertThat(r.get("error")).isNull();
        });
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = 'ops' AND tablename = 'runs'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("primary key and the five indexes").isEqualTo(6);
        }
        assertThat(db.column("SELECT data_type || ' ' || is_nullable FROM information_schema.columns WHERE table_schema = 'ops' "
                + "AND table_name = 'runs' AND column_name = 'namespace'")).containsExactly("character varying YES");
        assertThat(db.column("SELECT data_type || ' ' || is_nullable FROM information_schema.columns WHERE table_schema = 'ops' "
                + "AND table_name = 'runs' AND column_name = 'slot'")).containsExactly("timestamp with time zone YES");
        assertThat(out.result().path("status").asText()).isEqualTo("success");
        assertThat(out.result().path("executionId").asLong()).isEqualTo(rows.get(0).get("id"));
        assertThat(out.result().path("stats").path("rows").asLong()).isEqualTo(3);
        assertThat(out.result().has("startedAt")).isTrue();
        assertThat(out.result().has("completedAt")).isTrue();
        assertThat(out.result().has("durationMs")).isTrue();
    }

    @Test
    void worksWithTheExistingSeedShapedTableAndRecordsAFailure() throws Exception {
        db.execute("CREATE SCHEMA seed; CREATE TABLE seed.job_executions (id SERIAL PRIMARY KEY, job_name VARCHAR(100) NOT NULL, "
                + "status VARCHAR(20) NOT NULL CHECK (status IN ('running', 'success', 'failed')), "
                + "started_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP, completed_at TIMESTAMPTZ, duration_ms INTEGER, "
                + "stats JSONB DEFAULT '{}', error_message TEXT, created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP);"
                + "INSERT INTO seed.job_executions (job_name, status, stats) VALUES ('log_cleanup', 'success', '{\"deleted\": 5}')");
        Map<String, String> env = runner().env("log_cleanup", "{\"sql\":{\"statement\":\"SELECT * FROM no_such_table\"}}");
        env.put("NIGHTSHIFT_LEDGER_TABLE", "seed.job_executions");

        RunnerHarness.Outcome out = runner().run(env);

        assertThat(out.exitCode()).as("a missing table is a configuration error").isEqualTo(2);
        List<Map<String, Object>> rows = ledger("seed.job_executions", "log_cleanup");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("status")).as("history is kept").isEqualTo("success");
        assertThat(rows.get(1).get("status")).isEqualTo("failed");
        assertThat((String) rows.get(1).get("error")).contains("no_such_table");
        assertThat(out.result().path("status").asText()).isEqualTo("failed");
        assertThat(out.result().path("error").asText()).contains("no_such_table");
    }

    @Test
    void aSecondRunWhileTheFirstHoldsTheLockIsSkippedWithoutARow() throws Exception {
        try (Connection holder = db.connect(); PreparedStatement ps = holder.prepareStatement(
                "SELECT pg_advisory_lock(hashtextextended('nightshift:' || ?, 0))")) {
            ps.setString(1, "busy-job");
            ps.execute();

            RunnerHarness.Outcome out = runner().run(runner().env("busy-job", "{\"sql\":{\"statement\":\"SELECT 1\"}}"));

            assertThat(out.exitCode()).isZero();
            assertThat(out.result().path("status").asText()).isEqualTo("skipped");
            assertThat(out.log()).contains("another run of busy-job holds its lock");
        }
        assertThat(ledger("public.job_executions", "busy-job")).isEmpty();
    }

    @Test
    void aRunningRowLeftByAKilledRunIsMarkedFailedByTheNextRun() throws Exception {
        runner().run(runner().env("warm-up", "{\"sql\":{\"statement\":\"SELECT 1\"}}"));
        db.execute("INSERT INTO job_executions (job_name, status, started_at) VALUES ('nightly', 'running', now() - interval '1 hour')");

        RunnerHarness.Outcome out = runner().run(runner().env("nightly", "{\"sql\":{\"statement\":\"SELECT 1\"}}"));

        assertThat(out.exitCode()).isZero();
        List<Map<String, Object>> rows = ledger("public.job_executions", "nightly");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("status")).isEqualTo("failed");
        assertThat((String) rows.get(0).get("error")).contains("ended without recording a result");
        assertThat(rows.get(0).get("completed")).isNotNull();
        assertThat(rows.get(0).get("duration")).as("how long it ran is unknown, not the hour until it was found").isNull();
        assertThat(rows.get(1).get("status")).isEqualTo("success");
        assertThat(out.log()).contains("marked 1 earlier run(s) of nightly failed");
    }

    @Test
    void statsAreUpdatedWhileALongTaskRuns() throws Exception {
        db.execute("CREATE TABLE slow_items (id int PRIMARY KEY, done boolean NOT NULL DEFAULT false);"
                + "INSERT INTO slow_items SELECT g FROM generate_series(1, 8) g");
        String statement = "UPDATE slow_items SET done = true WHERE id IN (SELECT id FROM slow_items WHERE NOT done "
                + "AND pg_sleep(1) IS NOT NULL ORDER BY id LIMIT 1)";
        Map<String, String> env = runner().env("slow-updates", "{\"sql\":{\"statement\":\"" + statement + "\",\"repeatUntilNoRows\":true}}");
        Thread run = new Thread(() -> runner().run(env));
        run.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(9)).until(() -> {
            List<Map<String, Object>> rows = ledger("public.job_executions", "slow-updates");
            return !rows.isEmpty() && "running".equals(rows.get(0).get("status")) && ((String) rows.get(0).get("stats")).contains("\"rows\": ");
        });
        run.join(20_000);
        assertThat(ledger("public.job_executions", "slow-updates").get(0).get("stats")).isEqualTo("{\"rows\": 8, \"batches\": 8, \"ledgerPruned\": 0}");
    }

    @Test
    void anInvalidTaskIsAConfigurationErrorNamingTheField() {
        RunnerHarness.Outcome out = runner().run(runner().env("bad",
                "{\"retention\":{\"table\":\"logs; DROP TABLE x\",\"timestampColumn\":\"ts\",\"olderThan\":\"2d\"}}"));
        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).startsWith("task.retention.table: ");

        RunnerHarness.Outcome typo = runner().run(runner().env("bad", "{\"retention\":{\"tabel\":\"logs\"}}"));
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.result().path("error").asText()).startsWith("task.retention.tabel: unknown field");

        Map<String, String> noJob = runner().env("x", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        noJob.remove("NIGHTSHIFT_JOB_NAME");
        assertThat(runner().run(noJob).exitCode()).isEqualTo(2);
    }

    @Test
    void aTaskFileAndJobNameOnTheCommandLineReplaceTheEnvironment() throws Exception {
        Path taskFile = dir.resolve("task.json");
        java.nio.file.Files.writeString(taskFile, "{\"sql\":{\"statement\":\"SELECT 42\"}}");
        Map<String, String> env = runner().env("ignored", "not json at all");
        env.remove("NIGHTSHIFT_JOB_NAME");

        RunnerHarness.Outcome out = runner().run(env, "--task-file", taskFile.toString(), "--job-name", "by-hand");

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("result").asLong()).isEqualTo(42);
        assertThat(ledger("public.job_executions", "by-hand")).hasSize(1);
    }
}
