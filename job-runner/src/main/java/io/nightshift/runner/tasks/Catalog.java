package io.nightshift.runner.tasks;

import io.nightshift.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Checks names a task was given against PostgreSQL's catalog, so a typo is a configuration error naming it. */
public final class Catalog {

    private Catalog() {
    }

    /**
     * Checks that {@code table} exists with every named column.
     *
     * @param prefix the task's field path, e.g. {@code task.storageCleanup}
     * @param columns pairs of field name and column name; a null column name is skipped
     */
    public static void requireColumns(Connection c, TableName table, String prefix, String... columns) throws SQLException {
        Set<String> present = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_attribute a JOIN pg_class k ON k.oid = a.attrelid "
                + "JOIN pg_namespace n ON n.oid = k.relnamespace WHERE n.nspname = ? AND k.relname = ? AND k.relkind IN ('r', 'p', 'v', 'm', 'f') "
                + "AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        if (present.isEmpty()) {
            throw new ConfigurationException(prefix + ".table: table " + table + " does not exist");
        }
        checkColumns(table, prefix, present, columns);
    }

    /** The type (pg_type oid) of a column known to exist. */
    public static long columnType(Connection c, TableName table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.atttypid FROM pg_attribute a JOIN pg_class k ON k.oid = a.attrelid "
                + "JOIN pg_namespace n ON n.oid = k.relnamespace WHERE n.nspname = ? AND k.relname = ? AND a.attname = ? AND NOT a.attisdropped")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void checkColumns(TableName table, String prefix, Set<String> present, String... columns) {
        for (int i = 0; i + 1 < columns.length; i += 2) {
            if (columns[i + 1] != null && !present.contains(columns[i + 1])) {
                throw new ConfigurationException(prefix + "." + columns[i] + ": table " + table + " has no column \"" + columns[i + 1] + "\"");
            }
        }
    }
}
