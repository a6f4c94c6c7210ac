package io.nightshift.runner.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Input that could be read two ways is a configuration error naming the field: exit 2, nothing deleted, no ledger row. */
@DatabaseFacing
class AmbiguousTaskTest {

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.execute("CREATE TABLE logs (id serial PRIMARY KEY, created_at timestamptz);"
                + "INSERT INTO logs (created_at) SELECT now() - g * interval '1 hour' FROM generate_series(1, 240) g");
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"olderThan\":\"30d\",\"olderThan\":\"1h\",\"allowShortRetention\":true | task.retention: the field 'olderThan' is given twice",
            "\"olderThan\":\"30d\",\"batchSize\":2.5 | task.retention.batchSize",
            "\"olderThan\":\"30d\",\"batchSize\":\"100\" | task.retention.batchSize",
            "\"olderThan\":\"9999999d\" | task.retention.olderThan",
            "\"olderThan\":\"30d\",\"allowShortRetention\":\"yes\" | task.retention.allowShortRetention",
            "\"olderThan\":30 | task.retention.olderThan"})
    void isRefusedNamingTheField(String fields, String message) throws Exception {
        RunnerHarness runner = new RunnerHarness(db, dir);
        RunnerHarness.Outcome out = runner.run(runner.env("ambiguous",
                "{\"retention\":{\"table\":\"logs\",\"timestampColumn\":\"created_at\"," + fields + "}}"));

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.log()).contains(message);
        assertThat(count("SELECT count(*) FROM logs")).isEqualTo(240);
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'job_executions'") == 0
                || count("SELECT count(*) FROM job_executions WHERE job_name = 'ambiguous'") == 0).as("no ledger row").isTrue();
    }
}
