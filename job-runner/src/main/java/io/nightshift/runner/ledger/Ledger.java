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
import java.util.Set;

/**
 * The run ledger ({@code job_executions}), checked by {@link LedgerSetup}. Life of a run: {@link #start}
 * inserts {@code running}, {@link #progress} updates its stats, {@link #finish} records {@code success}
 * or {@code failed}. Each is one short transaction of its own, so the ledger works through a
 * transaction-mode pooler. While its row is {@code running}, a run holds a second advisory lock keyed by
 * the row ({@link RowLock}): a {@code running} row whose lock is free belongs to a run that died. Methods
 * are synchronized: the progress timer and the run share one connection.
 *
 * <p>A run of a scheduled slot records the slot: in the {@code slot} column where the table has one
 * (nightshift's own DDL adds it), and always under {@code "slot"} in {@code stats}, so a seed-shaped
 * table without extra columns holds it too. A run started by a Kubernetes Job records that Job under
 * {@code "kubernetesJob"} (its name) and {@code "kubernetesJobUid"} in {@code stats}.
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
    private final KubernetesJob job;

    /** Holds a lock for as long as the run's row is {@code running}: {@link #start} calls it before the row is committed. */
    public interface RowLock {
        void hold(String key) throws SQLException;
    }

    /**
     * {@code slot}: the scheduled slot of the run this ledger records, or null; {@code job}: the Kubernetes
     * Job that started it, or null (a run by hand).
     */
    public Ledger(Connection connection, LedgerShape shape, String namespace, Instant slot, KubernetesJob job) {
        this.connection = connection;
        this.shape = shape;
        this.namespace = namespace;
        this.slot = slot;
        this.job = job;
    }

    /** The same ledger through another connection, to record a run's end when its own session is gone. */
    public Ledger on(Connection other) {
        return new Ledger(other, shape, namespace, slot, job);
    }

    /** The earlier successful runs that did this run's work already: of its slot, of its Kubernetes Job. */
    public EarlierSuccess earlierSuccess() {
        return new EarlierSuccess(connection, shape, namespace, slot, job);
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

    /** Free when it can be taken; taken for this statement's transaction only (auto-commit), so it is free again at once. */
    private boolean rowLockFree(long id) throws SQLException {
        if (!connection.getAutoCommit()) {
            throw new IllegalStateException("the row lock is tried in a transaction of its own");
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, rowKey(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private String rowKey(long id) {
        return "nightshift-run:" + shape.table() + ":" + id;
    }

    /**
     * Inserts the {@code running} row and has {@code rowLock} hold its lock before the insert commits: no one
     * sees the row unlocked.
     */
    public synchronized Started start(String jobName, RowLock rowLock) throws SQLException {
        Integer limit = shape.jobNameLimit();
        if (limit != null && jobName.codePointCount(0, jobName.length()) > limit) {
            throw new ConfigurationException("job name: at most " + limit + " characters (the ledger " + shape.table() + "'s job_name), got "
                    + jobName.codePointCount(0, jobName.length()));
        }
        connection.setAutoCommit(false);
        try {
            Started started;
            try (PreparedStatement ps = connection.prepareStatement(insert("status, started_at", RUNNING + ", clock_timestamp()", "id, started_at"))) {
                bindRow(ps, jobName);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    started = new Started(rs.getLong(1), rs.getTimestamp(2).toInstant());
                }
            }
            rowLock.hold(rowKey(started.id()));
            connection.commit();
            return started;
        } catch (SQLException e) {
            rollbackQuietly();
            if (REFUSED_ROW.contains(e.getSQLState())) {
                throw new ConfigurationException(LedgerSetup.FIELD + ": the run ledger " + shape.table() + " refuses a " + RUNNING + " row: "
                        + e.getMessage().lines().findFirst().orElse("") + " (its columns and constraints are in docs/job-runner.md)", e);
            }
            throw e;
        } finally {
            restoreAutoCommit();
        }
    }

    /**
     * Records a run refused before it began (it could not take the job's lock through the pooler) as one
     * {@code failed} row; returns its id.
     */
    public synchronized long refused(String jobName, String error) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(insert("status, started_at, completed_at, duration_ms, error_message",
                FAILED + ", clock_timestamp(), clock_timestamp(), 0, ?", "id"))) {
            ps.setString(bindRow(ps, jobName), error);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * An INSERT of a row of this ledger's job: what every row has (the job's name, stats, and namespace
     * and slot where the table has the columns), then {@code columns} set to {@code values}.
     */
    private String insert(String columns, String values, String returning) {
        boolean slotColumn = slot != null && shape.hasSlot();
        return "INSERT INTO " + shape.table().quoted() + " (job_name, stats" + (shape.hasNamespace() ? ", namespace" : "")
                + (slotColumn ? ", " + LedgerShape.SLOT : "") + ", " + columns + ") VALUES (?, ?::jsonb" + (shape.hasNamespace() ? ", ?" : "")
                + (slotColumn ? ", ?" : "") + ", " + values + ") RETURNING " + returning;
    }

    /** Binds what every row has ({@link #insert}); returns the index of the next parameter. */
    private int bindRow(PreparedStatement ps, String jobName) throws SQLException {
        int i = 1;
        ps.setString(i++, jobName);
        ps.setString(i++, json(Map.of()));
        if (shape.hasNamespace()) {
            ps.setString(i++, namespace);
        }
        if (slot != null && shape.hasSlot()) {
            ps.setObject(i++, OffsetDateTime.ofInstant(slot, ZoneOffset.UTC));
        }
        return i;
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

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection broke: the server rolled the insert back
        }
    }

    private void restoreAutoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection broke; its next use says so
        }
    }

    private String json(Map<String, Object> stats) {
        Map<String, Object> row = stats;
        if (slot != null || job != null) {
            row = new LinkedHashMap<>(stats);
            if (slot != null) {
                row.put("slot", slot.toString());
            }
            if (job != null) {
                job.addTo(row);
            }
        }
        try {
            return JSON.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stats are not serialisable", e);
        }
    }
}
