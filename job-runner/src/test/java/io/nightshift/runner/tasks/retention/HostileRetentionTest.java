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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever a task's text says, a retention never deletes a row at or after its cutoff, nor from the ledger or the catalog. */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class HostileRetentionTest {

    @Parameter
    ConnectionTarget target;

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeParameterizedClassInvocation
    static void database() {
        db = TestDatabase.create();
        // 240 rows, one an hour: 120 older than 5 days, 120 newer.
        db.execute("CREATE TABLE logs_small (id serial PRIMARY KEY, \"timestamp\" timestamptz, level text, message text);"
                + "INSERT INTO logs_small (\"timestamp\", level, message) SELECT now() - g * interval '1 hour' + interval '30 minutes',"
                + " CASE WHEN g % 4 = 0 THEN 'error' ELSE 'info' END, 'row ' || g FROM generate_series(1, 240) g;"
                + "CREATE TABLE job_executions (id bigserial PRIMARY KEY, job_name varchar(100), status varchar(20),"
                + " started_at timestamptz, completed_at timestamptz, duration_ms integer, error_message text, stats jsonb);"
                + "INSERT INTO job_executions (job_name, status, started_at) VALUES ('other-job', 'running', now() - interval '3 hours')");
    }

    private RunnerHarness runner() {
        return new RunnerHarness(db, dir, target);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String retention(String table, String column, String extra) {
        return "{\"retention\":{\"table\":\"" + table + "\",\"timestampColumn\":\"" + column + "\",\"olderThan\":\"5d\"" + extra + "}}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"1=1) OR (1=1", "level <> 'error') OR (true", "true) OR (\\\"timestamp\\\" IS NOT NULL",
            "true) --", "true /* ) OR ( */"})
    void aWhereThatLeavesItsParenthesesIsAConfigurationErrorAndDeletesNothing(String where) throws Exception {
        RunnerHarness.Outcome out = runner().run(runner().env("hostile", retention("logs_small", "timestamp", ",\"where\":\"" + where + "\"")));

        assertThat(out.exitCode()).as("configuration error, not retried").isEqualTo(2);
        assertThat(out.log()).contains("task.retention.where");
        assertThat(count("SELECT count(*) FROM logs_small")).isEqualTo(240);
        assertThat(count("SELECT count(*) FROM job_executions WHERE job_name = 'hostile'")).as("no ledger row").isZero();
    }

    @Test
    void jsonbsQuestionMarkOperatorIsRefusedBeforeAnythingRunsAndItsFunctionFormWorks() throws Exception {
        db.execute("CREATE TABLE tagged AS SELECT id, \"timestamp\", CASE WHEN id % 2 = 0 THEN '{\"keep\": true}'::jsonb"
                + " ELSE '{}'::jsonb END AS metadata FROM logs_small");
        RunnerHarness.Outcome refused = runner().run(runner().env("tagged", retention("tagged", "timestamp",
                ",\"where\":\"NOT metadata ? 'keep'\"")));

        assertThat(refused.exitCode()).as(refused.log()).isEqualTo(2);
        assertThat(refused.log()).contains("task.retention.where").contains("jsonb_exists(column, 'key')");
        assertThat(count("SELECT count(*) FROM tagged")).isEqualTo(240);
        assertThat(count("SELECT count(*) FROM job_executions WHERE job_name = 'tagged'")).as("no ledger row").isZero();

        RunnerHarness.Outcome ok = runner().run(runner().env("tagged", retention("tagged", "timestamp",
                ",\"where\":\"NOT jsonb_exists(metadata, 'keep')\"")));

        assertThat(ok.exitCode()).as(ok.log()).isZero();
        assertThat(count("SELECT count(*) FROM tagged WHERE \"timestamp\" < now() - interval '5 days'")).as("old rows marked keep stay")
                .isEqualTo(60);
        assertThat(count("SELECT count(*) FROM tagged WHERE \"timestamp\" < now() - interval '5 days' AND metadata ? 'keep'")).isEqualTo(60);
    }

    @Test
    void parenthesesInsideLiteralsAreFineAndTheCutoffStillHolds() throws Exception {
        db.execute("CREATE TABLE notes AS SELECT * FROM logs_small");
        RunnerHarness.Outcome out = runner().run(runner().env("notes", retention("notes", "timestamp",
                ",\"where\":\"message <> 'x) OR (true' OR level = 'error'\"")));

        assertThat(out.exitCode()).isZero();
        assertThat(count("SELECT count(*) FROM notes WHERE \"timestamp\" >= now() - interval '5 days'")).as("no newer row deleted").isEqualTo(120);
        assertThat(count("SELECT count(*) FROM notes")).isEqualTo(120);
    }

    @Test
    void aDatabaseWithoutStandardConformingStringsReadsLiteralsAsTheCheckDid() throws Exception {
        // With standard_conforming_strings off a backslash escapes the quote after it, so 'C:\' would not end
        // where the check saw it end; the runner's sessions read literals the standard way.
        TestDatabase legacy = TestDatabase.create();
        legacy.execute("CREATE TABLE paths (id serial PRIMARY KEY, created_at timestamptz, path text);"
                + "INSERT INTO paths (created_at, path) SELECT now() - g * interval '1 hour' + interval '30 minutes',"
                + " CASE WHEN g % 2 = 0 THEN 'C:\\' ELSE 'D:' END FROM generate_series(1, 240) g");
        legacy.execute("ALTER DATABASE " + legacy.database() + " SET standard_conforming_strings = off");
        RunnerHarness legacyRunner = new RunnerHarness(legacy, dir, target);
        RunnerHarness.Outcome out = legacyRunner.run(legacyRunner.env("paths", retention("paths", "created_at",
                ",\"where\":\"path <> 'C:\\\\'\"")));

        assertThat(out.exitCode()).as(out.log()).isZero();
        try (Connection c = legacy.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE created_at >= now() - interval '5 days'),"
                        + " count(*) FILTER (WHERE created_at < now() - interval '5 days') FROM paths")) {
            rs.next();
            assertThat(rs.getLong(1)).as("newer rows kept").isEqualTo(120);
            assertThat(rs.getLong(2)).as("older rows with path C:\\ kept, the others deleted").isEqualTo(60);
        }
    }

    @Test
    void theLedgerIsNotARetentionTarget() throws Exception {
        RunnerHarness.Outcome out = runner().run(runner().env("prune-ledger", retention("public.job_executions", "started_at", "")));

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.log()).contains("task.retention.table").contains("run ledger");
        assertThat(count("SELECT count(*) FROM job_executions WHERE job_name = 'other-job' AND status = 'running'")).isEqualTo(1);
    }

    @Test
    void systemCatalogsAreNotRetentionTargets() throws Exception {
        RunnerHarness.Outcome out = runner().run(runner().env("catalog", retention("pg_catalog.pg_stat_statements_info", "stats_reset", "")));

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.log()).contains("task.retention.table").contains("system table");
    }
}
