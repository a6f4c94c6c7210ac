package io.nightshift.runner.tasks.retention;

import io.nightshift.api.Identifiers;
import io.nightshift.api.TableName;
import io.nightshift.runner.tasks.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The table a retention works on, looked up in the catalog: it must exist, its timestamp column must
 * exist and hold a date or timestamp, and an archive table must have every column of the table.
 */
record RetentionTarget(TableName table, long oid, String column, String columnType, int columnNumber, boolean partitioned,
        List<String> columns, TableName archive) {

    private static final Set<String> TIME_TYPES = Set.of("timestamp with time zone", "timestamp without time zone", "date");

    static RetentionTarget resolve(Connection c, TableName table, String column, TableName archive) throws SQLException {
        long oid = tableOid(c, table, "table");
        String type = null;
        int attnum = 0;
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname, format_type(atttypid, atttypmod), attnum FROM pg_attribute "
                + "WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                    if (rs.getString(1).equals(column)) {
                        type = rs.getString(2);
                        attnum = rs.getInt(3);
                    }
                }
            }
        }
        if (type == null) {
            throw new ConfigurationException("task.retention.timestampColumn: table " + table + " has no column \"" + column + "\"");
        }
        if (!TIME_TYPES.contains(type)) {
            throw new ConfigurationException("task.retention.timestampColumn: column " + table + "." + column + " is " + type
                    + ", not a timestamp or date");
        }
        if (archive != null) {
            long archiveOid = tableOid(c, archive, "archiveTable");
            List<String> archiveColumns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped")) {
                ps.setLong(1, archiveOid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        archiveColumns.add(rs.getString(1));
                    }
                }
            }
            List<String> missing = columns.stream().filter(col -> !archiveColumns.contains(col)).toList();
            if (!missing.isEmpty()) {
                throw new ConfigurationException("task.retention.archiveTable: " + archive + " lacks column(s) " + String.join(", ", missing)
                        + " of " + table);
            }
        }
        return new RetentionTarget(table, oid, column, type, attnum, relkind(c, oid) == 'p', List.copyOf(columns), archive);
    }

    static long tableOid(Connection c, TableName table, String field) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ConfigurationException("task.retention." + field + ": table " + table + " does not exist");
                }
                return rs.getLong(1);
            }
        }
    }

    private static char relkind(Connection c, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT relkind FROM pg_class WHERE oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1).charAt(0);
            }
        }
    }

    /** The same target, for one leaf partition of this table. */
    RetentionTarget forPartition(TableName partition, long partitionOid) {
        return new RetentionTarget(partition, partitionOid, column, columnType, columnNumber, false, columns, archive);
    }

    String quotedColumn() {
        return Identifiers.quote(column);
    }

    String quotedColumnList() {
        return String.join(", ", columns.stream().map(Identifiers::quote).toList());
    }
}
