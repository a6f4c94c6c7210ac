package io.nightshift.runner.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightshift.runner.connection.ConnectionSettings;
import io.nightshift.runner.connection.Database;
import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The job's lock: keyed by namespace and name, and a run that loses it stops at once and says so. */
@DatabaseFacing
/**
 * The job's lock: keyed by namespace and name, held for the whole run also through a transaction-mode pooler,
 * holding back no vacuum, and a run that loses it stops at once and says so.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class LockTest {

    @Parameter
    ConnectionTarget target;

    @TempDir
    Path dir;

    private RunnerHarness runner(TestDatabase db) {
        return new RunnerHarness(db, dir, target);
    }

    private static Map<String, String> inNamespace(Map<String, String> env, String namespace) {
        env.put("NIGHTSHIFT_NAMESPACE", namespace);
        return env;
    }

    @Test
    void theSameJobNameInTwoNamespacesDoesNotShareALock() throws Exception {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = runner(db);
        try (Connection holder = db.connect(); PreparedStatement ps = holder.prepareStatement(
                "SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
            ps.setString(1, JobLock.key("team-a", "log-cleanup"));
            ps.execute();

            RunnerHarness.Outcome a = runner.run(inNamespace(runner.env("log-cleanup", "{\"sql\":{\"statement\":\"SELECT 1\"}}"), "team-a"));
            RunnerHarness.Outcome b = runner.run(inNamespace(runner.env("log-cleanup", "{\"sql\":{\"statement\":\"SELECT 1\"}}"), "team-b"));

            assertThat(a.result().path("status").asText()).isEqualTo("skipped");
            assertThat(b.result().path("status").asText()).isEqualTo("success");
        }
        assertThat(db.column("SELECT namespace || '/' || job_name || ' ' || status FROM job_executions"))
                .containsExactly("team-b/log-cleanup success");
    }

    @Test
    void aHeldLockIsSeenAsHeldWhateverTheSignOfItsKey() throws Exception {
        TestDatabase db = TestDatabase.create();
        Database database = new Database(ConnectionSettings.fromEnvironment(Map.of("NIGHTSHIFT_DATABASE_URL", target.uri(db))::get));
        java.util.Set<Boolean> signs = new java.util.HashSet<>();
        for (int i = 0; i < 12; i++) {
            String name = "job-" + i;
            // One at a time: through the pooler each held lock keeps one of its few server connections.
            try (JobLock lock = JobLock.tryAcquire(database, "team-a", name).orElseThrow()) {
                assertThat(lock.stillHeld()).as(name).isTrue();
                assertThat(JobLock.tryAcquire(database, "team-a", name)).as("held: " + name).isEmpty();
            }
            signs.add(Long.parseLong(db.column("SELECT hashtextextended('" + JobLock.key("team-a", name) + "', 0)").get(0)) < 0);
        }
        assertThat(signs).containsExactlyInAnyOrder(true, false);
        assertThat(JobLock.tryAcquire(database, "team-a", "job-0")).as("released when closed").isPresent().get()
                .satisfies(JobLock::close);
    }

    @Test
    void aRunningRowOfALiveRunIsLeftAloneEvenInASeedShapedLedgerWithoutNamespace() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE job_executions (id SERIAL PRIMARY KEY, job_name VARCHAR(100) NOT NULL, "
                + "status VARCHAR(20) NOT NULL CHECK (status IN ('running', 'success', 'failed')), "
                + "started_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP, completed_at TIMESTAMPTZ, duration_ms INTEGER, "
                + "stats JSONB DEFAULT '{}', error_message TEXT, created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP)");
        RunnerHarness runner = runner(db);
        Map<String, String> slow = inNamespace(runner.env("log-cleanup", "{\"sql\":{\"statement\":\"SELECT pg_sleep(4)\"}}"), "team-a");
        Thread first = new Thread(() -> runner.run(slow));
        first.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> db.column("SELECT status FROM job_executions").contains("running"));

        RunnerHarness.Outcome other = runner.run(inNamespace(runner.env("log-cleanup", "{\"sql\":{\"statement\":\"SELECT 1\"}}"), "team-b"));
        first.join(15_000);

        assertThat(other.exitCode()).isZero();
        assertThat(other.log()).doesNotContain("marked");
        assertThat(db.column("SELECT status FROM job_executions ORDER BY id")).containsExactly("success", "success");
    }

    @Test
    void aRunWhoseLockSessionIsTerminatedStopsAtOnceAndItsRowAndResultAgree() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE big_logs (id bigserial, \"timestamp\" timestamptz, message text);"
                + "INSERT INTO big_logs (\"timestamp\", message) SELECT now() - interval '10 days' + g * interval '1 millisecond', 'old' FROM generate_series(1, 100000) g;"
                + "INSERT INTO big_logs (\"timestamp\", message) SELECT now(), 'new' FROM generate_series(1, 100) g;"
                + "CREATE INDEX ON big_logs (\"timestamp\");"
                + "CREATE FUNCTION slowly(boolean) RETURNS boolean LANGUAGE sql AS 'SELECT $1 AND pg_sleep(0.0005) IS NOT NULL'");
        RunnerHarness runner = runner(db);
        Map<String, String> env = inNamespace(runner.env("big-cleanup", "{\"retention\":{\"table\":\"big_logs\",\"timestampColumn\":\"timestamp\","
                + "\"olderThan\":\"2d\",\"batchSize\":200,\"where\":\"slowly(message = 'old')\"}}"), "team-a");
        AtomicReference<RunnerHarness.Outcome> outcome = new AtomicReference<>();
        Thread run = new Thread(() -> outcome.set(runner.run(env)));
        run.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.parseLong(db.column("SELECT count(*) FROM big_logs WHERE message = 'old'").get(0)) < 99_000);

        List<String> terminated = db.column("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                + "AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('" + JobLock.key("team-a", "big-cleanup") + "', 0)");
        long terminatedAt = System.nanoTime();
        assertThat(terminated).containsExactly("t");
        run.join(10_000);

        assertThat(run.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - terminatedAt)).as("stops at once").isLessThan(Duration.ofSeconds(4));
        long remaining = Long.parseLong(db.column("SELECT count(*) FROM big_logs WHERE message = 'old'").get(0));
        Thread.sleep(1500);
        assertThat(db.column("SELECT count(*) FROM big_logs WHERE message = 'old'")).as("nothing deleted after the end")
                .containsExactly(String.valueOf(remaining));
        assertThat(remaining).as("it stopped before the end").isPositive();
        RunnerHarness.Outcome out = outcome.get();
        assertThat(out.exitCode()).isEqualTo(1);
        JsonNode result = out.result();
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("error").asText()).startsWith("lost its lock");
        assertThat(result.path("stats").path("deleted").asLong()).isEqualTo(100_000 - remaining);
        assertThat(db.column("SELECT status || ' ' || (stats->>'deleted') || ' ' || left(error_message, 13) FROM job_executions "
                + "WHERE id = " + result.path("executionId").asLong()))
                .containsExactly("failed " + (100_000 - remaining) + " lost its lock");

        RunnerHarness.Outcome next = runner.run(inNamespace(runner.env("big-cleanup", "{\"retention\":{\"table\":\"big_logs\","
                + "\"timestampColumn\":\"timestamp\",\"olderThan\":\"2d\"}}"), "team-a"));
        assertThat(next.exitCode()).isZero();
        assertThat(next.result().path("stats").path("deleted").asLong()).isEqualTo(remaining);
    }

    @Test
    void theLocksOpenTransactionHoldsBackNoVacuumAndEndsWithTheRun() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.execute("ALTER DATABASE " + db.database() + " SET default_transaction_isolation = 'repeatable read'");
        RunnerHarness runner = runner(db);
        AtomicReference<RunnerHarness.Outcome> outcome = new AtomicReference<>();
        Thread run = new Thread(() -> outcome.set(runner.run(inNamespace(runner.env("long-one",
                "{\"sql\":{\"statement\":\"SELECT pg_sleep(3)\"}}"), "team-a"))));
        run.start();
        String lockHolder = "(SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('" + JobLock.key("team-a", "long-one") + "', 0))";
        await().atMost(Duration.ofSeconds(10)).until(() -> db.column("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(3)%'")
                .equals(List.of("1")));

        String sample = "SELECT state || ' xmin=' || coalesce(backend_xmin::text, '-') || ' xid=' || coalesce(backend_xid::text, '-') "
                + "FROM pg_stat_activity WHERE pid = " + lockHolder;
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).alias("between its checks the lock's transaction keeps "
                + "no snapshot and no transaction id").until(() -> db.column(sample).equals(List.of("idle in transaction xmin=- xid=-")));
        run.join(15_000);
        assertThat(outcome.get().exitCode()).as(outcome.get().log()).isZero();
        assertThat(db.column("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())")).as("released at the end").containsExactly("0");
    }
}
