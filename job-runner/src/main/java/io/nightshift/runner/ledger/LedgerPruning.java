package io.nightshift.runner.ledger;

import io.nightshift.api.Durations;
import io.nightshift.api.LedgerKeep;
import io.nightshift.api.contract.RunResult;
import io.nightshift.api.contract.RunnerEnvironment;
import io.nightshift.runner.tasks.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A run deletes its own job's ledger rows older than the ledger's keep, never a {@code running} row. In
 * batches of {@link #BATCH_ROWS} rows by id, each its own short transaction that skips rows another
 * session has locked and gives up at once on a table lock it would have to wait for: the next run, the
 * app's dashboard and the table's owner never wait on it.
 */
public final class LedgerPruning {

    public static final String FIELD = RunnerEnvironment.LEDGER_KEEP;
    public static final String STAT = "ledgerPruned";
    static final int BATCH_ROWS = 1000;
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final LedgerShape shape;
    private final String keep;
    private final String jobName;
    private final String namespace;

    private LedgerPruning(LedgerShape shape, String keep, String jobName, String namespace) {
        this.shape = shape;
        this.keep = keep;
        this.jobName = jobName;
        this.namespace = namespace;
    }

    /** The keep in force: the setting, else 90 days for a table the runner created, else none (keep everything). */
    static Optional<String> keep(LedgerShape shape, String setting) {
        String keep = setting != null ? setting : shape.createdByRunner() ? LedgerKeep.DEFAULT_FOR_OWN_TABLE : LedgerKeep.FOREVER;
        return LedgerKeep.parse(keep).isPresent() ? Optional.of(keep) : Optional.empty();
    }

    /**
     * What this run will prune, checked before any work: empty when the ledger keeps everything. A keep
     * that was set and cannot be honoured (no DELETE on the table) is a configuration error; the default
     * of a table that lost that grant is only skipped, with a line in the log.
     */
    public static Optional<LedgerPruning> plan(Connection c, LedgerShape shape, String setting, String jobName, String namespace,
            Consumer<String> log) throws SQLException {
        Optional<String> keep = keep(shape, setting);
        if (keep.isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege(?::regclass, 'DELETE'), current_user")) {
            ps.setString(1, shape.table().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    String lacking = "role \"" + rs.getString(2) + "\" lacks DELETE on table " + shape.table();
                    if (setting != null) {
                        throw new ConfigurationException(FIELD + ": cannot prune the run ledger to " + setting + ": " + lacking
                                + " (grant it, or keep forever)");
                    }
                    log.accept("not pruning the run ledger (default keep " + keep.get() + " of a ledger the runner created): " + lacking);
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new LedgerPruning(shape, keep.get(), jobName, namespace));
    }

    public String keep() {
        return keep;
    }

    /**
     * Deletes the rows, batch by batch on {@code c}, until none is left or {@code stop} says so; each
     * batch's count goes to {@code pruned}. Returns how many rows went. A batch that would wait for a lock
     * ends the pruning for this run; the next run goes on.
     */
    public long run(Connection c, BooleanSupplier stop, LongConsumer pruned) throws SQLException {
        OffsetDateTime cutoff;
        try (PreparedStatement ps = c.prepareStatement("SELECT now() - ?::interval")) {
            ps.setString(1, Durations.postgresInterval(keep));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                cutoff = rs.getObject(1, OffsetDateTime.class);
            }
        }
        String t = shape.table().quoted();
        String delete = "DELETE FROM " + t + " WHERE id IN (SELECT id FROM " + t + " WHERE job_name = ?"
                + (shape.hasNamespace() ? " AND namespace IS NOT DISTINCT FROM ?" : "")
                + " AND status <> " + LedgerShape.quoted(RunResult.RUNNING) + " AND started_at < ? ORDER BY id LIMIT " + BATCH_ROWS
                + " FOR UPDATE SKIP LOCKED)";
        long total = 0;
        c.setAutoCommit(false);
        try {
            while (!stop.getAsBoolean()) {
                int deleted;
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '500ms'");
                }
                try (PreparedStatement ps = c.prepareStatement(delete)) {
                    int i = 1;
                    ps.setString(i++, jobName);
                    if (shape.hasNamespace()) {
                        ps.setString(i++, namespace);
                    }
                    ps.setObject(i, cutoff);
                    deleted = ps.executeUpdate();
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                        break;
                    }
                    throw e;
                }
                total += deleted;
                pruned.accept(deleted);
                if (deleted < BATCH_ROWS) {
                    break;
                }
            }
        } finally {
            c.setAutoCommit(true);
        }
        return total;
    }
}
