package io.nightshift.runner.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

/**
 * The run ledger ({@code job_executions}): created with its indexes when missing, compatible with the
 * table teams already have. Life of a run: {@link #start} inserts {@code running}, {@link #progress}
 * updates its stats, {@link #finish} records {@code success} or {@code failed}. Methods are
 * synchronized: the progress timer and the run share one connection.
 */
public final class Ledger {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final TableName table;

    public Ledger(Connection connection, TableName table) {
        this.connection = connection;
        this.table = table;
    }

    public TableName table() {
        return table;
    }

    /** A started run: its id and the database's start time. */
    public record Started(long id, Instant startedAt) {
    }

    /** Creates the table and its indexes when missing; leaves an existing table as it is. */
    public synchronized void ensureTable() throws SQLException {
        String t = table.quoted();
        String prefix = table.table();
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + io.nightshift.api.Identifiers.quote(table.schema()));
            st.execute("CREATE TABLE IF NOT EXISTS " + t + " (\n"
                    + "  id SERIAL PRIMARY KEY,\n"
                    + "  job_name VARCHAR(100) NOT NULL,\n"
                    + "  status VARCHAR(20) NOT NULL CHECK (status IN ('running', 'success', 'failed')),\n"
                    + "  started_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                    + "  completed_at TIMESTAMPTZ,\n"
                    + "  duration_ms INTEGER,\n"
                    + "  stats JSONB DEFAULT '{}',\n"
                    + "  error_message TEXT,\n"
                    + "  created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP\n"
                    + ")");
            st.execute("CREATE INDEX IF NOT EXISTS " + index(prefix, "job_name") + " ON " + t + " (job_name)");
            st.execute("CREATE INDEX IF NOT EXISTS " + index(prefix, "status") + " ON " + t + " (status)");
            st.execute("CREATE INDEX IF NOT EXISTS " + index(prefix, "started_at") + " ON " + t + " (started_at DESC)");
            st.execute("CREATE INDEX IF NOT EXISTS " + index(prefix, "job_started") + " ON " + t + " (job_name, started_at DESC)");
        } catch (SQLException e) {
            // Two runs of different jobs may create the table at the same moment; the loser sees a duplicate.
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw new SQLException("cannot create the run ledger " + table + ": " + e.getMessage(), e.getSQLState(), e);
            }
        }
    }

    private static String index(String tablePrefix, String suffix) {
        String name = "idx_" + tablePrefix + "_" + suffix;
        return io.nightshift.api.Identifiers.quote(name.length() > 63 ? name.substring(0, 63) : name);
    }

    /**
     * Marks the job's {@code running} rows failed: called while holding the job's lock, so no live run
     * owns them. Returns how many there were.
     */
    public synchronized int failAbandonedRuns(String jobName) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table.quoted()
                + " SET status = 'failed', completed_at = now(),"
                + " duration_ms = LEAST(EXTRACT(EPOCH FROM (now() - started_at)) * 1000, 2147483647)::int,"
                + " error_message = 'run ended without recording a result (the process died or was killed); found by the next run at '"
                + " || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                + " WHERE job_name = ? AND status = 'running'")) {
            ps.setString(1, jobName);
            return ps.executeUpdate();
        }
    }

    public synchronized Started start(String jobName) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table.quoted()
                + " (job_name, status, started_at, stats) VALUES (?, 'running', clock_timestamp(), '{}') RETURNING id, started_at")) {
            ps.setString(1, jobName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Started(rs.getLong(1), rs.getTimestamp(2).toInstant());
            }
        }
    }

    public synchronized void progress(long id, Map<String, Object> stats) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table.quoted()
                + " SET stats = ?::jsonb WHERE id = ? AND status = 'running'")) {
            ps.setString(1, json(stats));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Records the end of a run; returns its duration in milliseconds as the database measured it. */
    public synchronized long finish(long id, boolean success, Map<String, Object> stats, String error) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table.quoted()
                + " SET status = ?, completed_at = clock_timestamp(),"
                + " duration_ms = LEAST(EXTRACT(EPOCH FROM (clock_timestamp() - started_at)) * 1000, 2147483647)::int,"
                + " stats = ?::jsonb, error_message = ? WHERE id = ? RETURNING duration_ms")) {
            ps.setString(1, success ? "success" : "failed");
            ps.setString(2, json(stats));
            ps.setString(3, error);
            ps.setLong(4, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static String json(Map<String, Object> stats) {
        try {
            return JSON.writeValueAsString(stats);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stats are not serialisable", e);
        }
    }
}
