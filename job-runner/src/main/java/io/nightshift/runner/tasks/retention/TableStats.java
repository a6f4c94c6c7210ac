package io.nightshift.runner.tasks.retention;

import io.nightshift.runner.tasks.cutoff.Cutoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the planner knows about a table before a retention: its size, how many rows match, whether the column is indexed. */
record TableStats(long pages, double rows, double matching, boolean indexedColumn, boolean tidRangeScans) {

    private static final Pattern PLAN_ROWS = Pattern.compile("rows=(\\d+)");

    double fraction() {
        return rows <= 0 ? 1.0 : Math.min(1.0, matching / rows);
    }

    static TableStats of(Connection c, RetentionTarget target, Cutoff cutoff, String where) throws SQLException {
        long pages;
        double rows;
        boolean indexed;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_relation_size(?::oid) / current_setting('block_size')::bigint, "
                + "greatest(reltuples, 0), EXISTS (SELECT 1 FROM pg_index WHERE indrelid = ? AND indkey[0] = ? AND indpred IS NULL AND indisvalid) "
                + "FROM pg_class WHERE oid = ?")) {
            ps.setLong(1, target.oid());
            ps.setLong(2, target.oid());
            ps.setInt(3, target.columnNumber());
            ps.setLong(4, target.oid());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                pages = rs.getLong(1);
                rows = rs.getDouble(2);
                indexed = rs.getBoolean(3);
            }
        }
        double matching = rows;
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN SELECT 1 FROM " + target.table().quoted() + " WHERE "
                + target.quotedColumn() + " < " + cutoff.parameter() + where)) {
            ps.setObject(1, cutoff.bound());
            try (ResultSet rs = ps.executeQuery()) {
                // The top node's estimate: "Seq Scan on t  (cost=0.00..123.00 rows=20000 width=4)".
                Matcher m = rs.next() ? PLAN_ROWS.matcher(rs.getString(1)) : null;
                if (m != null && m.find()) {
                    matching = Double.parseDouble(m.group(1));
                }
            }
        }
        boolean tidRange = c.getMetaData().getDatabaseMajorVersion() >= 14;
        if (rows <= 0) {
            // Never analysed: the planner's guess is no guide; reading the pages is always correct.
            matching = Math.max(matching, 1);
            rows = matching;
        }
        return new TableStats(pages, rows, matching, indexed, tidRange);
    }
}
