package io.nightshift.runner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each run prunes its own job's ledger rows older than the keep, in short batches, never a running row,
 * and counts them as {@code ledgerPruned}. Default: 90 days for a ledger the runner created, everything
 * for a table the team had.
 */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class LedgerPruningTest {

    @Parameter
    ConnectionTarget target;

    private static final String TASK = "{\"sql\":{\"statement\":\"SELECT 1\"}}";

    @TempDir
    Path dir;

    private static Map<String, String> job(RunnerHarness runner, String name, String namespace) {
        Map<String, String> env = runner.env(name, TASK);
        env.put("NIGHTSHIFT_NAMESPACE", namespace);
        return env;
    }

    private static long count(TestDatabase db, String where) throws Exception {
        return Long.parseLong(db.column("SELECT count(*) FROM job_executions WHERE " + where).get(0));
    }

    /** {@code n} finished rows of a job, started {@code age} ago. */
    private static void rows(TestDatabase db, String job, String namespace, int n, String age, String status) {
        db.execute("INSERT INTO job_executions (job_name, status, started_at, completed_at, duration_ms, stats, namespace) "
                + "SELECT '" + job + "', '" + status + "', now() - interval '" + age + "' - g * interval '1 second', "
                + "now() - interval '" + age + "', 10, '{\"rows\": 1}', " + (namespace == null ? "NULL" : "'" + namespace + "'")
                + " FROM generate_series(1, " + n + ") g");
    }

    @Test
    void aRunPrunesOnlyItsOwnJobsOldRowsInShortBatchesAndKeepsRunningRows() throws Exception {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        assertThat(runner.run(job(runner, "other", "app")).exitCode()).as("creates the ledger").isZero();
        rows(db, "log-cleanup", "app", 70_000, "200 days", "success");
        rows(db, "other", "app", 30_000, "200 days", "failed");
        rows(db, "log-cleanup", "team-b", 500, "200 days", "success");
        rows(db, "log-cleanup", "app", 20, "10 days", "success");
        rows(db, "log-cleanup", "app", 3, "200 days", "running");
        List<String> running = db.column("SELECT id FROM job_executions WHERE status = 'running'");

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong longest = new AtomicLong();
        Set<String> transactions = ConcurrentHashMap.newKeySet();
        RunnerHarness.Outcome out;
        // the runs of the three running rows are alive: they hold their row locks
        try (Connection alive = db.connect(); Statement st = alive.createStatement()) {
            for (String id : running) {
                st.execute("SELECT pg_advisory_lock(hashtextextended('nightshift-run:public.job_executions:" + id + "', 0))");
            }
            Thread watcher = new Thread(() -> watch(db, done, longest, transactions));
            watcher.start();
            out = runner.run(job(runner, "log-cleanup", "app"));
            done.set(true);
            watcher.join();
        }

        assertThat(out.exitCode()).as(out.log()).isZero();
        assertThat(out.result().path("stats").path("ledgerPruned").asLong()).isEqualTo(70_000);
        assertThat(out.log()).contains("pruned 70000 ledger row(s) of log-cleanup older than 90d");
        assertThat(count(db, "job_name = 'log-cleanup' AND namespace = 'app' AND started_at < now() - interval '90 days' "
                + "AND status <> 'running'")).isZero();
        assertThat(count(db, "status = 'running'")).as("running rows are never pruned").isEqualTo(3);
        assertThat(count(db, "job_name = 'log-cleanup' AND namespace = 'app' AND started_at > now() - interval '90 days'"))
                .as("the young rows and the run's own").isEqualTo(21);
        assertThat(count(db, "job_name = 'other'")).as("another job's rows").isEqualTo(30_001);
        assertThat(count(db, "namespace = 'team-b'")).as("the same name in another namespace").isEqualTo(500);
        assertThat(db.column("SELECT (stats->>'ledgerPruned') FROM job_executions WHERE id = " + out.result().path("executionId").asLong()))
                .containsExactly("70000");
        assertThat(transactions.size()).as("deletes seen in separate transactions").isGreaterThan(1);
        assertThat(Duration.ofMillis(longest.get())).as("the longest delete transaction").isLessThan(Duration.ofSeconds(1));

        // those three runs are gone now: the next run marks their rows failed, and they are old
        RunnerHarness.Outcome next = runner.run(job(runner, "log-cleanup", "app"));
        assertThat(next.result().path("stats").path("ledgerPruned").asLong()).isEqualTo(3);
        assertThat(count(db, "status = 'running'")).isZero();
    }

    /** Records the start of each pruning transaction seen and how old the oldest got, until {@code done}. */
    private static void watch(TestDatabase db, AtomicBoolean done, AtomicLong longestMillis, Set<String> transactions) {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            while (!done.get()) {
                try (ResultSet rs = st.executeQuery("SELECT xact_start::text, (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::bigint "
                        + "FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'DELETE FROM \"public\".\"job_executions\"%' "
                        + "AND xact_start IS NOT NULL")) {
                    while (rs.next()) {
                        transactions.add(rs.getString(1));
                        longestMillis.accumulateAndGet(rs.getLong(2), Math::max);
                    }
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTeamsSeedShapedLedgerKeepsEverythingUnlessAKeepIsSet() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE job_executions (id SERIAL PRIMARY KEY, job_name VARCHAR(100) NOT NULL, "
                + "status VARCHAR(20) NOT NULL CHECK (status IN ('running', 'success', 'failed')), "
                + "started_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP, completed_at TIMESTAMPTZ, duration_ms INTEGER, "
                + "stats JSONB DEFAULT '{}', error_message TEXT, created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP);"
                + "INSERT INTO job_executions (job_name, status, started_at) SELECT 'log-cleanup', 'success', now() - interval '2 years' "
                + "FROM generate_series(1, 2500);"
                + "INSERT INTO job_executions (job_name, status, started_at) SELECT 'log-cleanup', 'success', now() - interval '20 days' "
                + "FROM generate_series(1, 10);"
                + "INSERT INTO job_executions (job_name, status, started_at) SELECT 'other', 'success', now() - interval '2 years' "
                + "FROM generate_series(1, 700)");
        RunnerHarness runner = new RunnerHarness(db, dir, target);

        RunnerHarness.Outcome byDefault = runner.run(runner.env("log-cleanup", TASK));
        assertThat(byDefault.result().path("stats").has("ledgerPruned")).isFalse();
        assertThat(count(db, "true")).isEqualTo(3211);

        Map<String, String> env = runner.env("log-cleanup", TASK);
        env.put("NIGHTSHIFT_LEDGER_KEEP", "30d");
        RunnerHarness.Outcome kept = runner.run(env);
        assertThat(kept.exitCode()).as(kept.log()).isZero();
        assertThat(kept.result().path("stats").path("ledgerPruned").asLong()).isEqualTo(2500);
        assertThat(count(db, "job_name = 'log-cleanup'")).isEqualTo(12);
        assertThat(count(db, "job_name = 'other'")).isEqualTo(700);
    }

    @Test
    void keepForeverPrunesNothingAndABadKeepIsAConfigurationError() throws Exception {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        assertThat(runner.run(runner.env("log-cleanup", TASK)).exitCode()).isZero();
        rows(db, "log-cleanup", null, 10, "400 days", "success");

        Map<String, String> env = runner.env("log-cleanup", TASK);
        env.put("NIGHTSHIFT_LEDGER_KEEP", "forever");
        RunnerHarness.Outcome forever = runner.run(env);
        assertThat(forever.result().path("stats").has("ledgerPruned")).isFalse();
        assertThat(count(db, "started_at < now() - interval '1 year'")).isEqualTo(10);

        for (String bad : List.of("12h", "soon")) {
            env.put("NIGHTSHIFT_LEDGER_KEEP", bad);
            RunnerHarness.Outcome out = runner.run(env);
            assertThat(out.exitCode()).as(bad).isEqualTo(2);
            assertThat(out.result().path("error").asText()).as(bad).startsWith("NIGHTSHIFT_LEDGER_KEEP: '" + bad + "'");
        }
        assertThat(count(db, "started_at < now() - interval '1 year'")).isEqualTo(10);
    }
}
