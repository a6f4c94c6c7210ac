package io.nightshift.runner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.runner.testing.FreezableProxy;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM and kills, sent to a runner in its own process as Kubernetes would. */
class TerminationTest {

    @TempDir
    Path dir;

    private static long count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits for the child to get somewhere; if it never does, the failure shows what the child printed. */
    private static void awaitOrShow(Path output, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the runner did not get there; it printed:\n" + Files.readString(output), e);
        }
    }

    @Test
    void sigtermMidRetentionKeepsNewerRowsAndRecordsTheRunFailed() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE big_logs (id bigserial, \"timestamp\" timestamptz, message text);"
                + "INSERT INTO big_logs (\"timestamp\", message) SELECT now() - interval '10 days' + g * interval '1 millisecond', 'old' "
                + "FROM generate_series(1, 200000) g;"
                + "INSERT INTO big_logs (\"timestamp\", message) SELECT now() - g * interval '1 second', 'new' FROM generate_series(1, 5000) g;"
                + "CREATE INDEX ON big_logs (\"timestamp\")");
        // A slow predicate makes each small batch take a while, so the signal arrives mid-run.
        db.execute("CREATE FUNCTION slowly(boolean) RETURNS boolean LANGUAGE sql AS 'SELECT $1 AND pg_sleep(0.0002) IS NOT NULL'");
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("big-cleanup", "{\"retention\":{\"table\":\"big_logs\",\"timestampColumn\":\"timestamp\","
                + "\"olderThan\":\"2d\",\"batchSize\":200,\"where\":\"slowly(message = 'old')\"}}");
        Process process = runner.start(env, dir.resolve("out.log"));

        awaitOrShow(dir.resolve("out.log"), () -> count(db, "SELECT count(*) FROM big_logs WHERE message = 'old'") < 199_000);
        long signalledAt = System.nanoTime();
        process.destroy();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("exits within 10 s of SIGTERM").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - signalledAt)).isLessThan(Duration.ofSeconds(10));

        assertThat(count(db, "SELECT count(*) FROM big_logs WHERE message = 'new'")).isEqualTo(5000);
        assertThat(count(db, "SELECT count(*) FROM big_logs WHERE message = 'old'")).as("it stopped before the end").isGreaterThan(0);
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT status, error_message, (stats->>'deleted')::bigint FROM job_executions WHERE job_name = 'big-cleanup'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("failed");
            assertThat(rs.getString(2)).startsWith("terminated before completion");
            long recorded = rs.getLong(3);
            assertThat(recorded).isEqualTo(200_000 - count(db, "SELECT count(*) FROM big_logs WHERE message = 'old'"));
        }
        JsonNode result = new ObjectMapper().readTree(Files.readString(Path.of(env.get("NIGHTSHIFT_TERMINATION_LOG"))));
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("error").asText()).startsWith("terminated before completion");
    }

    @Test
    void aKilledRunLeavesARunningRowThatTheNextRunMarksFailed() throws Exception {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir);
        Process process = runner.start(runner.env("sleepy", "{\"sql\":{\"statement\":\"SELECT pg_sleep(30)\"}}"), dir.resolve("out.log"));
        awaitOrShow(dir.resolve("out.log"),
                () -> count(db, "SELECT count(*) FROM job_executions WHERE job_name = 'sleepy' AND status = 'running'") == 1);
        process.destroyForcibly().waitFor();
        // The killed process's idle session ends as soon as PostgreSQL sees the socket close, releasing the job's lock.
        await().atMost(Duration.ofSeconds(10)).until(() -> count(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0);

        RunnerHarness.Outcome next = runner.run(runner.env("sleepy", "{\"sql\":{\"statement\":\"SELECT 1\"}}"));

        assertThat(next.exitCode()).isZero();
        assertThat(count(db, "SELECT count(*) FROM job_executions WHERE job_name = 'sleepy' AND status = 'failed' "
                + "AND error_message LIKE '%ended without recording a result%'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM job_executions WHERE job_name = 'sleepy' AND status = 'success'")).isEqualTo(1);
    }

    /** A runner whose sessions all go through {@code proxy}, running a statement that takes a minute. */
    private Process startThroughProxy(TestDatabase db, FreezableProxy proxy, RunnerHarness runner, Map<String, String> env) throws Exception {
        env.put("NIGHTSHIFT_DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:" + proxy.port() + "/" + db.database());
        Process process = runner.start(env, dir.resolve("out.log"));
        awaitOrShow(dir.resolve("out.log"), () -> count(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(60)%'") == 1);
        return process;
    }

    @Test
    void sigtermWithFrozenSessionsEndsTheProcessInTimeAndRecordsTheEndThroughANewConnection() throws Exception {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("frozen", "{\"sql\":{\"statement\":\"SELECT pg_sleep(60)\"}}");
        try (FreezableProxy proxy = new FreezableProxy(db.port())) {
            Process process = startThroughProxy(db, proxy, runner, env);
            proxy.freeze(false);

            long signalledAt = System.nanoTime();
            process.destroy();

            assertThat(process.waitFor(25, TimeUnit.SECONDS)).as("exits within the grace period").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalledAt)).isLessThan(Duration.ofSeconds(15));
            assertThat(process.exitValue()).as("the documented exit code of a run stopped by SIGTERM").isEqualTo(1);
        }
        JsonNode result = new ObjectMapper().readTree(Files.readString(Path.of(env.get("NIGHTSHIFT_TERMINATION_LOG"))));
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("error").asText()).startsWith("terminated before completion: the task did not stop within 8 s");
        assertThat(db.column("SELECT status || ': ' || error_message FROM job_executions WHERE job_name = 'frozen'"))
                .containsExactly("failed: " + result.path("error").asText());
    }

    @Test
    void sigtermWithTheWholeServerFrozenStillEndsTheProcessInTimeWithAResultDocument() throws Exception {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("all-frozen", "{\"sql\":{\"statement\":\"SELECT pg_sleep(60)\"}}");
        try (FreezableProxy proxy = new FreezableProxy(db.port())) {
            Process process = startThroughProxy(db, proxy, runner, env);
            proxy.freeze(true);

            long signalledAt = System.nanoTime();
            process.destroy();

            assertThat(process.waitFor(25, TimeUnit.SECONDS)).as("exits within the grace period").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalledAt)).isLessThan(Duration.ofSeconds(20));
            assertThat(process.exitValue()).isEqualTo(1);
        }
        JsonNode result = new ObjectMapper().readTree(Files.readString(Path.of(env.get("NIGHTSHIFT_TERMINATION_LOG"))));
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("error").asText()).startsWith("terminated before completion");
        assertThat(Files.readString(dir.resolve("out.log"))).contains("could not record the run's end in the ledger");
    }

    /**
     * The server goes away for good: the run says so, keeps trying to record its end for about a minute, and
     * then its last line says what it could not record.
     */
    @Test
    void aServerThatGoesAwayMidRunIsNamedAsSuchAndWhatCouldNotBeRecordedIsTheLastLine() throws Exception {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("crash", "{\"sql\":{\"statement\":\"SELECT pg_sleep(60)\"}}");
        try (FreezableProxy proxy = new FreezableProxy(db.port())) {
            env.put("NIGHTSHIFT_DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:" + proxy.port() + "/" + db.database());
            java.util.concurrent.atomic.AtomicReference<RunnerHarness.Outcome> outcome = new java.util.concurrent.atomic.AtomicReference<>();
            Thread run = new Thread(() -> outcome.set(runner.run(env)));
            run.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> count(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(60)%'") == 1);

            long severedAt = System.nanoTime();
            proxy.sever();
            run.join(120_000);

            assertThat(run.isAlive()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - severedAt)).as("kept trying for about a minute")
                    .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(80));
            assertThat(outcome.get().exitCode()).isEqualTo(1);
            assertThat(outcome.get().result().path("error").asText()).contains("the database server went away")
                    .doesNotStartWith("This connection has been closed");
            List<String> lines = outcome.get().log().lines().toList();
            assertThat(lines.get(lines.size() - 1)).startsWith("failed in ").contains("could not record the run's end in the ledger: ")
                    .contains("stays 'running' there until the job's next run marks it failed");
        }
        assertThat(count(db, "SELECT count(*) FROM job_executions WHERE job_name = 'crash' AND status = 'running'")).isEqualTo(1);
    }
}
