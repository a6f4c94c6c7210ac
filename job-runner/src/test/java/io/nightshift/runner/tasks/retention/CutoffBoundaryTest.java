package io.nightshift.runner.tasks.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.api.TableName;
import io.nightshift.runner.tasks.cutoff.ColumnKind;
import io.nightshift.runner.tasks.cutoff.Cutoff;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.SimpleTaskContext;
import io.nightshift.runner.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exactly which rows a cutoff removes, for both ways of batching. */
@DatabaseFacing
class CutoffBoundaryTest {

    private static final OffsetDateTime CUTOFF = OffsetDateTime.of(2026, 11, 20, 3, 0, 0, 0, ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {"pages", "index"})
    void rowsBeforeTheCutoffGoAndRowsAtItOrAfterItOrUndatedStay(String strategy) throws Exception {
        TestDatabase db = TestDatabase.create();
        boolean index = strategy.equals("index");
        db.execute("CREATE TABLE t (label text, ts timestamptz);"
                + "INSERT INTO t VALUES ('before', '2026-11-20 02:59:59.999999+00'), ('at', '2026-11-20 03:00:00+00'),"
                + " ('after', '2026-11-20 03:00:00.000001+00'), ('undated', NULL), ('long ago', '2020-01-01 00:00:00+00');"
                // many newer rows so that, with an index, a walk of the index is the cheaper way
                + "INSERT INTO t SELECT 'filler', '2026-11-21'::timestamptz + g * interval '1 second' FROM generate_series(1, 5000) g;"
                + (index ? "CREATE INDEX ON t (ts);" : "") + "ANALYZE t");
        SimpleTaskContext context = new SimpleTaskContext(db, Map.of(), false);
        try (Connection c = db.connect()) {
            RetentionTarget target = RetentionTarget.resolve(c, new TableName("public", "t"), "ts", null);
            Cutoff cutoff = new Cutoff(CUTOFF, ColumnKind.TIMESTAMPTZ, CUTOFF, "UTC");
            c.setAutoCommit(false);
            TableStats stats = TableStats.of(c, target, cutoff, "");
            assertThat(stats.indexedColumn() && stats.fraction() < BatchDeleter.INDEX_WALK_BELOW).isEqualTo(index);
            new BatchDeleter(c, context, target, cutoff, new Batching(null, 1, 0, java.time.Duration.ofSeconds(5))).deleteAll();
        }
        assertThat(labels(db)).containsExactlyInAnyOrder("at", "after", "undated");
        assertThat(context.stats().get("deleted")).isEqualTo(2);
    }

    private static List<String> labels(TestDatabase db) throws Exception {
        List<String> labels = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT label FROM t WHERE label <> 'filler'")) {
            while (rs.next()) {
                labels.add(rs.getString(1));
            }
        }
        return labels;
    }
}
