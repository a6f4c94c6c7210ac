package io.nightshift.runner.tasks.retention;

import io.nightshift.api.Identifiers;
import io.nightshift.api.TableName;
import io.nightshift.api.contract.RunnerEnvironment;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.tasks.cutoff.ColumnKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table a retention works on, looked up in the catalog: it must exist, its timestamp column must
 * exist and hold a date or timestamp, and an archive table must have every column of the table.
 */
record RetentionTarget(TableName table, long oid, String column, String columnType, ColumnKind kind, int columnNumber, boolean partitioned,
        List<String> columns, TableName archive) {

    /** Looks the table up; {@link #refuseSystemOrLedger} is the caller's to check first, as it needs no database. */
    static RetentionTarget resolve(Connection c, TableName table, String column, TableName archive) throws SQLException {
        long oid = tableOid(c, table, "table");
        String type = null;
        int attnum = 0;
        long typeOid = 0;
        boolean partitioned = false;
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname, format_type(atttypid, atttypmod), attnum, atttypid, "
                + "(SELECT relkind = 'p' FROM pg_class WHERE oid = attrelid) FROM pg_attribute WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                    partitioned = rs.getBoolean(5);
                    if (rs.getString(1).equals(column)) {
                        type = rs.getString(2);
                        attnum = rs.getInt(3);
                        typeOid = rs.getLong(4);
                    }
                }
            }
        }
        if (type == null) {
            throw new ConfigurationException("task.retention.timestampColumn: table " + table + " has no column \"" + column + "\"");
        }
        Optional<ColumnKind> kind = ColumnKind.of(c, typeOid);
        if (kind.isEmpty()) {
            throw new ConfigurationException("task.retention.timestampColumn: column " + table + "." + column + " is " + type
                    + ", not a timestamp, timestamptz or date (of any precision, or a domain over one)");
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
        return new RetentionTarget(table, oid, column, type, kind.get(), attnum, partitioned, List.copyOf(columns), archive);
    }

    /** The run ledger and PostgreSQL's own catalogs are never cleaned by a task: rows of running runs, and the database itself, depend on them. */
    static void refuseSystemOrLedger(TableName table, String field, TableName ledger) {
        String schema = table.schema();
        if (schema.equals("pg_catalog") || schema.equals("information_schema") || schema.startsWith("pg_toast") || schema.startsWith("pg_temp")) {
            throw new ConfigurationException("task.retention." + field + ": " + table + " is a PostgreSQL system table, not one a task may delete from");
        }
        if (table.equals(ledger)) {
            throw new ConfigurationException("task.retention." + field + ": " + table + " is the run ledger (" + RunnerEnvironment.LEDGER_TABLE + "); "
                    + "it is not a retention target, since deleting from it would remove the rows of running runs");
        }
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

    /** The same target, for one leaf partition of this table. */
    RetentionTarget forPartition(TableName partition, long partitionOid) {
        return new RetentionTarget(partition, partitionOid, column, columnType, kind, columnNumber, false, columns, archive);
    }

    String quotedColumn() {
        return Identifiers.quote(column);
    }

    String quotedColumnList() {
        return String.join(", ", columns.stream().map(Identifiers::quote).toList());
    }
}
