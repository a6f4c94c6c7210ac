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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The statements DBAs schedule that cannot run in a transaction block, and results no long can hold. */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class MaintenanceStatementsTest {

    @Parameter
    ConnectionTarget target;

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeParameterizedClassInvocation
    static void database() {
        db = TestDatabase.create();
        db.execute("CREATE TABLE usage_logs (id serial PRIMARY KEY, kind text);"
                + "INSERT INTO usage_logs (kind) SELECT 'k' || (g % 7) FROM generate_series(1, 500) g;"
                + "CREATE INDEX usage_logs_kind ON usage_logs (kind);"
                + "CREATE TABLE batches (id serial PRIMARY KEY, n int);"
                + "CREATE PROCEDURE fill_in_batches() LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO batches (n) VALUES (1); COMMIT; INSERT INTO batches (n) VALUES (2); COMMIT; END $$;"
                + "CREATE TABLE notes (id serial PRIMARY KEY, body text)");
    }

    private RunnerHarness.Outcome run(String job, String task) {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        return runner.run(runner.env(job, task));
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"VACUUM (ANALYZE) usage_logs", "CREATE INDEX CONCURRENTLY IF NOT EXISTS usage_logs_id_kind ON usage_logs (id, kind)",
            "REINDEX INDEX CONCURRENTLY usage_logs_kind", "CALL fill_in_batches()"})
    void statementsThatCannotRunInATransactionRunWithTransactionFalse(String statement) {
        RunnerHarness.Outcome refused = run("maintenance", "{\"sql\":{\"statement\":\"" + statement + "\"}}");
        assertThat(refused.exitCode()).as("a configuration error, not retried").isEqualTo(2);
        assertThat(refused.log()).contains("task.sql.transaction").contains("transaction: false");

        RunnerHarness.Outcome out = run("maintenance", "{\"sql\":{\"statement\":\"" + statement + "\",\"transaction\":false}}");
        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("status").asText()).isEqualTo("success");
    }

    @Test
    void aProcedureThatCommitsKeepsWhatItCommitted() throws Exception {
        RunnerHarness.Outcome out = run("procedure", "{\"sql\":{\"statements\":[\"CALL fill_in_batches()\",\"ANALYZE batches\"],\"transaction\":false}}");

        assertThat(out.exitCode()).isZero();
        assertThat(count("SELECT count(*) FROM batches WHERE n IN (1, 2)")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aNumericResultBeyondALongIsKeptExactlyAndTheWorkStays() throws Exception {
        RunnerHarness.Outcome out = run("big", "{\"sql\":{\"statements\":[\"INSERT INTO notes (body) VALUES ('kept')\","
                + "\"SELECT 123456789012345678901234567890::numeric\"]}}");

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("result").asText()).isEqualTo("123456789012345678901234567890");
        assertThat(count("SELECT count(*) FROM notes WHERE body = 'kept'")).isEqualTo(1);
    }

    @Test
    void numericResultsAreNumbersWhenJsonReadersKeepThemExactly() {
        assertThat(SqlRunner.numeric(new java.math.BigDecimal("42.000"))).isEqualTo(42L);
        assertThat(SqlRunner.numeric(new java.math.BigDecimal("0.25"))).isEqualTo(0.25);
        assertThat(SqlRunner.numeric(new java.math.BigDecimal("9223372036854775808"))).isEqualTo("9223372036854775808");
        assertThat(SqlRunner.numeric(new java.math.BigDecimal("0.1000000000000000000001"))).isEqualTo("0.1000000000000000000001");
    }
}
