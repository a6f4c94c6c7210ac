package io.nightshift.runner.tasks.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The retention task end to end: what is deleted, what is kept, what is archived, and bad names refused. */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class RetentionTest {

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

    private long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String retention(String table, String column, String olderThan, String extra) {
        return "{\"retention\":{\"table\":\"" + table + "\",\"timestampColumn\":\"" + column + "\",\"olderThan\":\"" + olderThan + "\""
                + extra + "}}";
    }

    /** 3,000 rows a day old or older, 1,000 newer, 10 without a timestamp. */
    private void logs(String table, boolean indexed) {
        db.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, \"timestamp\" timestamptz, level text, message text);"
                + "INSERT INTO " + table + " (\"timestamp\", level, message) SELECT now() - interval '3 days' - g * interval '1 second',"
                + " CASE WHEN g % 10 = 0 THEN 'error' ELSE 'info' END, 'old ' || g FROM generate_series(1, 3000) g;"
                + "INSERT INTO " + table + " (\"timestamp\", level, message) SELECT now() - interval '1 day' + g * interval '1 second', 'info',"
                + " 'new ' || g FROM generate_series(1, 1000) g;"
                + "INSERT INTO " + table + " (\"timestamp\", level, message) SELECT NULL, 'info', 'undated' FROM generate_series(1, 10);"
                + (indexed ? "CREATE INDEX ON " + table + " (\"timestamp\");" : "") + "ANALYZE " + table);
    }

    @Test
    void deletesOldRowsInBatchesAndKeepsNewAndUndatedOnes() throws Exception {
        logs("system_logs", false);
        RunnerHarness.Outcome out = runner().run(runner().env("log-cleanup", retention("public.system_logs", "timestamp", "2d",
                ",\"batchSize\":500")));

        assertThat(out.exitCode()).isZero();
        assertThat(count("SELECT count(*) FROM system_logs WHERE message LIKE 'old%'")).isZero();
        assertThat(count("SELECT count(*) FROM system_logs WHERE message LIKE 'new%'")).isEqualTo(1000);
        assertThat(count("SELECT count(*) FROM system_logs WHERE \"timestamp\" IS NULL")).isEqualTo(10);
        assertThat(out.result().path("stats").path("deleted").asLong()).isEqualTo(3000);
        assertThat(out.result().path("stats").path("batches").asLong()).as("small first batches, then sized by time").isGreaterThan(1);
        assertThat(out.result().path("stats").path("partitionsDropped").asLong()).isZero();
        assertThat(out.log()).contains("retention public.system_logs: deleted 3,000 rows in ");
    }

    @Test
    void aWherePredicateNarrowsTheDelete() throws Exception {
        logs("audit_logs", true);
        RunnerHarness.Outcome out = runner().run(runner().env("audit", retention("audit_logs", "timestamp", "2d",
                ",\"batchSize\":100,\"where\":\"level <> 'error'\"")));

        assertThat(out.exitCode()).isZero();
        assertThat(count("SELECT count(*) FROM audit_logs WHERE message LIKE 'old%'")).as("old errors are kept").isEqualTo(300);
        assertThat(out.result().path("stats").path("deleted").asLong()).isEqualTo(2700);
        assertThat(out.result().path("stats").path("batches").asLong()).isGreaterThan(1);
    }

    @Test
    void whenFewRowsGoAnIndexedTableIsWalkedByIndexFromAFirstBatchOfBatchSize() throws Exception {
        db.execute("CREATE TABLE rate_limits (id serial, window_start timestamp, hits int);"
                + "INSERT INTO rate_limits (window_start, hits) SELECT now() - interval '2 days' - g * interval '1 minute', 1 "
                + "FROM generate_series(1, 100) g;"
                + "INSERT INTO rate_limits (window_start, hits) SELECT now() - g * interval '1 second', 1 FROM generate_series(1, 20000) g;"
                + "CREATE INDEX ON rate_limits (window_start); ANALYZE rate_limits");
        RunnerHarness.Outcome out = runner().run(runner().env("rate-limits", retention("rate_limits", "window_start", "1d",
                ",\"batchSize\":30")));

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("deleted").asLong()).isEqualTo(100);
        assertThat(out.result().path("stats").path("batches").asLong()).as("30 rows first, then sized by time").isBetween(2L, 4L);
        assertThat(count("SELECT count(*) FROM rate_limits")).isEqualTo(20000);
        assertThat(count("SELECT count(*) FROM rate_limits WHERE window_start < now() - interval '1 day'")).isZero();
    }

    @Test
    void archivedRowsEqualTheDeletedOnes() throws Exception {
        logs("app_logs", false);
        db.execute("CREATE TABLE app_logs_archive (LIKE app_logs);"
                + "CREATE TABLE expected AS SELECT * FROM app_logs WHERE \"timestamp\" < now() - interval '2 days'");
        RunnerHarness.Outcome out = runner().run(runner().env("archive", retention("app_logs", "timestamp", "2d",
                ",\"archiveTable\":\"public.app_logs_archive\"")));

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("archived").asLong()).isEqualTo(3000);
        assertThat(count("SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM app_logs_archive) missing")).isZero();
        assertThat(count("SELECT count(*) FROM (SELECT * FROM app_logs_archive EXCEPT SELECT * FROM expected) extra")).isZero();
        assertThat(count("SELECT count(*) FROM app_logs_archive")).isEqualTo(3000);
    }

    @Test
    void dropsPartitionsEntirelyOlderThanTheCutoffAndDeletesInTheRest() throws Exception {
        db.execute("CREATE TABLE events (id bigint, at timestamptz NOT NULL, payload text) PARTITION BY RANGE (at);"
                + "CREATE TABLE events_old1 PARTITION OF events FOR VALUES FROM (now() - interval '30 days') TO (now() - interval '20 days');"
                + "CREATE TABLE events_old2 PARTITION OF events FOR VALUES FROM (now() - interval '20 days') TO (now() - interval '10 days');"
                + "CREATE TABLE events_now PARTITION OF events FOR VALUES FROM (now() - interval '10 days') TO (now() + interval '10 days');"
                + "INSERT INTO events SELECT g, now() - g * interval '1 hour', 'x' FROM generate_series(1, 600) g");
        long expectedKept = count("SELECT count(*) FROM events WHERE at >= now() - interval '5 days'");

        RunnerHarness.Outcome out = runner().run(runner().env("events", retention("events", "at", "5d", "")));

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("partitionsDropped").asLong()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM pg_class WHERE relname IN ('events_old1', 'events_old2')")).isZero();
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(expectedKept);
        assertThat(out.result().path("stats").path("deleted").asLong()).isEqualTo(600 - expectedKept);
    }

    @Test
    void aDryRunCountsAndChangesNothing() throws Exception {
        logs("dry_logs", false);
        RunnerHarness.Outcome out = runner().run(runner().env("dry", retention("dry_logs", "timestamp", "2d", "")), "--dry-run");

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("deleted").asLong()).isEqualTo(3000);
        assertThat(count("SELECT count(*) FROM dry_logs")).isEqualTo(4010);
        assertThat(out.log()).contains("would delete 3,000 rows");
        assertThat(count("SELECT count(*) FROM pg_class WHERE relname = 'job_executions' AND "
                + "EXISTS (SELECT 1 FROM job_executions WHERE job_name = 'dry')")).isZero();
    }

    @Test
    void unknownTablesAndColumnsAndInjectionAttemptsAreConfigurationErrors() throws Exception {
        logs("safe_logs", false);
        RunnerHarness.Outcome noTable = runner().run(runner().env("x", retention("missing_logs", "timestamp", "2d", "")));
        assertThat(noTable.exitCode()).isEqualTo(2);
        assertThat(noTable.result().path("error").asText()).isEqualTo("task.retention.table: table public.missing_logs does not exist");

        RunnerHarness.Outcome noColumn = runner().run(runner().env("x", retention("safe_logs", "created", "2d", "")));
        assertThat(noColumn.exitCode()).isEqualTo(2);
        assertThat(noColumn.result().path("error").asText()).isEqualTo("task.retention.timestampColumn: table public.safe_logs has no column \"created\"");

        RunnerHarness.Outcome wrongType = runner().run(runner().env("x", retention("safe_logs", "message", "2d", "")));
        assertThat(wrongType.result().path("error").asText()).contains("is text, not a timestamp");

        for (String evil : new String[] {"logs; DROP TABLE safe_logs", "safe_logs\\\" --", "safe_logs'"}) {
            RunnerHarness.Outcome out = runner().run(runner().env("x", retention(evil, "timestamp", "2d", "")));
            assertThat(out.exitCode()).as(evil).isEqualTo(2);
            assertThat(out.result().path("error").asText()).startsWith("task.retention.table: ");
        }
        RunnerHarness.Outcome evilWhere = runner().run(runner().env("x", retention("safe_logs", "timestamp", "2d",
                ",\"where\":\"true; DROP TABLE safe_logs\"")));
        assertThat(evilWhere.exitCode()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM safe_logs")).isEqualTo(4010);
    }

    @Test
    void aShortRetentionIsRefusedUnlessAllowed() throws Exception {
        logs("short_logs", false);
        RunnerHarness.Outcome refused = runner().run(runner().env("short", retention("short_logs", "timestamp", "30m", "")));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.result().path("error").asText()).contains("shorter than 1h");

        RunnerHarness.Outcome allowed = runner().run(runner().env("short", retention("short_logs", "timestamp", "30m",
                ",\"allowShortRetention\":true")));
        assertThat(allowed.exitCode()).isZero();
        assertThat(count("SELECT count(*) FROM short_logs")).isEqualTo(10);
    }
}
