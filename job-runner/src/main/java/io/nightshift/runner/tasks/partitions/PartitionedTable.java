package io.nightshift.runner.tasks.partitions;

import io.nightshift.api.PartitionsTask;
import io.nightshift.api.PartitionsTask.Interval;
import io.nightshift.api.TableName;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.tasks.cutoff.ColumnKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The table a partitions task keeps, looked up in the catalog and refused (a configuration error naming the table
 * and the reason, before anything changes) unless it is partitioned BY RANGE on one timestamptz, timestamp or date
 * column that the interval suits, and the run's role may change its partitions.
 *
 * @param column the partition key column
 * @param ownerSql the owner role, quoted for SQL
 * @param tablespaceSql the table's own tablespace, quoted for SQL; null for the database's default
 * @param ownedByRunner whether the run's role is the owner itself (not a member of the owner role)
 */
record PartitionedTable(TableName name, long oid, String column, ColumnKind kind, String ownerSql, String tablespaceSql,
        boolean ownedByRunner) {

    private static final String FIELD = "task.partitions.";
    private static final String WHAT_IT_TAKES = "the partitions task keeps tables partitioned BY RANGE on one timestamptz, timestamp "
            + "or date column";

    static PartitionedTable resolve(Connection c, PartitionsTask task) throws SQLException {
        TableName table = TableName.parse(task.table());
        String sql = "SELECT c.oid, c.relkind, p.partstrat, p.partnatts, pg_get_partkeydef(c.oid), a.attname, a.atttypid, "
                + "format_type(a.atttypid, a.atttypmod), quote_ident(pg_get_userbyid(c.relowner)), quote_ident(t.spcname), "
                + "pg_has_role(c.relowner, 'USAGE'), c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user), "
                + "has_schema_privilege(c.relnamespace, 'CREATE'), current_user "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "LEFT JOIN pg_partitioned_table p ON p.partrelid = c.oid "
                + "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND p.partnatts = 1 AND a.attnum = p.partattrs[0] "
                + "LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace "
                + "WHERE n.nspname = ? AND c.relname = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw refusal("table", "table " + table + " does not exist");
                }
                String relkind = rs.getString(2);
                if (!"p".equals(relkind)) {
                    throw refusal("table", table + " is " + ("r".equals(relkind) ? "a plain table, not partitioned" : "not a table")
                            + ": " + WHAT_IT_TAKES + " (docs/job-runner.md, \"An existing unpartitioned table\", shows how to move one)");
                }
                String keyDef = rs.getString(5);
                if (!"r".equals(rs.getString(3))) {
                    throw refusal("table", table + " is partitioned by " + keyDef + ": " + WHAT_IT_TAKES);
                }
                if (rs.getInt(4) != 1 || rs.getString(6) == null) {
                    throw refusal("table", table + " is partitioned by " + keyDef + (rs.getInt(4) != 1 ? ", on " + rs.getInt(4)
                            + " columns" : ", on an expression") + ": " + WHAT_IT_TAKES);
                }
                String column = rs.getString(6);
                if (task.column() != null && !task.column().equals(column)) {
                    throw refusal("column", table + " is partitioned on " + column + ", not on " + task.column());
                }
                Optional<ColumnKind> kind = ColumnKind.of(c, rs.getLong(7));
                if (kind.isEmpty()) {
                    throw refusal("table", table + " is partitioned by " + keyDef + " on a column of type " + rs.getString(8) + ": "
                            + WHAT_IT_TAKES);
                }
                if (kind.get() == ColumnKind.DATE && task.intervalUnit() == Interval.HOUR) {
                    throw refusal("interval", "1h cannot partition " + table + ": its key " + column
                            + " is a date, which has no hours; use 1d, 1w or 1mo");
                }
                if (!rs.getBoolean(11)) {
                    throw refusal("table", "role " + rs.getString(14) + " may not change the partitions of " + table
                            + ": that takes the table's owner (" + rs.getString(9) + ") or a member of that role");
                }
                if (!rs.getBoolean(13)) {
                    throw refusal("table", "role " + rs.getString(14) + " may not create tables in schema " + table.schema()
                            + ", where the partitions of " + table + " go (GRANT CREATE ON SCHEMA " + table.schema() + ")");
                }
                return new PartitionedTable(table, rs.getLong(1), column, kind.get(), rs.getString(9), rs.getString(10), rs.getBoolean(12));
            }
        }
    }

    private static ConfigurationException refusal(String field, String problem) {
        return new ConfigurationException(FIELD + field + ": " + problem);
    }
}
