package io.nightshift.runner.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.api.TableName;
import io.nightshift.api.contract.RunResult;
import io.nightshift.runner.tasks.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The run ledger ({@code job_executions}), checked by {@link LedgerSetup}. Life of a run: {@link #start}
 * inserts {@code running}, {@link #progress} updates its stats, {@link #finish} records {@code success}
 * or {@code failed}. While its row is {@code running}, a run holds a second advisory lock keyed by the
 * row: a {@code running} row whose lock is free belongs to a run that died. Methods are synchronized:
 * the progress timer and the run share one connection.
 *
 * <p>A run of a scheduled slot records the slot: in the {@code slot} column where the table has one
 * (nightshift's own DDL adds it), and always under {@code "slot"} in {@code stats}, so a seed-shaped
 * table without extra columns holds it too.
 */
public final class Ledger {

    /** The statuses of a row, as SQL literals. */
    private static final String RUNNING = LedgerShape.quoted(RunResult.RUNNING);
    private static final String SUCCESS = LedgerShape.quoted(RunResult.SUCCESS);
    private static final String FAILED = LedgerShape.quoted(RunResult.FAILED);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A row the table refuses: its constraints do not fit the ledger's life cycle. */
    private static final Set<String> REFUSED_ROW = Set.of("23502", "23514", "22001", "23505");

    private final Connection connection;
    private final LedgerShape shape;
    private final String namespace;
    private final Instant slot;

    /** {@code slot}: the scheduled slot of the run this ledger records, or null. */
    public Ledger(Connection connection, LedgerShape shape, String namespace, Instant slot) {
        this.connection = connection;
        this.shape = shape;
        this.namespace = namespace;
        this.slot = slot;
    }

    /** The same ledger through another connection, to record a run's end when its own session is gone. */
    public Ledger on(Connection other) {
        return new Ledger(other, shape, namespace, slot);
    }

    /**
     * The id of a run of the job (in this namespace, where the table has the column) that succeeded for
     * this ledger's slot; empty when there is none, or no slot. Asked while holding the job's lock, so a
     * run of the same slot that finished a moment ago is seen.
     */
    public synchronized Optional<Long> slotDoneBy(String jobName) throws SQLException {
        if (slot == null) {
            return Optional.empty();
        }
        String match = shape.hasSlot() ? "(" + LedgerShape.SLOT + " = ? OR stats->>'slot' = ?)" : "stats->>'slot' = ?";
        try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM " + shape.table().quoted()
                + " WHERE job_name = ? AND status = " + SUCCESS + " AND " + match
                + (shape.hasNamespace() ? " AND namespace IS NOT DISTINCT FROM ?" : "") + " ORDER BY id DESC LIMIT 1")) {
            int i = 1;
            ps.setString(i++, jobName);
            if (shape.hasSlot()) {
                ps.setObject(i++, OffsetDateTime.ofInstant(slot, ZoneOffset.UTC));
            }
            ps.setString(i++, slot.toString());
            if (shape.hasNamespace()) {
                ps.setString(i, namespace);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public TableName table() {
        return shape.table();
    }

    /** A started run: its id and the database's start time. */
    public record Started(long id, Instant startedAt) {
    }

    /**
     * Marks the job's {@code running} rows failed whose run is gone (their row lock is free). Called
     * while holding the job's lock. The duration of such a run is unknown: NULL where the column allows
     * it, else left as it was. Returns how many there were.
     */
    public synchronized int failAbandonedRuns(String jobName) throws SQLException {
        List<Long> candidates = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM " + shape.table().quoted()
                + " WHERE job_name = ? AND status = " + RUNNING + (shape.hasNamespace() ? " AND namespace IS NOT DISTINCT FROM ?" : ""))) {
            ps.setString(1, jobName);
            if (shape.hasNamespace()) {
                ps.setString(2, namespace);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.add(rs.getLong(1));
                }
            }
        }
        int marked = 0;
        for (long id : candidates) {
            if (!rowLockFree(id)) {
                continue;
            }
            try (PreparedStatement ps = connection.prepareStatement("UPDATE " + shape.table().quoted()
                    + " SET status = " + FAILED + ", completed_at = now()," + (shape.durationNullable() ? " duration_ms = NULL," : "")
                    + " error_message = 'run ended without recording a result (the process died or was killed); found by the next run at '"
                    + " || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                    + " WHERE id = ? AND status = " + RUNNING)) {
                ps.setLong(1, id);
                marked += ps.executeUpdate();
            }
        }
        return marked;
    }

    private boolean rowLockFree(long id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT CASE WHEN pg_try_advisory_lock(hashtextextended(?, 0)) THEN pg_advisory_unlock(hashtextextended(?, 0)) ELSE false END")) {
            ps.setString(1, rowKey(id));
            ps.setString(2, rowKey(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private String rowKey(long id) {
        return "nightshift-run:" + shape.table() + ":" + id;
    }

    /** Inserts the {@code running} row and takes its row lock in one transaction: no one sees the row unlocked. */
    public synchronized Started start(String jobName) throws SQLException {
        Integer limit = shape.jobNameLimit();
        if (limit != null && jobName.codePointCount(0, jobName.length()) > limit) {
            throw new ConfigurationException("job name: at most " + limit + " characters (the ledger " + shape.table() + "'s job_name), got "
                    + jobName.codePointCount(0, jobName.length()));
        }
        connection.setAutoCommit(false);
        try {
            Started started;
            boolean slotColumn = slot != null && shape.hasSlot();
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + shape.table().quoted()
                    + " (job_name, status, started_at, stats" + (shape.hasNamespace() ? ", namespace" : "") + (slotColumn ? ", " + LedgerShape.SLOT : "")
                    + ") VALUES (?, " + RUNNING + ", clock_timestamp(), ?::jsonb" + (shape.hasNamespace() ? ", ?" : "") + (slotColumn ? ", ?" : "")
                    + ") RETURNING id, started_at")) {
                int i = 1;
                ps.setString(i++, jobName);
                ps.setString(i++, json(Map.of()));
                if (shape.hasNamespace()) {
                    ps.setString(i++, namespace);
                }
                if (slotColumn) {
                    ps.setObject(i, OffsetDateTime.ofInstant(slot, ZoneOffset.UTC));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    started = new Started(rs.getLong(1), rs.getTimestamp(2).toInstant());
                }
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
                ps.setString(1, rowKey(started.id()));
                ps.execute();
            }
            connection.commit();
            return started;
        } catch (SQLException e) {
            connection.rollback();
            if (REFUSED_ROW.contains(e.getSQLState())) {
                throw new ConfigurationException(LedgerSetup.FIELD + ": the run ledger " + shape.table() + " refuses a " + RUNNING + " row: "
                        + e.getMessage().lines().findFirst().orElse("") + " (its columns and constraints are in docs/job-runner.md)", e);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    public synchronized void progress(long id, Map<String, Object> stats) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + shape.table().quoted()
                + " SET stats = ?::jsonb WHERE id = ? AND status = " + RUNNING)) {
            ps.setString(1, json(stats));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /**
     * Records the end of a run, also over a row that another run already marked as ended without a
     * result (the run lost its lock): the run itself knows best. Returns its duration in milliseconds
     * as the database measured it.
     */
    public synchronized long finish(long id, boolean success, Map<String, Object> stats, String error) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + shape.table().quoted()
                + " SET status = ?, completed_at = clock_timestamp(),"
                + " duration_ms = LEAST(EXTRACT(EPOCH FROM (clock_timestamp() - started_at)) * 1000, 2147483647)::int,"
                + " stats = ?::jsonb, error_message = ? WHERE id = ? RETURNING duration_ms")) {
            ps.setString(1, (success ? RunResult.SUCCESS : RunResult.FAILED).value());
            ps.setString(2, json(stats));
            ps.setString(3, error);
            ps.setLong(4, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Serialises stats of every value type once. Run off the clock when a run starts: the first
     * serialisation of a process (Jackson building its serialisers) took ~7 ms of the run's end.
     */
    public static void warmUp() {
        try {
            // The shape Stats.snapshot() gives: an unmodifiable view of a LinkedHashMap.
            JSON.writeValueAsString(Collections.unmodifiableMap(new LinkedHashMap<>(Map.of("rows", 1L, "analyzed", true, "slot", "", "share", 0.5))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String json(Map<String, Object> stats) {
        Map<String, Object> row = stats;
        if (slot != null) {
            row = new LinkedHashMap<>(stats);
            row.put("slot", slot.toString());
        }
        try {
            return JSON.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stats are not serialisable", e);
        }
    }
}
