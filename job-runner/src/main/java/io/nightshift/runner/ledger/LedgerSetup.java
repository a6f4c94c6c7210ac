package io.nightshift.runner.ledger;

import io.nightshift.api.Identifiers;
import io.nightshift.api.TableName;
import io.nightshift.api.contract.RunnerEnvironment;
import io.nightshift.runner.tasks.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks at the ledger table before anything is written to it: the schema must exist (the runner never
 * creates a schema), an existing table must have the ledger's shape and the privileges the runner uses
 * (it is used as it is: no DDL, no added index or column), and a missing table is created with its
 * indexes only when the role may create it there. Every refusal is a {@link ConfigurationException}
 * that names the missing object or privilege.
 */
public final class LedgerSetup {

    static final String FIELD = RunnerEnvironment.LEDGER_TABLE;
    /**
     * The comment on a ledger the runner created: such a table keeps 90 days of runs unless
     * NIGHTSHIFT_LEDGER_KEEP says otherwise; a table the team made keeps everything by default.
     */
    static final String CREATED_BY_RUNNER = "nightshift run ledger, created by nightshift-job-runner: runs older than "
            + RunnerEnvironment.LEDGER_KEEP + " (spec.ledger.keep, default 90d) are pruned";

    private LedgerSetup() {
    }

    /** What the check found: the table's shape, or that it does not exist yet (a dry run creates nothing). */
    public record Found(Optional<LedgerShape> shape, boolean created) {
    }

    /** Checks the ledger and, when {@code create} is true and it is missing, creates it. */
    public static Found prepare(Connection c, TableName table, boolean create) throws SQLException {
        String role = scalar(c, "SELECT current_user", null);
        if (scalar(c, "SELECT oid FROM pg_namespace WHERE nspname = ?", table.schema()) == null) {
            throw new ConfigurationException(FIELD + ": schema \"" + table.schema() + "\" of the run ledger " + table
                    + " does not exist (names are case-sensitive); the runner never creates a schema: create it, or name an existing one");
        }
        if (!"true".equals(scalar(c, "SELECT has_schema_privilege(?, 'USAGE')::text", table.schema()))) {
            throw new ConfigurationException(privilegeMessage(table, role, "USAGE on schema " + Identifiers.quote(table.schema())));
        }
        Optional<LedgerShape> shape = read(c, table);
        if (shape.isPresent()) {
            checkShape(shape.get());
            checkPrivileges(c, shape.get(), role);
            return new Found(shape, false);
        }
        if (!"true".equals(scalar(c, "SELECT has_schema_privilege(?, 'CREATE')::text", table.schema()))) {
            throw new ConfigurationException(FIELD + ": the run ledger " + table + " does not exist and role \"" + role
                    + "\" lacks CREATE on schema " + Identifiers.quote(table.schema()) + " to create it: have its owner create it "
                    + "(docs/job-runner.md, examples/runner/ledger.sql) or grant CREATE on the schema");
        }
        if (!create) {
            return new Found(Optional.empty(), false);
        }
        try {
            createTable(c, table);
        } catch (SQLException e) {
            // Another run created it at the same moment: use theirs.
            if (read(c, table).isEmpty()) {
                throw new SQLException("cannot create the run ledger " + table + ": " + e.getMessage(), e.getSQLState(), e);
            }
        }
        LedgerShape created = read(c, table).orElseThrow(() -> new SQLException("the run ledger " + table + " vanished after CREATE TABLE"));
        checkPrivileges(c, created, role);
        return new Found(Optional.of(created), true);
    }

    /** The table and its indexes, as the original {@code job_executions}, plus the nullable {@code namespace} and {@code slot}. */
    static void createTable(Connection c, TableName table) throws SQLException {
        String t = table.quoted();
        String prefix = table.table();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + t + " (\n"
                    + "  id SERIAL PRIMARY KEY,\n"
                    + "  job_name VARCHAR(100) NOT NULL,\n"
                    + "  status VARCHAR(20) NOT NULL CHECK (status IN (" + LedgerShape.STATUSES + ")),\n"
                    + "  started_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                    + "  completed_at TIMESTAMPTZ,\n"
                    + "  duration_ms INTEGER,\n"
                    + "  stats JSONB DEFAULT '{}',\n"
                    + "  error_message TEXT,\n"
                    + "  created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,\n"
                    + "  namespace VARCHAR(63),\n"
                    + "  slot TIMESTAMPTZ\n"
                    + ")");
            st.execute("CREATE INDEX IF NOT EXISTS " + index(prefix, "job_name") + " ON " + t + " (job_name)");
            st.execute("CREATE INDEX IF NOT EXISTS " + index(prefix, "status") + " ON " + t + " (status)");
            st.execute("CREATE INDEX IF NOT EXISTS " + index(prefix, "started_at") + " ON " + t + " (started_at DESC)");
            st.execute("CREATE INDEX IF NOT EXISTS " + index(prefix, "job_started") + " ON " + t + " (job_name, started_at DESC)");
            st.execute("CREATE INDEX IF NOT EXISTS " + index(prefix, "job_slot") + " ON " + t + " (job_name, slot) WHERE slot IS NOT NULL");
            st.execute("COMMENT ON TABLE " + t + " IS '" + CREATED_BY_RUNNER + "'");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static String index(String tablePrefix, String suffix) {
        String name = "idx_" + tablePrefix + "_" + suffix;
        return Identifiers.quote(name.length() > 63 ? name.substring(0, 63) : name);
    }

    /** The table's columns, or empty when there is no table of that name. */
    static Optional<LedgerShape> read(Connection c, TableName table) throws SQLException {
        String kind = null;
        String comment = null;
        Map<String, LedgerShape.Column> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT k.relkind::text, a.attname, COALESCE(b.typname, t.typname), "
                + "COALESCE(b.typcategory, t.typcategory)::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                + "a.atthasdef OR a.attidentity <> '', CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 "
                + "THEN a.atttypmod - 4 END, obj_description(k.oid, 'pg_class') "
                + "FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace "
                + "LEFT JOIN pg_attribute a ON a.attrelid = k.oid AND a.attnum > 0 AND NOT a.attisdropped "
                + "LEFT JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype "
                + "WHERE n.nspname = ? AND k.relname = ? ORDER BY a.attnum")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kind = rs.getString(1);
                    comment = rs.getString(9);
                    if (rs.getString(2) != null) {
                        columns.put(rs.getString(2), new LedgerShape.Column(rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getBoolean(6), rs.getBoolean(7), (Integer) rs.getObject(8)));
                    }
                }
            }
        }
        if (kind == null) {
            return Optional.empty();
        }
        if (!kind.equals("r") && !kind.equals("p")) {
            throw new ConfigurationException(FIELD + ": " + table + " is not a table (relkind '" + kind + "'): the run ledger must be a table");
        }
        return Optional.of(new LedgerShape(table, columns, CREATED_BY_RUNNER.equals(comment)));
    }

    private static void checkShape(LedgerShape shape) {
        List<String> problems = shape.problems();
        if (!problems.isEmpty()) {
            throw new ConfigurationException(FIELD + ": table " + shape.table() + " is not a run ledger of the expected shape: "
                    + String.join("; ", problems) + " (the ledger's columns are in docs/job-runner.md)");
        }
    }

    /** The runner's statements need these, column by column; a table-level grant covers them. */
    private static void checkPrivileges(Connection c, LedgerShape shape, String role) throws SQLException {
        List<String> insert = new ArrayList<>(List.of("job_name", "status", "started_at", "stats"));
        List<String> select = new ArrayList<>(List.of("id", "job_name", "status", "started_at", "duration_ms"));
        List<String> update = List.of("status", "completed_at", "duration_ms", "stats", "error_message");
        if (shape.hasNamespace()) {
            insert.add(LedgerShape.NAMESPACE);
            select.add(LedgerShape.NAMESPACE);
        }
        if (shape.hasSlot()) {
            insert.add(LedgerShape.SLOT);
            select.add(LedgerShape.SLOT);
        }
        List<String> missing = new ArrayList<>();
        String t = shape.table().quoted();
        for (String privilege : List.of("SELECT", "INSERT", "UPDATE")) {
            List<String> needed = privilege.equals("SELECT") ? select : privilege.equals("INSERT") ? insert : update;
            List<String> lacking = new ArrayList<>();
            for (String column : needed) {
                try (PreparedStatement ps = c.prepareStatement("SELECT has_column_privilege(?::regclass, ?, ?)")) {
                    ps.setString(1, t);
                    ps.setString(2, column);
                    ps.setString(3, privilege);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            lacking.add(column);
                        }
                    }
                }
            }
            if (lacking.size() == needed.size()) {
                missing.add(privilege + " on table " + shape.table());
            } else if (!lacking.isEmpty()) {
                missing.add(privilege + " on column(s) " + String.join(", ", lacking) + " of " + shape.table());
            }
        }
        String sequence = sequenceWithoutUsage(c, shape);
        if (sequence != null) {
            missing.add("USAGE on sequence " + sequence);
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException(privilegeMessage(shape.table(), role, String.join(", ", missing)));
        }
    }

    /** The id column's sequence when it is a SERIAL's (an identity column needs no grant on it) and not usable. */
    private static String sequenceWithoutUsage(Connection c, LedgerShape shape) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT s, has_sequence_privilege(s, 'USAGE') OR has_sequence_privilege(s, 'UPDATE') "
                + "FROM (SELECT pg_get_serial_sequence(?, 'id') AS s) q WHERE s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute "
                + "WHERE attrelid = ?::regclass AND attname = 'id' AND attidentity <> '')")) {
            ps.setString(1, shape.table().quoted());
            ps.setString(2, shape.table().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && !rs.getBoolean(2) ? rs.getString(1) : null;
            }
        }
    }

    private static String privilegeMessage(TableName table, String role, String missing) {
        return FIELD + ": role \"" + role + "\" cannot write the run ledger " + table + ": it lacks " + missing
                + " (the grants the runner needs are in docs/job-runner.md)";
    }

    private static String scalar(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
