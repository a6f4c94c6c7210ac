package io.nightshift.runner.tasks.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After the delete: the dead tuples left are reported, and analyze: true lets the planner see the new size. */
@DatabaseFacing
class AnalyzeAfterDeleteTest {

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    private double scalar(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private void logs(String table) {
        db.execute("CREATE TABLE " + table + " (id serial PRIMARY KEY, at timestamptz, message text) WITH (autovacuum_enabled = off);"
                + "INSERT INTO " + table + " (at, message) SELECT now() - interval '3 days' - g * interval '1 second', 'old' FROM generate_series(1, 3000) g;"
                + "INSERT INTO " + table + " (at, message) SELECT now() - g * interval '1 second', 'new' FROM generate_series(1, 1000) g;"
                + "ANALYZE " + table);
    }

    private RunnerHarness.Outcome retention(String table, String extra) {
        RunnerHarness runner = new RunnerHarness(db, dir);
        return runner.run(runner.env(table.replace('_', '-'), "{\"retention\":{\"table\":\"" + table + "\",\"timestampColumn\":\"at\","
                + "\"olderThan\":\"2d\"" + extra + "}}"));
    }

    @Test
    void analyzeAfterALargeDeleteGivesThePlannerTheNewSize() throws Exception {
        logs("big_logs");
        RunnerHarness.Outcome out = retention("big_logs", ",\"analyze\":true");

        assertThat(out.exitCode()).as(out.log()).isZero();
        assertThat(out.result().path("stats").path("analyzed").asBoolean()).isTrue();
        assertThat(scalar("SELECT reltuples FROM pg_class WHERE relname = 'big_logs'")).isEqualTo(1000);
        assertThat(out.log()).contains(", analysed in ");
    }

    @Test
    void withoutAnalyzeThePlannerStillSeesTheOldSizeAndTheDeadTuplesAreReported() throws Exception {
        logs("plain_logs");
        RunnerHarness.Outcome out = retention("plain_logs", "");

        assertThat(out.exitCode()).as(out.log()).isZero();
        assertThat(out.result().path("stats").has("analyzed")).isFalse();
        assertThat(scalar("SELECT reltuples FROM pg_class WHERE relname = 'plain_logs'")).isEqualTo(4000);
        if (Integer.parseInt(db.column("SHOW server_version_num").get(0)) >= 150000) {
            assertThat(out.result().path("stats").path("deadTuples").asLong()).as("autovacuum is off: every deleted row is dead").isEqualTo(3000);
            assertThat(out.log()).contains("3,000 dead tuples left for vacuum");
        } else {
            assertThat(out.result().path("stats").has("deadTuples")).as("14 has the delete's counts only later: none rather than 0").isFalse();
            assertThat(out.log()).contains("dead tuples not counted (PostgreSQL 14 has them only later)");
        }
    }

    @Test
    void aSmallDeleteIsNotFollowedByAnAnalyze() throws Exception {
        db.execute("CREATE TABLE few_logs (id serial PRIMARY KEY, at timestamptz);"
                + "INSERT INTO few_logs (at) SELECT now() - interval '3 days' FROM generate_series(1, 50);"
                + "INSERT INTO few_logs (at) SELECT now() - g * interval '1 second' FROM generate_series(1, 1000) g; ANALYZE few_logs");
        RunnerHarness.Outcome out = retention("few_logs", ",\"analyze\":true");

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").has("analyzed")).as("5 % of the rows is under the 10 % threshold").isFalse();
    }
}
