package io.nightshift.runner.tasks.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch held up by a row lock another session holds waits for it up to {@code lockTimeout}, then backs
 * off and is retried ({@code lockRetries}); it is not taken for a slow batch (no {@code batchesShrunk}), so
 * the run succeeds once the lock goes, or fails after the retries saying a lock stood in the way.
 */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class LockWaitTest {

    @Parameter
    ConnectionTarget target;

    @TempDir
    Path dir;

    /** 400 rows older than the cutoff and 100 newer; {@code indexed}: with an index on the column, batches walk it. */
    private static TestDatabase logs(boolean indexed) {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE logs (id int PRIMARY KEY, at timestamptz NOT NULL, message text);"
                + "INSERT INTO logs SELECT g, now() - interval '3 days' - g * interval '1 minute', 'old' FROM generate_series(1, 400) g;"
                + "INSERT INTO logs SELECT 1000 + g, now() - g * interval '1 minute', 'new' FROM generate_series(1, 100) g;"
                + (indexed ? "CREATE INDEX ON logs (at);" : "") + "ANALYZE logs");
        return db;
    }

    private RunnerHarness.Outcome retentionWhileLocked(TestDatabase db, long holdMs) throws Exception {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        AtomicReference<RunnerHarness.Outcome> outcome = new AtomicReference<>();
        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("SELECT * FROM logs WHERE id = 200 FOR UPDATE");
            Thread run = new Thread(() -> outcome.set(runner.run(runner.env("locked-logs", "{\"retention\":{\"table\":\"logs\","
                    + "\"timestampColumn\":\"at\",\"olderThan\":\"2d\",\"lockTimeout\":\"1s\"}}"))));
            run.start();
            run.join(holdMs);
            holder.rollback();
            run.join(60_000);
        }
        return outcome.get();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBatchWaitsForARowLockAndBacksOffAndTheRunSucceedsOnceTheLockGoes(boolean indexed) throws Exception {
        TestDatabase db = logs(indexed);

        RunnerHarness.Outcome out = retentionWhileLocked(db, 2500);

        assertThat(out.exitCode()).as(out.log()).isZero();
        JsonNode stats = out.result().path("stats");
        assertThat(stats.path("deleted").asLong()).isEqualTo(400);
        assertThat(stats.path("lockRetries").asLong()).as(out.log()).isBetween(1L, 3L);
        assertThat(stats.path("batchesShrunk").asLong()).as("waiting on a lock is not the batch being slow").isZero();
        assertThat(out.log()).contains("retention public.logs: waited too long for a lock, retrying in 200 ms (attempt 1 of 6)");
        assertThat(db.column("SELECT DISTINCT message FROM logs")).containsExactly("new");
    }

    @Test
    void aLockThatNeverGoesFailsTheRunAfterTheRetriesSayingSo() throws Exception {
        TestDatabase db = logs(true);

        RunnerHarness.Outcome out = retentionWhileLocked(db, 30_000);

        assertThat(out.exitCode()).as(out.log()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).startsWith("retention public.logs: a lock held by another session stood in the way 6 times")
                .contains("the rest are intact").contains("55P03");
        JsonNode stats = out.result().path("stats");
        assertThat(stats.path("lockRetries").asLong()).isEqualTo(5);
        assertThat(stats.path("batchesShrunk").asLong()).isZero();
        assertThat(db.column("SELECT count(*) FROM logs")).as("deleted rows are counted, the others intact")
                .containsExactly(String.valueOf(500 - stats.path("deleted").asLong()));
    }
}
