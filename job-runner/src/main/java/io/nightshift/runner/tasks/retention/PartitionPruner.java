package io.nightshift.runner.tasks.retention;

import io.nightshift.api.TableName;
import io.nightshift.runner.connection.LocalSettings;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.cutoff.Cutoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For a table range-partitioned on the timestamp column: drops (or, when archiving, detaches) every
 * partition whose upper bound is at or before the cutoff, so its rows go without being deleted one by
 * one. Returns the partitions that remain, for batch deletion.
 */
final class PartitionPruner {

    private static final Pattern RANGE = Pattern.compile("FOR VALUES FROM \\((.+)\\) TO \\((.+)\\)");

    record Partition(TableName name, long oid, String bound, boolean leaf) {
    }

    private PartitionPruner() {
    }

    static List<Partition> partitions(Connection c, RetentionTarget target) throws SQLException {
        List<Partition> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, k.relname, k.oid, pg_get_expr(k.relpartbound, k.oid), k.relkind "
                + "FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid JOIN pg_namespace n ON n.oid = k.relnamespace "
                + "WHERE i.inhparent = ? ORDER BY k.relname")) {
            ps.setLong(1, target.oid());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new Partition(new TableName(rs.getString(1), rs.getString(2)), rs.getLong(3), rs.getString(4),
                            !"p".equals(rs.getString(5))));
                }
            }
        }
        return result;
    }

    /** True when the table is range-partitioned on exactly the retention's column. */
    static boolean rangeOnColumn(Connection c, RetentionTarget target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT partstrat = 'r' AND partnatts = 1 AND partattrs[0] = ? "
                + "FROM pg_partitioned_table WHERE partrelid = ?")) {
            ps.setInt(1, target.columnNumber());
            ps.setLong(2, target.oid());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Whether every row the partition can hold is older than the cutoff (its exclusive upper bound is at or before it). */
    static boolean entirelyOlder(Connection c, RetentionTarget target, Partition p, Cutoff cutoff) throws SQLException {
        Matcher m = RANGE.matcher(p.bound() == null ? "" : p.bound());
        if (!m.matches()) {
            return false;
        }
        String upper = m.group(2).trim();
        if (!upper.startsWith("'") || !upper.endsWith("'")) {
            return false;
        }
        String literal = upper.substring(1, upper.length() - 1).replace("''", "'");
        try (PreparedStatement ps = c.prepareStatement("SELECT ?::" + target.columnType() + " <= " + cutoff.parameter())) {
            ps.setString(1, literal);
            ps.setObject(2, cutoff.bound());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Drops or detaches one partition in its own short transaction, with {@code settings} ({@code lock_timeout}); returns its row count. */
    static long remove(Connection c, TaskContext context, RetentionTarget target, Partition p, LocalSettings settings) throws SQLException {
        return LockRetry.inTransaction(c, settings, context, "retention " + p.name(), () -> {
            long rows;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + p.name().quoted())) {
                rs.next();
                rows = rs.getLong(1);
            }
            try (Statement st = c.createStatement()) {
                st.execute(target.archive() == null ? "DROP TABLE " + p.name().quoted()
                        : "ALTER TABLE " + target.table().quoted() + " DETACH PARTITION " + p.name().quoted());
            }
            return rows;
        });
    }
}
