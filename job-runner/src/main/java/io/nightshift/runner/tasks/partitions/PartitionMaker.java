package io.nightshift.runner.tasks.partitions;

import io.nightshift.runner.run.RunLog;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.partitions.PartitionPlan.NewPartition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Makes a plan's new partitions, {@link PartitionChanges#BATCH} per transaction, counting each batch in the stat
 * {@code created} as it commits. A range the DEFAULT partition got rows in between the count and the attach
 * (PostgreSQL then refuses the attach: check_violation) is counted again and left out like the others.
 */
final class PartitionMaker {

    /** The DEFAULT partition's rows are counted again after a refused attach this often at most. */
    private static final int RECOUNTS = 3;
    private static final String CHECK_VIOLATION = "23514";

    private final Connection c;
    private final TaskContext context;
    private final PartitionedTable table;
    private final KeySpace space;
    private final PartitionChanges changes;
    private final Partition defaultPartition;

    PartitionMaker(Connection c, TaskContext context, PartitionedTable table, KeySpace space, PartitionChanges changes, Partition defaultPartition) {
        this.c = c;
        this.context = context;
        this.table = table;
        this.space = space;
        this.changes = changes;
        this.defaultPartition = defaultPartition;
    }

    /** Makes every partition whose range is not in {@code blocked}; adds to {@code blocked} the ranges it had to leave out. */
    void make(List<NewPartition> all, Set<Range> blocked) throws SQLException {
        if (all.isEmpty()) {
            return;
        }
        Instant start = Instant.now();
        long made = 0;
        for (int i = 0; i < all.size(); i += PartitionChanges.BATCH) {
            List<NewPartition> batch = all.subList(i, Math.min(all.size(), i + PartitionChanges.BATCH));
            for (int attempt = 1; !batch.isEmpty(); attempt++) {
                try {
                    changes.create(batch);
                    context.stats().add("created", batch.size());
                    made += batch.size();
                    break;
                } catch (SQLException e) {
                    if (!CHECK_VIOLATION.equals(e.getSQLState()) || defaultPartition == null || attempt == RECOUNTS) {
                        throw e;
                    }
                    Set<Range> more = DefaultRows.count(c, defaultPartition, table.column(), space,
                            batch.stream().map(NewPartition::range).toList()).blocked();
                    context.log("partitions " + table.name() + ": the DEFAULT partition " + defaultPartition.name() + " got rows in "
                            + more.size() + " of the ranges being made; leaving them out");
                    blocked.addAll(more);
                    batch = batch.stream().filter(p -> !more.contains(p.range())).toList();
                }
            }
        }
        context.log("partitions " + table.name() + ": made " + made + " partitions in " + RunLog.elapsed(Duration.between(start, Instant.now())));
    }
}
