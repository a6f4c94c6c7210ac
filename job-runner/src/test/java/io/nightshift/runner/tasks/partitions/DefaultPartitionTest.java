package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table with a DEFAULT partition: rows in it are counted and never moved or lost; every range that holds none of
 * them still gets its partition (where pg_partman's run_maintenance fails and makes none); a range that holds some
 * is left for a person, who moves the rows with the recipe of docs/job-runner.md; old partitions go under the lock
 * timeout, since PostgreSQL detaches nothing concurrently from such a table.
 */
@DatabaseFacing
class DefaultPartitionTest {

    private static final String UTC_TODAY = "(now() AT TIME ZONE 'UTC')::date";
    private static final String TASK = "{\"partitions\":{\"table\":\"events\",\"interval\":\"1d\",\"premake\":5}}";

    @TempDir
    Path dir;

    TestDatabase db;

    @BeforeEach
    void eventsWithOnlyADefaultPartition() {
        db = TestDatabase.create();
        db.execute("SET TimeZone = 'UTC';"
                + "CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, created_at timestamptz NOT NULL, kind text,"
                + " PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);"
                + "CREATE TABLE events_default PARTITION OF events DEFAULT;"
                + "INSERT INTO events (created_at, kind) SELECT now() - interval '10 days' + g * interval '1 minute', 'old' FROM generate_series(1, 10) g;"
                + "INSERT INTO events (created_at, kind) SELECT current_date + 2 + interval '3 hours' + g * interval '1 minute', 'early'"
                + " FROM generate_series(1, 5) g");
    }

    private RunnerHarness.Outcome run(String task) {
        return PartitionRuns.succeeded(db, dir, "events-partitions", task);
    }

    @Test
    void everyRangeWithoutDefaultRowsGetsItsPartitionAndNoRowMoves() throws Exception {
        List<String> before = db.column("SELECT id || ' ' || created_at FROM events ORDER BY id");

        RunnerHarness.Outcome out = run(TASK);

        JsonNode stats = out.result().path("stats");
        assertThat(stats.path("defaultRows").asLong()).isEqualTo(15);
        assertThat(stats.path("blockedByDefault").asLong()).isEqualTo(1);
        assertThat(stats.path("created").asLong()).isEqualTo(5);
        assertThat(stats.path("ahead").asLong()).as("tomorrow, then the gap").isEqualTo(1);
        assertThat(db.column("SELECT id || ' ' || created_at FROM events ORDER BY id")).isEqualTo(before);
        assertThat(db.column("SELECT count(*) FROM events_default")).containsExactly("15");
        assertThat(db.column("SELECT relname FROM pg_inherits JOIN pg_class ON oid = inhrelid WHERE inhparent = 'events'::regclass"
                + " AND relname <> 'events_default' ORDER BY 1"))
                .isEqualTo(db.column("SELECT 'events_p' || to_char(" + UTC_TODAY + " + g, 'YYYYMMDD') FROM generate_series(0, 5) g WHERE g <> 2"));
        assertThat(out.result().path("error").asText("")).isEmpty();
        assertThat(out.log()).contains("DEFAULT public.events_default holds 15 rows, some in 1 range left without a partition")
                .contains("Rows in the DEFAULT partition");
    }

    @Test
    void afterTheRowsAreMovedAsTheDocsSayTheNextRunFindsEveryRangeCovered() throws Exception {
        run(TASK);
        LocalDate early = LocalDate.parse(db.column("SELECT (min(created_at) AT TIME ZONE 'UTC')::date FROM events WHERE kind = 'early'").get(0));

        for (String block : DocumentedSql.blocks("#### Rows in the DEFAULT partition", early)) {
            db.execute(block);
        }
        JsonNode stats = run(TASK).result().path("stats");

        assertThat(stats.path("created").asLong()).isZero();
        assertThat(stats.path("blockedByDefault").asLong()).isZero();
        assertThat(stats.path("defaultRows").asLong()).isEqualTo(10);
        assertThat(stats.path("ahead").asLong()).isEqualTo(5);
        assertThat(db.column("SELECT count(*) FROM events")).containsExactly("15");
    }

    @Test
    void oldPartitionsGoInShortTransactionsWhenTheTableHasADefaultPartition() throws Exception {
        db.execute("SET TimeZone = 'UTC'; CREATE TABLE events_old1 PARTITION OF events FOR VALUES FROM (current_date - 40) TO (current_date - 39);"
                + "CREATE TABLE events_old2 PARTITION OF events FOR VALUES FROM (current_date - 39) TO (current_date - 38);"
                + "INSERT INTO events (created_at, kind) VALUES (current_date - 40, 'older'), (current_date - 39, 'older')");

        JsonNode dropped = run("{\"partitions\":{\"table\":\"events\",\"interval\":\"1d\",\"premake\":5,\"olderThan\":\"30d\"}}")
                .result().path("stats");

        assertThat(dropped.path("dropped").asLong()).isEqualTo(2);
        assertThat(db.column("SELECT count(*) FROM pg_class WHERE relname LIKE 'events_old%'")).containsExactly("0");
        assertThat(db.column("SELECT count(*) FROM events")).as("the default partition's rows stay").containsExactly("15");
    }
}
