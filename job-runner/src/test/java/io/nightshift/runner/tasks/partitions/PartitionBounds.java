package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's partitions as psql shows them in a session of a given time zone: the bounds as PostgreSQL prints
 * them ({@code 2026-03-29 00:00:00+01}), in order. Read independently of the runner's own catalog code.
 */
record PartitionBounds(String name, String from, String to) {

    static List<PartitionBounds> of(TestDatabase db, String table, String keyType, String zone) throws SQLException {
        List<PartitionBounds> bounds = new ArrayList<>();
        try (Connection c = db.connect(); Statement set = c.createStatement()) {
            set.execute("SET TimeZone = '" + zone + "'");
            try (PreparedStatement ps = c.prepareStatement("SELECT k.relname, trim(both '''' from b.m[1]), trim(both '''' from b.m[2]) "
                    + "FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid CROSS JOIN LATERAL (SELECT regexp_match("
                    + "pg_get_expr(k.relpartbound, k.oid), '^FOR VALUES FROM [(](.+)[)] TO [(](.+)[)]$') AS m) b "
                    + "WHERE i.inhparent = ?::regclass AND b.m IS NOT NULL ORDER BY trim(both '''' from b.m[1])::" + keyType)) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        bounds.add(new PartitionBounds(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        return bounds;
    }

    /**
     * Whether this partition holds the moment the last run took as now: its range holds a moment between the start of
     * the last run in the ledger and now (a check that holds whenever it runs, also across midnight).
     */
    boolean heldTheRunsNow(TestDatabase db, String keyType, String zone) throws SQLException {
        String local = keyType.equals("timestamptz") ? "%s" : "(%s AT TIME ZONE '" + zone + "')::" + keyType;
        String sql = "SELECT '" + from + "'::" + keyType + " <= " + local.formatted("now()") + " AND '" + to + "'::" + keyType + " > "
                + local.formatted("(SELECT max(started_at) FROM job_executions)");
        return db.column(sql).equals(List.of("t"));
    }

    /**
     * The table's partitions after a run, checked to be what a run leaves: {@code count} of them, each starting where
     * the one before ends, the first holding the moment the run took as now; bounds shown in {@code zone}.
     */
    static List<PartitionBounds> covering(TestDatabase db, String table, String keyType, String zone, int count) throws SQLException {
        List<PartitionBounds> bounds = of(db, table, keyType, zone);
        assertThat(bounds).hasSize(count);
        assertThat(contiguous(bounds)).as("%s", bounds).isTrue();
        assertThat(bounds.get(0).heldTheRunsNow(db, keyType, zone)).as("%s", bounds.get(0)).isTrue();
        return bounds;
    }

    /** Whether each partition starts where the one before ends. */
    static boolean contiguous(List<PartitionBounds> bounds) {
        for (int i = 1; i < bounds.size(); i++) {
            if (!bounds.get(i).from().equals(bounds.get(i - 1).to())) {
                return false;
            }
        }
        return true;
    }
}
