package io.nightshift.runner.tasks.retention;

import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TerminatedException;
import io.nightshift.runner.tasks.cutoff.Cutoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Deletes the rows older than the cutoff from one plain table (or leaf partition) in short transactions.
 *
 * <p>Two ways, chosen by how much of the table goes. When most of it does, the table is walked in
 * ranges of heap pages ({@code ctid} range scans, PostgreSQL 14+): together the batches read the table
 * once, like a single {@code DELETE}, and no batch re-reads what an earlier one deleted. When little of
 * it goes and the timestamp column is indexed, batches walk that index from the oldest row onwards
 * (keyset), touching only rows that are deleted.
 */
final class BatchDeleter {

    /** Below this share of the table's rows, an index walk beats reading every page. */
    static final double INDEX_WALK_BELOW = 0.15;
    /**
     * Each page-range batch aims at this long a transaction, well under the 250 ms that locks may be
     * held: such batches are sized by time, not by batchSize, since fixed per-transaction costs add up
     * over thousands of small batches.
     */
    static final long TARGET_BATCH_MS = 100;
    static final long FIRST_STEP_PAGES = 8;

    /** The highest heap page number PostgreSQL can address: the last range reaches every page added since the start. */
    private static final long LAST_PAGE = 4_294_967_294L;

    private final Connection c;
    private final TaskContext context;
    private final RetentionTarget target;
    private final Cutoff cutoff;
    private final String where;
    private final int batchSize;
    private long longestBatchMs;

    BatchDeleter(Connection c, TaskContext context, RetentionTarget target, Cutoff cutoff, String where, int batchSize) {
        this.c = c;
        this.context = context;
        this.target = target;
        this.cutoff = cutoff;
        this.where = where == null ? "" : " AND (" + where + ")";
        this.batchSize = batchSize;
    }

    /** Deletes every matching row; returns the longest batch transaction in milliseconds. */
    long deleteAll() throws SQLException {
        TableStats stats = TableStats.of(c, target, cutoff, where);
        if (stats.matching() == 0) {
            return 0;
        }
        boolean byIndex = stats.indexedColumn() && (stats.fraction() < INDEX_WALK_BELOW || !stats.tidRangeScans());
        if (!byIndex && !stats.tidRangeScans()) {
            throw new SQLException("retention of " + target.table() + " needs an index on " + target.column()
                    + " or PostgreSQL 14 or later (for batches by page range)");
        }
        // Pin the plan to the way chosen: with stale statistics the planner may otherwise pick, for every
        // batch, a scan that reads all of the old rows again.
        planFor(byIndex);
        // One statement per batch, each its own transaction: no separate commit round trip.
        c.setAutoCommit(true);
        try {
            if (byIndex) {
                walkIndex();
            } else {
                walkPages(stats);
            }
        } finally {
            c.setAutoCommit(false);
            resetPlan();
        }
        return longestBatchMs;
    }

    private void planFor(boolean byIndex) throws SQLException {
        List<String> off = byIndex ? List.of("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_tidscan")
                : List.of("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan");
        try (Statement st = c.createStatement()) {
            for (String setting : off) {
                st.execute("SET " + setting + " = off");
            }
        }
        c.commit();
    }

    private void resetPlan() throws SQLException {
        c.rollback();
        try (Statement st = c.createStatement()) {
            for (String setting : List.of("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_tidscan", "enable_indexscan",
                    "enable_indexonlyscan")) {
                st.execute("RESET " + setting);
            }
        }
        c.commit();
    }

    private void walkPages(TableStats stats) throws SQLException {
        String sql = archiving("DELETE FROM " + target.table().quoted() + " WHERE ctid >= ('(' || ? || ',0)')::tid AND ctid < ('(' || ? || ',0)')::tid"
                + " AND " + target.quotedColumn() + " < " + cutoff.parameter() + where);
        long pages = stats.pages();
        // Start small: the planner's numbers may be stale. Each batch then sizes the next from what it measured.
        long step = FIRST_STEP_PAGES;
        long page = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            while (page < pages) {
                checkStop();
                long from = page;
                long to = Math.min(pages, page + step);
                long started = System.nanoTime();
                long[] counts = LockRetry.autoCommitted(context, "retention " + target.table(), () -> {
                    ps.setLong(1, from);
                    ps.setLong(2, to == pages ? LAST_PAGE : to);
                    ps.setObject(3, cutoff.bound());
                    return execute(ps);
                });
                long elapsedMs = Math.max(1, (System.nanoTime() - started) / 1_000_000);
                longestBatchMs = Math.max(longestBatchMs, elapsedMs);
                count(counts);
                page = to;
                // Keep each transaction near the target time; grow at most fourfold at a time.
                double perPageMs = elapsedMs / (double) (to - from);
                long byTime = Math.max(1, (long) (TARGET_BATCH_MS / Math.max(perPageMs, 1e-6)));
                step = Math.max(1, Math.min(byTime, step * 4));
            }
        }
    }

    /**
     * Walks the timestamp index: each batch first finds, by an index-only look at the next batchSize
     * entries, the timestamp where it ends, then deletes that range like a bare DELETE would. Rows
     * sharing the boundary timestamp go in the same batch, so the next one starts strictly after it.
     */
    private void walkIndex() throws SQLException {
        String column = target.quotedColumn();
        String table = target.table().quoted();
        String type = target.columnType();
        // The output is named apart from the column: ORDER BY a name that is also an output column sorts the output (text!).
        String boundSql = "SELECT " + column + "::text AS batch_end FROM " + table + " WHERE " + column + " %s ?::" + type + " AND " + column
                + " < " + cutoff.parameter() + where + " ORDER BY " + column + " OFFSET ? LIMIT 1";
        String deleteSql = archiving("DELETE FROM " + table + " WHERE " + column + " %s ?::" + type + " AND " + column
                + " < " + cutoff.parameter() + " AND " + column + " <= ?::" + type + where);
        String last = "-infinity";
        String after = ">=";
        while (true) {
            checkStop();
            String from = last;
            String op = after;
            long started = System.nanoTime();
            Object[] result = LockRetry.autoCommitted(context, "retention " + target.table(), () -> {
                String bound;
                try (PreparedStatement ps = c.prepareStatement(boundSql.formatted(op))) {
                    ps.setString(1, from);
                    ps.setObject(2, cutoff.bound());
                    ps.setInt(3, batchSize - 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        bound = rs.next() ? rs.getString(1) : null;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(deleteSql.formatted(op))) {
                    ps.setString(1, from);
                    ps.setObject(2, cutoff.bound());
                    ps.setString(3, bound == null ? "infinity" : bound);
                    return new Object[] {execute(ps), bound};
                }
            });
            longestBatchMs = Math.max(longestBatchMs, (System.nanoTime() - started) / 1_000_000);
            count((long[]) result[0]);
            if (result[1] == null) {
                return;
            }
            last = (String) result[1];
            after = ">";
        }
    }

    /** Wraps a DELETE so that, when archiving, its rows are copied in the same statement; returns deleted and archived counts. */
    private String archiving(String delete) {
        if (target.archive() == null) {
            return delete;
        }
        String moved = delete + " RETURNING " + target.quotedColumnList();
        return "WITH moved AS (" + moved + "), archived AS (INSERT INTO " + target.archive().quoted() + " (" + target.quotedColumnList()
                + ") SELECT " + target.quotedColumnList() + " FROM moved RETURNING 1) SELECT (SELECT count(*) FROM moved), count(*) FROM archived";
    }

    private long[] execute(PreparedStatement ps) throws SQLException {
        if (target.archive() == null) {
            return new long[] {ps.executeLargeUpdate(), 0};
        }
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private void count(long[] deletedArchived) {
        if (deletedArchived[0] > 0 || deletedArchived[1] > 0) {
            context.stats().add("deleted", deletedArchived[0]);
            context.stats().add("archived", deletedArchived[1]);
            context.stats().add("batches", 1);
        }
    }

    private void checkStop() {
        if (context.stopRequested()) {
            throw new TerminatedException("stopped between batches after deleting " + context.stats().get("deleted") + " rows of "
                    + target.table() + "; every remaining row is intact");
        }
    }
}
