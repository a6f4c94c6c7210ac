package io.nightshift.runner.tasks.retention;

import io.nightshift.api.RetentionTask;
import io.nightshift.api.TableName;
import io.nightshift.api.WhereCondition;
import io.nightshift.runner.connection.LocalSettings;
import io.nightshift.runner.run.RunLog;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.tasks.MaintenanceTask;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TaskOutcome;
import io.nightshift.runner.tasks.cutoff.Cutoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * Task {@code retention}: deletes the rows older than a cutoff computed once by the database clock,
 * in short transactions; drops whole partitions when the table is range-partitioned on the column.
 * Rows whose timestamp is NULL, and rows at exactly the cutoff, are kept.
 */
public final class RetentionRunner implements MaintenanceTask {

    private final RetentionTask params;
    private final Batching batching;
    /** For its transactions besides the batches (a partition's drop, ANALYZE, a dry run's count), set for each one. */
    private final LocalSettings settings;
    /** Made by {@link #prepare} on the runner's thread that opens the task's connection; read after that thread is done. */
    private volatile LookUps prepared;

    public RetentionRunner(RetentionTask params) {
        this.params = params;
        this.batching = new Batching(params.where() == null ? null : WhereCondition.readAlike(params.where()), params.batchSizeOrDefault(),
                params.pauseBetweenBatchesMsOrDefault(), params.lockTimeoutDuration());
        // A crash can lose the last few committed batches: their rows are simply deleted by the next run.
        this.settings = LocalSettings.of("lock_timeout", String.valueOf(params.lockTimeoutDuration().toMillis()))
                .and("synchronous_commit", "off");
    }

    /** What the task learns before it deletes, on the connection it deletes with; {@code stats} only for a plain table. */
    private record LookUps(Connection connection, RetentionTarget target, Cutoff cutoff, TableStats stats, Exception failure) {
    }

    @Override
    public void prepare(Connection c) {
        try {
            prepared = lookUp(c);
        } catch (SQLException | RuntimeException e) {
            prepared = new LookUps(c, null, null, null, e);
        }
    }

    @Override
    public TaskOutcome run(TaskContext context) throws SQLException {
        context.stats().init("deleted", "archived", "batches", "partitionsDropped");
        Instant start = Instant.now();
        TableName table = TableName.parse(params.table());
        TableName archive = archive();
        RetentionTarget.refuseSystemOrLedger(table, "table", context.ledgerTable());
        if (archive != null) {
            RetentionTarget.refuseSystemOrLedger(archive, "archiveTable", context.ledgerTable());
        }
        try (Connection c = context.openConnection()) {
            LookUps found = lookUpsOn(c);
            RetentionTarget target = found.target();
            Cutoff cutoff = found.cutoff();
            context.log("retention " + table + ": removing rows with " + params.timestampColumn() + " before " + cutoff
                    + " (older than " + params.olderThan() + ")");
            if (context.dryRun()) {
                long rows = countOlder(c, target, cutoff);
                context.stats().put("deleted", rows);
                return TaskOutcome.succeeded("retention " + table + ": would delete " + RunLog.count(rows) + " rows older than " + cutoff);
            }
            c.setAutoCommit(false);
            BatchDeleter.Walk walk;
            if (target.partitioned()) {
                Instant deleting = Instant.now();
                long longest = deletePartitioned(c, context, target, cutoff);
                walk = new BatchDeleter.Walk(Duration.between(deleting, Instant.now()).toMillis(), longest);
            } else {
                walk = new BatchDeleter(c, context, target, cutoff, batching).deleteAll(found.stats());
            }
            String after = AfterDelete.of(c, context, target, params.analyzeOrDefault(), settings);
            return TaskOutcome.succeeded(summary(table, context, walk) + after
                    + "; whole task " + RunLog.elapsed(Duration.between(start, Instant.now())));
        }
    }

    private long deletePartitioned(Connection c, TaskContext context, RetentionTarget target, Cutoff cutoff) throws SQLException {
        long longest = 0;
        boolean whole = batching.where() == null && PartitionPruner.rangeOnColumn(c, target);
        for (PartitionPruner.Partition p : PartitionPruner.partitions(c, target)) {
            if (whole && PartitionPruner.entirelyOlder(c, target, p, cutoff)) {
                long rows = PartitionPruner.remove(c, context, target, p, settings);
                context.stats().add("deleted", rows);
                if (target.archive() != null) {
                    context.stats().add("archived", rows);
                }
                context.stats().add("partitionsDropped", 1);
                context.log("retention " + target.table() + ": " + (target.archive() == null ? "dropped" : "detached") + " partition "
                        + p.name() + " (" + RunLog.count(rows) + " rows)");
            } else if (p.leaf()) {
                longest = Math.max(longest, new BatchDeleter(c, context, target.forPartition(p.name(), p.oid()), cutoff, batching)
                        .deleteAll().longestBatchMs());
            } else {
                RetentionTarget sub = target.forPartition(p.name(), p.oid());
                for (PartitionPruner.Partition leaf : PartitionPruner.partitions(c, sub)) {
                    longest = Math.max(longest, new BatchDeleter(c, context, sub.forPartition(leaf.name(), leaf.oid()), cutoff, batching)
                            .deleteAll().longestBatchMs());
                }
            }
        }
        return longest;
    }

    /** The look-ups {@link #prepare} made on this connection (or the failure it met), else made now. */
    private LookUps lookUpsOn(Connection c) throws SQLException {
        LookUps early = prepared;
        if (early == null || early.connection() != c) {
            return lookUp(c);
        }
        if (early.failure() instanceof SQLException e) {
            throw e;
        }
        if (early.failure() != null) {
            throw (RuntimeException) early.failure();
        }
        return early;
    }

    private LookUps lookUp(Connection c) throws SQLException {
        RetentionTarget target = RetentionTarget.resolve(c, TableName.parse(params.table()), params.timestampColumn(), archive());
        Cutoff cutoff = Cutoff.compute(c, "task.retention.olderThan", params.olderThan(), target.kind(), params.timeZone());
        checkWhere(c, target);
        TableStats stats = target.partitioned() ? null : TableStats.of(c, target, cutoff, BatchDeleter.whereClause(batching.where()));
        return new LookUps(c, target, cutoff, stats, null);
    }

    private TableName archive() {
        return params.archiveTable() == null ? null : TableName.parse(params.archiveTable());
    }

    private void checkWhere(Connection c, RetentionTarget target) throws SQLException {
        if (batching.where() == null) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("EXPLAIN SELECT 1 FROM " + target.table().quoted() + " WHERE (" + batching.where() + ")");
        } catch (SQLException e) {
            throw new ConfigurationException("task.retention.where: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private long countOlder(Connection c, RetentionTarget target, Cutoff cutoff) throws SQLException {
        return settings.inTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + target.table().quoted() + " WHERE " + target.quotedColumn()
                    + " < " + cutoff.parameter() + BatchDeleter.whereClause(batching.where()))) {
                ps.setObject(1, cutoff.bound());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static String summary(TableName table, TaskContext context, BatchDeleter.Walk walk) {
        StringBuilder s = new StringBuilder("retention ").append(table).append(": deleted ")
                .append(RunLog.count(context.stats().get("deleted"))).append(" rows in ").append(context.stats().get("batches"))
                .append(" batches");
        if (context.stats().get("archived") > 0) {
            s.append(", archived ").append(RunLog.count(context.stats().get("archived")));
        }
        if (context.stats().get("partitionsDropped") > 0) {
            s.append(", ").append(context.stats().get("partitionsDropped")).append(" partitions removed");
        }
        return s.append(" (").append(RunLog.elapsed(Duration.ofMillis(walk.elapsedMs()))).append(", longest transaction ")
                .append(walk.longestBatchMs()).append(" ms)").toString();
    }
}
