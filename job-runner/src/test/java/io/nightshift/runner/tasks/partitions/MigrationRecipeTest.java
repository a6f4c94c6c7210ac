package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/job-runner.md's recipe for an existing unpartitioned table, run as written (with tomorrow as its boundary) on a
 * table with rows, then the task: no row lost or copied, the old rows in one partition, new days in their own,
 * the application's inserts and ids going on, and the old partition droppable later.
 */
@DatabaseFacing
class MigrationRecipeTest {

    private static final String TASK = "{\"partitions\":{\"table\":\"public.events\",\"interval\":\"1d\",\"premake\":7}}";

    @TempDir
    Path dir;

    TestDatabase db;
    LocalDate boundary;

    @BeforeEach
    void anUnpartitionedTableWithTwoMonthsOfRows() {
        db = TestDatabase.create();
        boundary = LocalDate.now(ZoneOffset.UTC).plusDays(1);
    }

    private void table(String id) {
        db.execute("CREATE TABLE public.events (id " + id + " PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), kind text);"
                + "CREATE INDEX events_kind_idx ON public.events (kind);"
                + "INSERT INTO public.events (created_at, kind) SELECT now() - g * interval '10 minutes', 'old' FROM generate_series(0, 8639) g");
    }

    private void runTheRecipe(boolean identity) throws Exception {
        List<String> blocks = DocumentedSql.blocks("#### An existing unpartitioned table", boundary);
        assertThat(blocks).hasSize(2);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String statement : DocumentedSql.statements(blocks.get(0))) {
                st.execute(statement);
            }
            String step2 = blocks.get(1);
            if (identity) {
                String old = "public.events_before_" + boundary.toString().replace("-", "");
                step2 = step2.replace("INCLUDING COMMENTS)", "INCLUDING COMMENTS INCLUDING IDENTITY)")
                        .replace("ALTER SEQUENCE public.events_id_seq OWNED BY public.events.id;\n", "ALTER TABLE " + old
                                + " ALTER COLUMN id DROP IDENTITY;\nSELECT setval(pg_get_serial_sequence('public.events', 'id'), (SELECT max(id) FROM "
                                + old + "));\n");
            }
            st.execute(step2);
        }
    }

    private void theTableWorksOnAsBefore(long rowsBefore) throws Exception {
        RunnerHarness runner = new RunnerHarness(db, dir);
        RunnerHarness.Outcome out = runner.run(runner.env("events-partitions", TASK));
        assertThat(out.exitCode()).as(out.log()).isZero();
        JsonNode stats = out.result().path("stats");
        assertThat(stats.path("created").asLong()).as("tomorrow and the 6 days after: today is in the old table's partition").isEqualTo(7);
        assertThat(stats.path("ahead").asLong()).isEqualTo(7);
        String old = "events_before_" + boundary.toString().replace("-", "");

        assertThat(db.column("SELECT count(*) FROM events")).containsExactly(String.valueOf(rowsBefore));
        assertThat(db.column("SELECT count(*) FROM " + old)).containsExactly(String.valueOf(rowsBefore));
        db.execute("INSERT INTO events (kind) VALUES ('now'); INSERT INTO events (kind, created_at) VALUES ('tomorrow', now() + interval '1 day')");
        assertThat(db.column("SELECT tableoid::regclass || ' ' || (id > " + rowsBefore + ") FROM events WHERE kind IN ('now', 'tomorrow') ORDER BY created_at"))
                .containsExactly(old + " true", "events_p" + boundary.toString().replace("-", "") + " true");
        assertThat(db.column("SELECT count(*) FROM pg_constraint WHERE conrelid = 'events'::regclass AND contype = 'c'"))
                .as("the boundary's CHECK is the old partition's only").containsExactly("0");

        db.execute("ALTER TABLE events DETACH PARTITION " + old + "; DROP TABLE " + old);
        db.execute("INSERT INTO events (kind, created_at) VALUES ('later', now() + interval '2 days')");
        assertThat(db.column("SELECT count(*) FROM events")).containsExactly("2");
    }

    @Test
    void aSerialKeyedTableBecomesTheFirstPartitionWithoutItsRowsBeingCopied() throws Exception {
        table("serial");
        String index = db.column("SELECT oid FROM pg_class WHERE relname = 'events_kind_idx'").get(0);

        runTheRecipe(false);

        assertThat(db.column("SELECT relname FROM pg_class WHERE relkind = 'i' AND oid IN (SELECT indexrelid FROM pg_index WHERE indisprimary"
                + " AND indrelid = 'events_before_" + boundary.toString().replace("-", "") + "'::regclass)"))
                .as("step 1's index, not one built under step 2's locks").containsExactly("events_before_" + boundary.toString().replace("-", "") + "_pkey");
        assertThat(db.column("SELECT oid FROM pg_class WHERE relname = 'events_kind_idx'")).containsExactly(index);
        theTableWorksOnAsBefore(8640);
    }

    @Test
    void anIdentityKeyedTableTakesTheChangesTheRecipeNames() throws Exception {
        table("bigint GENERATED BY DEFAULT AS IDENTITY");

        runTheRecipe(true);

        theTableWorksOnAsBefore(8640);
    }
}
