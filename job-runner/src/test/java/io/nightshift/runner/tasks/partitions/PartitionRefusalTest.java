package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A table the task cannot keep is refused before anything changes: exit code 2 (a configuration error, never retried),
 * a message naming the table and the reason, and not one relation more or less in the database.
 */
@DatabaseFacing
class PartitionRefusalTest {

    static final TestDatabase db = TestDatabase.create();

    @TempDir
    Path dir;

    @BeforeAll
    static void tablesOfEveryWrongShape() {
        db.execute("CREATE TABLE plain_logs (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL);"
                + "CREATE TABLE by_region (region text, created_at timestamptz) PARTITION BY LIST (region);"
                + "CREATE TABLE by_hash (id bigint, created_at timestamptz) PARTITION BY HASH (id);"
                + "CREATE TABLE by_two (created_at timestamptz, id bigint) PARTITION BY RANGE (created_at, id);"
                + "CREATE TABLE by_expression (ts timestamp) PARTITION BY RANGE (date_trunc('day', ts));"
                + "CREATE TABLE by_id (id bigint, created_at timestamptz) PARTITION BY RANGE (id);"
                + "CREATE TABLE by_day (day date, hits int) PARTITION BY RANGE (day);"
                + "CREATE TABLE by_created (created_at timestamptz, at timestamptz) PARTITION BY RANGE (created_at);"
                + "CREATE VIEW recent_logs AS SELECT * FROM plain_logs");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not partitioned         | plain_logs    | 1d  |          | task.partitions.table: public.plain_logs is a plain table, not partitioned
            missing                 | no_such_table | 1d  |          | task.partitions.table: table public.no_such_table does not exist
            a view                  | recent_logs   | 1d  |          | task.partitions.table: public.recent_logs is not a table
            partitioned by list     | by_region     | 1d  |          | task.partitions.table: public.by_region is partitioned by LIST (region)
            partitioned by hash     | by_hash       | 1d  |          | task.partitions.table: public.by_hash is partitioned by HASH (id)
            on two columns          | by_two        | 1d  |          | task.partitions.table: public.by_two is partitioned by RANGE (created_at, id), on 2 columns
            on an expression        | by_expression | 1d  |          | task.partitions.table: public.by_expression is partitioned by RANGE (date_trunc('day'::text, ts)), on an expression
            on a bigint column      | by_id         | 1d  |          | task.partitions.table: public.by_id is partitioned by RANGE (id) on a column of type bigint
            hours of a date         | by_day        | 1h  |          | task.partitions.interval: 1h cannot partition public.by_day: its key day is a date
            on another column       | by_created    | 1d  | at       | task.partitions.column: public.by_created is partitioned on created_at, not on at
            """)
    void isRefusedNamingTheTableAndWhyAndNothingChanges(String what, String table, String interval, String column, String message)
            throws Exception {
        List<String> before = relations();
        RunnerHarness runner = new RunnerHarness(db, dir);
        String task = "{\"partitions\":{\"table\":\"" + table + "\",\"interval\":\"" + interval + "\",\"olderThan\":\"30d\""
                + (column == null ? "" : ",\"column\":\"" + column + "\"") + "}}";

        RunnerHarness.Outcome out = runner.run(runner.env("refused", task));

        assertThat(out.exitCode()).as(out.log()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).contains(message);
        assertThat(relations()).isEqualTo(before);
    }

    private static List<String> relations() throws Exception {
        return db.column("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname NOT LIKE '%job_executions%' ORDER BY 1");
    }
}
