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

/**
 * Batches that run long are cut off by the server, rolled back and retried smaller; the run still deletes exactly
 * the old rows. A trigger makes every statement that deletes more than 10 rows take longer than a batch may.
 */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class SlowBatchTest {

    @Parameter
    ConnectionTarget target;

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeParameterizedClassInvocation
    static void database() {
        db = TestDatabase.create();
        db.execute("CREATE FUNCTION slow_when_many() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF (SELECT count(*) FROM gone) > 10 THEN PERFORM pg_sleep(0.5); END IF; RETURN NULL; END $$");
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aBatchThatRunsLongIsRolledBackAndRetriedSmallerUntilTheOldRowsAreGone() throws Exception {
        db.execute("CREATE TABLE slow_logs (id serial PRIMARY KEY, at timestamptz, message text);"
                + "INSERT INTO slow_logs (at, message) SELECT now() - interval '3 days' - g * interval '1 minute', 'old' FROM generate_series(1, 60) g;"
                + "INSERT INTO slow_logs (at, message) SELECT now() - g * interval '1 second', 'new' FROM generate_series(1, 2000) g;"
                + "CREATE INDEX ON slow_logs (at); ANALYZE slow_logs;"
                + "CREATE TRIGGER slow AFTER DELETE ON slow_logs REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION slow_when_many()");
        RunnerHarness runner = new RunnerHarness(db, dir, target);

        RunnerHarness.Outcome out = runner.run(runner.env("slow", "{\"retention\":{\"table\":\"slow_logs\",\"timestampColumn\":\"at\","
                + "\"olderThan\":\"2d\",\"batchSize\":40}}"));

        assertThat(out.exitCode()).as(out.log()).isZero();
        assertThat(out.result().path("stats").path("deleted").asLong()).isEqualTo(60);
        assertThat(out.result().path("stats").path("batchesShrunk").asLong()).as("40 rows overran, then 10 did not").isPositive();
        assertThat(count("SELECT count(*) FROM slow_logs WHERE message = 'old'")).isZero();
        assertThat(count("SELECT count(*) FROM slow_logs WHERE message = 'new'")).as("nothing newer than the cutoff").isEqualTo(2000);
        assertThat(out.log()).contains("longest transaction");
    }

    @Test
    void whenNotEvenOneRowFitsTheRunFailsAndSaysWhy() throws Exception {
        db.execute("CREATE TABLE stuck_logs (id serial PRIMARY KEY, at timestamptz, message text);"
                + "INSERT INTO stuck_logs (at, message) SELECT now() - interval '3 days', 'old' FROM generate_series(1, 30) g;"
                + "INSERT INTO stuck_logs (at, message) SELECT now() - g * interval '1 second', 'new' FROM generate_series(1, 2000) g;"
                + "CREATE INDEX ON stuck_logs (at); ANALYZE stuck_logs;"
                + "CREATE TRIGGER slow AFTER DELETE ON stuck_logs REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION slow_when_many()");
        RunnerHarness runner = new RunnerHarness(db, dir, target);

        // All 30 old rows share one timestamp: an index batch cannot split them.
        RunnerHarness.Outcome out = runner.run(runner.env("stuck", "{\"retention\":{\"table\":\"stuck_logs\",\"timestampColumn\":\"at\","
                + "\"olderThan\":\"2d\",\"batchSize\":1}}"));

        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).contains("did not finish within 200 ms").contains("the rest are intact");
        assertThat(count("SELECT count(*) FROM stuck_logs")).isEqualTo(2030);
    }
}
