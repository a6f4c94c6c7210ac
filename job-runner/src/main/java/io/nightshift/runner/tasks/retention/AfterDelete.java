package io.nightshift.runner.tasks.retention;

import io.nightshift.api.RetentionTask;
import io.nightshift.runner.connection.LocalSettings;
import io.nightshift.runner.run.RunLog;
import io.nightshift.runner.tasks.TaskContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * After the last batch: optionally {@code ANALYZE} the table when a large share of it went, and report
 * the dead tuples the delete left for (auto)vacuum, as {@code deadTuples} in the run's stats (from PostgreSQL 15 on).
 */
final class AfterDelete {

    /** pg_partition_tree() is empty for a table that is not partitioned. */
    private static final String TABLE_AND_PARTITIONS = "(%1$s = ? OR %1$s IN (SELECT relid FROM pg_partition_tree(?::oid::regclass)))";

    private AfterDelete() {
    }

    /**
     * Returns what to add to the summary: {@code ", analysed in 120 ms; 1,000,000 dead tuples left for vacuum"}.
     * {@code ANALYZE} runs in a transaction with {@code settings} ({@code lock_timeout}).
     */
    static String of(Connection c, TaskContext context, RetentionTarget target, boolean analyze, LocalSettings settings) throws SQLException {
        c.setAutoCommit(true);
        try {
            String analysed = "";
            long deleted = context.stats().get("deleted");
            if (analyze && deleted > 0 && deleted >= RetentionTask.ANALYZE_AFTER_SHARE * rowsBefore(c, target)) {
                long started = System.nanoTime();
                settings.inTransaction(c, () -> {
                    try (Statement st = c.createStatement()) {
                        return st.execute("ANALYZE " + target.table().quoted());
                    }
                });
                analysed = ", analysed in " + RunLog.elapsed(Duration.ofNanos(System.nanoTime() - started));
                context.stats().put("analyzed", true);
            }
            if (c.getMetaData().getDatabaseMajorVersion() < 15) {
                // 14 sends a session's counts to its statistics collector at most twice a second and has no way to ask
                // for them sooner: read now, the dead tuples of this very delete would be missing. Better none than wrong.
                return analysed + "; dead tuples not counted (PostgreSQL 14 has them only later)";
            }
            long dead = deadTuples(c, target);
            context.stats().put("deadTuples", dead);
            return analysed + "; " + RunLog.count(dead) + " dead tuples left for vacuum";
        } finally {
            c.setAutoCommit(false);
        }
    }

    /** The rows the table had before the run, as the planner knew them (a DELETE leaves the estimate as it was). */
    private static double rowsBefore(Connection c, RetentionTarget target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(greatest(reltuples, 0)), 0) FROM pg_class "
                + "WHERE " + TABLE_AND_PARTITIONS.formatted("oid"))) {
            ps.setLong(1, target.oid());
            ps.setLong(2, target.oid());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    /** Dead tuples in the table (all its partitions), once this session's counts have reached the statistics (15+). */
    private static long deadTuples(Connection c, RetentionTarget target) throws SQLException {
        try (Statement st = c.createStatement()) {
            // Counts reach the shared statistics at most once a second; this makes the next transaction end send them.
            st.execute("SELECT pg_stat_force_next_flush()");
        }
        // The statistics function rather than the pg_stat_user_tables view: planning the view costs a fresh session several ms.
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(pg_stat_get_dead_tuples(oid)), 0) FROM pg_class "
                + "WHERE " + TABLE_AND_PARTITIONS.formatted("oid"))) {
            ps.setLong(1, target.oid());
            ps.setLong(2, target.oid());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
