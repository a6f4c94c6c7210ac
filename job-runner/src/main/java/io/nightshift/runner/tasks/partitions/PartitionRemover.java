package io.nightshift.runner.tasks.partitions;

import io.nightshift.runner.run.RunLog;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TerminatedException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Takes old partitions out of the table, counting each in the stat {@code dropped} or {@code detached} once it is
 * out: concurrently, one by one, where PostgreSQL allows it (no DEFAULT partition), else {@link PartitionChanges#BATCH}
 * per short transaction under the lock timeout.
 */
final class PartitionRemover {

    private final TaskContext context;
    private final PartitionedTable table;
    private final PartitionChanges changes;
    private final boolean keep;

    /** @param keep detach the partitions and keep them as tables, instead of dropping them */
    PartitionRemover(TaskContext context, PartitionedTable table, PartitionChanges changes, boolean keep) {
        this.context = context;
        this.table = table;
        this.changes = changes;
        this.keep = keep;
    }

    void remove(List<Partition> old, boolean hasDefaultPartition) throws SQLException {
        if (old.isEmpty()) {
            return;
        }
        Instant start = Instant.now();
        String stat = keep ? "detached" : "dropped";
        if (!hasDefaultPartition) {
            for (Partition p : old) {
                if (context.stopRequested()) {
                    throw new TerminatedException("partitions " + table.name() + ": stopped before taking out " + p.name());
                }
                changes.detachConcurrently(p, keep);
                context.stats().add(stat, 1);
            }
        } else {
            for (int i = 0; i < old.size(); i += PartitionChanges.BATCH) {
                List<Partition> batch = old.subList(i, Math.min(old.size(), i + PartitionChanges.BATCH));
                if (keep) {
                    changes.detach(batch);
                } else {
                    changes.drop(batch);
                }
                context.stats().add(stat, batch.size());
            }
        }
        context.log("partitions " + table.name() + ": " + stat + " " + old.size() + (old.size() == 1 ? " partition (" : " partitions (")
                + old.get(0).name() + (old.size() == 1 ? "" : " .. " + old.get(old.size() - 1).name()) + ")"
                + (hasDefaultPartition ? "" : " concurrently") + " in " + RunLog.elapsed(Duration.between(start, Instant.now())));
    }

    /**
     * Completes the detaches an interrupted run (or anyone) left pending: such a partition is on its way out, and it
     * would block the next concurrent detach. One whose whole range is before {@code cutoff} is then dropped unless
     * the task keeps old partitions; any other stays a table of its own, as the detach meant.
     */
    void finishPending(List<Partition> pending, Instant cutoff) throws SQLException {
        for (Partition p : pending) {
            boolean old = cutoff != null && p.range() != null && p.range().endsAtOrBefore(cutoff);
            if (context.dryRun()) {
                context.log("partitions " + table.name() + ": would finish the pending detach of " + p.name());
                continue;
            }
            changes.finishDetach(p);
            if (old && !keep) {
                changes.drop(List.of(p));
                context.stats().add("dropped", 1);
            }
            context.log("partitions " + table.name() + ": finished the detach of " + p.name() + " that an interrupted DETACH ... "
                    + "CONCURRENTLY left pending" + (old && !keep ? ", and dropped it (older than the cutoff)" : "; it is kept as a table"));
        }
    }
}
