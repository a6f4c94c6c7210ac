package io.nightshift.runner.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One classification of errors for every task: a statement or grant that is wrong is exit 2, never retried. */
@DatabaseFacing
class FailureClassificationTest {

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.execute("CREATE TABLE present (id int)");
    }

    @ParameterizedTest(name = "{0} → exit {1}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM no_such_table                | 2 | relation \"no_such_table\" does not exist",
        "SELECT no_such_column FROM present         | 2 | column \"no_such_column\" does not exist",
        "SELECT no_such_function()                  | 2 | function no_such_function() does not exist",
        "SELEC 1                                    | 2 | syntax error",
        "SET search_path = no_schema; CREATE TABLE t (id int) | 2 | no schema has been selected to create in",
        "SELECT 1 / 0                               | 1 | division by zero",
    })
    void sqlErrorsAreClassifiedBySqlState(String statement, int exitCode, String message) {
        RunnerHarness runner = new RunnerHarness(db, dir);
        RunnerHarness.Outcome out = runner.run(runner.env("classify", "{\"sql\":{\"statement\":\"" + statement.replace("\"", "\\\"") + "\"}}"));

        assertThat(out.exitCode()).isEqualTo(exitCode);
        assertThat(out.result().path("status").asText()).isEqualTo("failed");
        assertThat(out.result().path("error").asText()).contains(message);
        assertThat(out.log()).contains(exitCode == 2 ? "configuration error: " : "failed: ");
    }

    @ParameterizedTest(name = "SQLSTATE {0} → exit {1}")
    @CsvSource({"42P01, 2", "42501, 2", "42601, 2", "42883, 2", "28P01, 2", "3D000, 2", "3F000, 2", "0A000, 2", "25001, 2",
        "2D000, 2", "40P01, 1", "55P03, 1", "57014, 1", "22012, 1", "08006, 1", "57P01, 1", "53300, 1"})
    void theListIsTheDocumentedOne(String state, int exitCode) {
        assertThat(Failure.of(new SQLException("boom", state)).exitCode()).isEqualTo(exitCode);
    }

    @Test
    void aCancelledStatementIsKnownByItsSqlStateThroughItsCauses() {
        SQLException cancelled = new SQLException("ERROR: canceling statement due to user request", "57014");
        assertThat(Failure.isQueryCanceled(cancelled)).isTrue();
        assertThat(Failure.isQueryCanceled(new IllegalStateException("batch failed", cancelled))).isTrue();
        assertThat(Failure.isQueryCanceled(new SQLException("value 57014 is out of range", "22003"))).isFalse();
        assertThat(Failure.isQueryCanceled(new IllegalStateException("no SQL here"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"This connection has been closed. | 08003", "An I/O error occurred while sending to the backend. | 08006",
        "FATAL: terminating connection due to administrator command | 57P01"})
    void aConnectionTheServerClosedSaysTheServerWentAway(String driverMessage, String state) {
        assertThat(Failure.of(new SQLException(driverMessage, state)).message()).startsWith("the database server ")
                .containsAnyOf("went away", "ended the session").contains(state);
    }
}
