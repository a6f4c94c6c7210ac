package io.nightshift.runner.tasks.retention;

import io.nightshift.runner.connection.LocalSettings;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TerminatedException;
import io.nightshift.runner.tasks.cutoff.Cutoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Deletes the rows older than the cutoff from one plain table (or leaf partition) in short transactions,
 * one statement each.
 *
 * <p>Two ways, chosen by how much of the table goes. When most of it does, the table is walked in
 * ranges of heap pages ({@code ctid} range scans, PostgreSQL 14+): together the batches read the table
 * once, like a single {@code DELETE}, and no batch re-reads what an earlier one deleted. When little of
 * it goes and the timestamp column is indexed, batches walk that index from the oldest row onwards
 * (keyset), touching only rows that are deleted. (Walking the index when most of a time-ordered table
 * goes was measured 3.5 times slower than one DELETE at 99 %.)
 *
 * <p>Either way each batch is sized from the time the previous one took ({@link BatchSizer}), and one
 * that runs past {@link BatchSizer#LIMIT_MS} is cancelled by the server, rolled back and retried smaller:
 * no batch holds its rows for long, whatever the load. Unless what held it up was a lock held elsewhere
 * (a probe that locks the batch's rows without waiting says so): waiting for a lock is not the batch being
 * slow, so the same batch then waits for the lock, up to {@code lockTimeout}, and is retried with backoff
 * when it could not have it ({@link LockRetry}).
 *
 * <p>Each batch is one transaction with its settings ({@code SET LOCAL}: the plan chosen, the time limit,
 * {@code lock_timeout}, {@code synchronous_commit = off}), so it holds through a transaction-mode pooler.
 */
final class BatchDeleter {

    /** Below this share of the table's rows, an index walk beats reading every page. */
    static final double INDEX_WALK_BELOW = 0.15;
    static final long FIRST_STEP_PAGES = 8;

    private static final String QUERY_CANCELED = "57014";
    /** The highest heap page number PostgreSQL can address: the last range reaches every page added since the start. */
    private static final long LAST_PAGE = 4_294_967_294L;

    private final Connection c;
    private final TaskContext context;
    private final RetentionTarget target;
    private final Cutoff cutoff;
    private final String where;
    private final int batchSize;
    private final int pauseMs;
    private final Batching batching;
    private Batching.Limits limits;
    private long longestBatchMs;
    private long firstBatchStarted;
    private long lastBatchEnded;
    private int overrunsAtMinimum;

    /** {@code c}: auto-commit off; each batch commits its own transaction. */
    BatchDeleter(Connection c, TaskContext context, RetentionTarget target, Cutoff cutoff, Batching batching) {
        this.c = c;
        this.context = context;
        this.target = target;
        this.cutoff = cutoff;
        this.where = whereClause(batching.where());
        this.batchSize = batching.batchSize();
        this.pauseMs = batching.pauseMs();
        this.batching = batching;
    }

    /** How the batches went: from the first one's start to the last one's commit, and the longest one. */
    record Walk(long elapsedMs, long longestBatchMs) {
        static final Walk NONE = new Walk(0, 0);
    }

    /** The task's {@code where} as it is appended to a condition: {@code " AND (...)"}, or nothing. */
    static String whereClause(String where) {
        return where == null ? "" : " AND (" + where + ")";
    }

    /** Deletes every matching row. */
    Walk deleteAll() throws SQLException {
        return deleteAll(null);
    }

    /** Deletes every matching row; {@code known}: the planner's numbers for this target if already looked up, else null. */
    Walk deleteAll(TableStats known) throws SQLException {
        TableStats stats = known != null ? known : TableStats.of(c, target, cutoff, where);
        if (stats.matching() == 0) {
            return Walk.NONE;
        }
        boolean byIndex = stats.indexedColumn() && (stats.fraction() < INDEX_WALK_BELOW || !stats.tidRangeScans());
        if (!byIndex && !stats.tidRangeScans()) {
            throw new SQLException("retention of " + target.table() + " needs an index on " + target.column()
                    + " or PostgreSQL 14 or later (for batches by page range)");
        }
        limits = batching.limits(byIndex);
        if (byIndex) {
            walkIndex();
        } else {
            walkPages(stats);
        }
        return new Walk(firstBatchStarted == 0 ? 0 : (lastBatchEnded - firstBatchStarted) / 1_000_000, longestBatchMs);
    }

    private void walkPages(TableStats stats) throws SQLException {
        String condition = "ctid >= ('(' || ? || ',0)')::tid AND ctid < ('(' || ? || ',0)')::tid AND "
                + target.quotedColumn() + " < " + cutoff.parameter() + where;
        long pages = stats.pages();
        // Start small: the planner's numbers may be stale. Each batch then sizes the next from what it measured.
        BatchSizer sizer = new BatchSizer(FIRST_STEP_PAGES);
        long page = 0;
        try (PreparedStatement delete = c.prepareStatement(BatchStatement.deleting(target, condition));
                PreparedStatement probe = c.prepareStatement(BatchStatement.probing(target, condition))) {
            while (page < pages) {
                long from = page;
                long to = Math.min(pages, page + sizer.size());
                BatchStatement.Result done = batch(sizer, Batch.of(new Batch.Statements(delete, probe), target, (ps, end) -> {
                    ps.setLong(1, from);
                    ps.setLong(2, to == pages ? LAST_PAGE : to);
                    ps.setObject(3, cutoff.bound());
                }));
                if (done != null) {
                    page = to;
                }
            }
        }
    }

    /**
     * Walks the timestamp index: each batch finds, by an index-only look at the next rows, the timestamp
     * where it ends, then deletes up to there like a bare DELETE would (no RETURNING: on 20,000 rows that
     * alone cost a third more). Rows sharing the end timestamp go in the same batch; the next batch starts
     * at that timestamp (its rows are gone). When fewer rows than the batch's size are left, it deletes them all.
     */
    private void walkIndex() throws SQLException {
        String column = target.quotedColumn();
        String from = column + " >= ?::" + target.columnType() + " AND " + column + " < " + cutoff.parameter() + where;
        String upTo = from + " AND " + column + " <= ?::" + target.columnType();
        // Only the row found is cast to text: cast in the scan, every row skipped by OFFSET was (twice the look ahead's time).
        String bound = "SELECT batch_end::text FROM (SELECT " + column + " AS batch_end FROM " + target.table().quoted() + " WHERE " + from
                + " ORDER BY " + column + " OFFSET ? LIMIT 1) ahead";
        BatchSizer sizer = new BatchSizer(batchSize);
        try (PreparedStatement lookAhead = c.prepareStatement(bound);
                PreparedStatement deleteUpTo = c.prepareStatement(BatchStatement.deleting(target, upTo));
                PreparedStatement probeUpTo = c.prepareStatement(BatchStatement.probing(target, upTo));
                PreparedStatement deleteRest = c.prepareStatement(BatchStatement.deleting(target, from));
                PreparedStatement probeRest = c.prepareStatement(BatchStatement.probing(target, from))) {
            String last = "-infinity";
            while (true) {
                String start = last;
                long offset = sizer.size() - 1;
                BatchStatement.Result done = batch(sizer, Batch.ending(() -> batchEnd(lookAhead, start, offset),
                        new Batch.Statements(deleteUpTo, probeUpTo), new Batch.Statements(deleteRest, probeRest), target, (ps, end) -> {
                            ps.setString(1, start);
                            ps.setObject(2, cutoff.bound());
                            if (end != null) {
                                ps.setString(3, end);
                            }
                        }));
                if (done != null) {
                    if (done.batchEnd() == null) {
                        return;
                    }
                    last = done.batchEnd();
                }
            }
        }
    }

    /** The timestamp of the row {@code offset} rows after {@code start} (as text, exact); null when fewer rows are left. */
    private String batchEnd(PreparedStatement lookAhead, String start, long offset) throws SQLException {
        lookAhead.setString(1, start);
        lookAhead.setObject(2, cutoff.bound());
        lookAhead.setLong(3, offset);
        try (ResultSet rs = lookAhead.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Runs one batch (its own transaction) and sizes the next from its time; returns null when the batch
     * overran the limit and was rolled back, to be retried smaller. A batch held up by a lock elsewhere
     * (cut by {@code lock_timeout}, or cut by the limit while the probe finds a lock in its way) is run
     * again as it is, waiting for the lock ({@link #waitForLock}).
     */
    private BatchStatement.Result batch(BatchSizer sizer, Batch work) throws SQLException {
        if (pauseMs > 0 && firstBatchStarted != 0) {
            LockRetry.sleep(pauseMs);
        }
        checkStop();
        long started = System.nanoTime();
        if (firstBatchStarted == 0) {
            firstBatchStarted = started;
        }
        BatchStatement.Result result;
        boolean waitedForLock = false;
        try {
            result = once(limits.quick(), work);
        } catch (SQLException e) {
            boolean cut = QUERY_CANCELED.equals(e.getSQLState());
            if (context.stopRequested() || !(cut || LockRetry.LOCK_NOT_AVAILABLE.equals(e.getSQLState()))) {
                throw e;
            }
            if (cut && !lockedElsewhere(work)) {
                overran(sizer);
                return null;
            }
            result = waitForLock(work);
            if (result == null) {
                overran(sizer);
                return null;
            }
            waitedForLock = true;
        }
        lastBatchEnded = System.nanoTime();
        long elapsedMs = Math.max(1, (lastBatchEnded - started) / 1_000_000);
        longestBatchMs = Math.max(longestBatchMs, elapsedMs);
        if (!waitedForLock) {
            // A lock wait says nothing of how many rows fit in the time a batch aims at.
            sizer.completed(elapsedMs);
        }
        overrunsAtMinimum = 0;
        count(result);
        return result;
    }

    /** The batch in one transaction with {@code settings}: committed, or rolled back when it throws. */
    private BatchStatement.Result once(LocalSettings settings, Batch work) throws SQLException {
        try {
            settings.apply(c);
            BatchStatement.Result result = work.delete();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /** Whether a lock another session holds, on one of the batch's rows or on the table, stands in the batch's way. */
    private boolean lockedElsewhere(Batch work) throws SQLException {
        try {
            limits.probing().apply(c);
            work.probe();
            return false;
        } catch (SQLException e) {
            if (LockRetry.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                return true;
            }
            if (QUERY_CANCELED.equals(e.getSQLState()) && !context.stopRequested()) {
                return false;
            }
            throw e;
        } finally {
            c.rollback();
        }
    }

    /**
     * Runs the batch again, waiting up to {@code lockTimeout} for the lock, retried with backoff when it
     * could not have it in time; null when, once it had the lock, it overran the limit.
     */
    private BatchStatement.Result waitForLock(Batch work) throws SQLException {
        try {
            return LockRetry.inTransaction(c, limits.waiting(), context, "retention " + target.table(), work::delete);
        } catch (SQLException e) {
            if (QUERY_CANCELED.equals(e.getSQLState()) && !context.stopRequested()) {
                return null;
            }
            throw e;
        }
    }

    private void overran(BatchSizer sizer) throws SQLException {
        context.stats().add("batchesShrunk", 1);
        if (!sizer.atMinimum()) {
            sizer.overran();
            overrunsAtMinimum = 0;
            return;
        }
        // Even one row (or page) does not finish in time, and no lock holds it: something slows every statement.
        if (++overrunsAtMinimum >= LockRetry.ATTEMPTS) {
            throw new SQLException("retention " + target.table() + ": a batch of a single row or page did not finish within "
                    + BatchSizer.LIMIT_MS + " ms in " + LockRetry.ATTEMPTS + " attempts (a trigger slower than that, or an overloaded server); "
                    + context.stats().get("deleted") + " rows were deleted, the rest are intact", QUERY_CANCELED);
        }
        LockRetry.pause(overrunsAtMinimum);
    }

    private void count(BatchStatement.Result r) {
        if (r.deleted() > 0 || r.archived() > 0) {
            context.stats().add("deleted", r.deleted());
            context.stats().add("archived", r.archived());
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
