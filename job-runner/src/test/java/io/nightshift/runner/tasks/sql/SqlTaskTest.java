package io.nightshift.runner.tasks.sql;

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

@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class SqlTaskTest {

    @Parameter
    ConnectionTarget target;

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeParameterizedClassInvocation
    static void database() {
        db = TestDatabase.create();
        db.execute("CREATE TABLE users (id serial PRIMARY KEY, daily_requests int NOT NULL DEFAULT 5, score int);"
                + "INSERT INTO users (daily_requests) SELECT 5 FROM generate_series(1, 25);"
                + "CREATE FUNCTION reset_daily_request_counts() RETURNS integer LANGUAGE plpgsql AS $$"
                + " DECLARE n integer; BEGIN UPDATE users SET daily_requests = 0; GET DIAGNOSTICS n = ROW_COUNT; RETURN n; END $$;");
    }

    private RunnerHarness.Outcome run(String job, String task, String... args) {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        return runner.run(runner.env(job, task), args);
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aFunctionCallRecordsItsScalarResult() throws Exception {
        RunnerHarness.Outcome out = run("daily-reset", "{\"sql\":{\"statement\":\"SELECT reset_daily_request_counts()\"}}");
        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("result").asLong()).isEqualTo(25);
        assertThat(count("SELECT count(*) FROM users WHERE daily_requests = 0")).isEqualTo(25);
    }

    @Test
    void aListRunsInOneTransaction() throws Exception {
        RunnerHarness.Outcome out = run("two-steps", "{\"sql\":{\"statements\":[\"UPDATE users SET score = 1\","
                + "\"UPDATE users SET score = score / 0\"]}}");
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).contains("division by zero");
        assertThat(count("SELECT count(*) FROM users WHERE score = 1")).as("the first statement was rolled back").isZero();

        RunnerHarness.Outcome ok = run("two-steps", "{\"sql\":{\"statements\":[\"UPDATE users SET score = 1\","
                + "\"UPDATE users SET score = score + 1 WHERE id <= 10\"]}}");
        assertThat(ok.result().path("stats").path("rows").asLong()).isEqualTo(35);
        assertThat(count("SELECT count(*) FROM users WHERE score = 2")).isEqualTo(10);
    }

    @Test
    void repeatModeRunsEachBatchInItsOwnTransactionUntilNoRowsAreLeft() throws Exception {
        db.execute("CREATE TABLE scores (id int PRIMARY KEY, recalculated boolean NOT NULL DEFAULT false);"
                + "INSERT INTO scores SELECT g FROM generate_series(1, 25) g");
        String statement = "UPDATE scores SET recalculated = true WHERE id IN (SELECT id FROM scores WHERE NOT recalculated LIMIT 10)";
        RunnerHarness.Outcome out = run("scores", "{\"sql\":{\"statement\":\"" + statement + "\",\"repeatUntilNoRows\":true}}");
        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("rows").asLong()).isEqualTo(25);
        assertThat(out.result().path("stats").path("batches").asLong()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM scores WHERE recalculated")).isEqualTo(25);

        db.execute("UPDATE scores SET recalculated = false");
        RunnerHarness.Outcome capped = run("scores", "{\"sql\":{\"statement\":\"" + statement + "\",\"repeatUntilNoRows\":true,\"maxBatches\":2}}");
        assertThat(capped.result().path("stats").path("rows").asLong()).isEqualTo(20);
        assertThat(capped.result().path("stats").path("maxBatchesReached").asBoolean()).isTrue();
    }

    @Test
    void aStatementTimeoutCancelsALongStatement() {
        RunnerHarness.Outcome out = run("slow", "{\"sql\":{\"statement\":\"SELECT pg_sleep(5)\",\"statementTimeout\":\"1s\"}}");
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).contains("statement timeout");
    }

    @Test
    void aDryRunReportsTheRowsAndRollsBack() throws Exception {
        db.execute("CREATE TABLE flags (id int, on_ boolean DEFAULT false); INSERT INTO flags SELECT g FROM generate_series(1, 7) g");
        RunnerHarness.Outcome out = run("flags", "{\"sql\":{\"statement\":\"UPDATE flags SET on_ = true\"}}", "--dry-run");
        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("rows").asLong()).isEqualTo(7);
        assertThat(out.log()).contains("7 rows would be affected");
        assertThat(count("SELECT count(*) FROM flags WHERE on_")).isZero();
    }
}
