package io.nightshift.runner.tasks.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import io.nightshift.runner.tasks.cutoff.Cutoff;

/** What the planner knows about a table before a retention: its size, how many rows match, whether the column is indexed. */
record TableStats(long pages, double rows, double matching, boolean indexedColumn, boolean tidRangeScans) {

    private static final ObjectMapper JSON = new ObjectMapper();

    double fraction() {
        return rows <= 0 ? 1.0 : Math.min(1.0, matching / rows);
    }

    static TableStats of(Connection c, RetentionTarget target, Cutoff cutoff, String where) throws SQLException {
        long pages;
        double rows;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_relation_size(?::oid) / current_setting('block_size')::bigint, "
                + "greatest(reltuples, 0) FROM pg_class WHERE oid = ?")) {
            ps.setLong(1, target.oid());
            ps.setLong(2, target.oid());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                pages = rs.getLong(1);
                rows = rs.getDouble(2);
            }
        }
        double matching;
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) SELECT 1 FROM " + target.table().quoted() + " WHERE "
                + target.quotedColumn() + " < " + cutoff.parameter() + where)) {
            ps.setObject(1, cutoff.bound());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode plan = JSON.readTree(rs.getString(1));
                matching = plan.path(0).path("Plan").path("Plan Rows").asDouble();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                matching = rows;
            }
        }
        boolean indexed;
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_index WHERE indrelid = ? AND indkey[0] = ? "
                + "AND indpred IS NULL AND indisvalid)")) {
            ps.setLong(1, target.oid());
            ps.setInt(2, target.columnNumber());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                indexed = rs.getBoolean(1);
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
