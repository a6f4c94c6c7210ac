package io.nightshift.runner.tasks.partitions;

import io.nightshift.api.PartitionsTask;
import io.nightshift.runner.run.RunLog;
import io.nightshift.runner.tasks.MaintenanceTask;
import io.nightshift.runner.tasks.Stats;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TaskOutcome;
import io.nightshift.runner.tasks.partitions.PartitionPlan.NewPartition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Task {@code partitions}: keeps a range-partitioned table's partitions. Each run makes what the current interval
 * and the {@code premake} after it lack, then takes out the partitions entirely older than {@code olderThan}. The
 * table's shape is checked before anything changes; {@link PartitionPlan} decides what changes,
 * {@link PartitionChanges} says how without leaving the application's queries waiting. A dry run plans, counts and
 * reports, and changes nothing.
 */
public final class PartitionsRunner implements MaintenanceTask {

    private final PartitionsTask params;

    public PartitionsRunner(PartitionsTask params) {
        this.params = params;
    }

    @Override
    public TaskOutcome run(TaskContext context) throws SQLException {
        Stats stats = context.stats();
        // ahead and defaultRows only once known: a run that fails before that is no news about them.
        stats.init("created", "dropped", "detached");
        Instant started = Instant.now();
        try (Connection c = context.openConnection()) {
            PartitionedTable table = PartitionedTable.resolve(c, params);
            KeySpace space = new KeySpace(table.kind(), params.zone());
            Instant now = databaseNow(c);
            Instant cutoff = params.olderThan() == null ? null : space.before(now, params.olderThanDays(), params.olderThanClockTime());
            PartitionChanges changes = new PartitionChanges(c, table, space, new LockWait(context, params.lockTimeoutDuration()));
            PartitionRemover remover = new PartitionRemover(context, table, changes, params.detachOrDefault());

            List<Partition> partitions = PartitionCatalog.partitions(c, table);
            List<Partition> pending = partitions.stream().filter(Partition::detachPending).toList();
            if (!pending.isEmpty()) {
                remover.finishPending(pending, cutoff);
                partitions = context.dryRun() ? partitions.stream().filter(p -> !p.detachPending()).toList() : PartitionCatalog.partitions(c, table);
            }
            Partition defaultPartition = partitions.stream().filter(Partition::isDefault).findFirst().orElse(null);
            List<Partition> ranged = partitions.stream().filter(p -> !p.isDefault()).toList();
            context.log(describe(table, space, ranged, defaultPartition, now));

            PartitionNames names = new PartitionNames(table.name(), PartitionCatalog.namesLike(c, table.name()));
            PartitionPlan planned = PartitionPlan.make(new PartitionPlan.Settings(space, params.intervalUnit(), params.premakeOrDefault(), cutoff),
                    now, ranged, names);
            if (names.shortened()) {
                context.log("partitions " + table.name() + ": the new partitions' names keep the first letters of the table's name, "
                        + "so that they fit PostgreSQL's 63 bytes");
            }
            DefaultRows defaults = DefaultRows.count(c, defaultPartition, table.column(), space,
                    planned.create().stream().map(NewPartition::range).toList());
            stats.put("defaultRows", defaults.rows());
            Set<Range> blocked = new HashSet<>(defaults.blocked());

            if (context.dryRun()) {
                stats.add("created", planned.without(blocked).create().size());
                stats.add(params.detachOrDefault() ? "detached" : "dropped", planned.remove().size());
            } else {
                new PartitionMaker(c, context, table, space, changes, defaultPartition).make(planned.without(blocked).create(), blocked);
                remover.remove(planned.remove(), defaultPartition != null);
            }
            PartitionPlan done = planned.without(blocked);
            stats.put("blockedByDefault", (long) blocked.size());
            stats.put("ahead", (long) PartitionPlan.ahead(space, params.intervalUnit(), done.current(), done.rangesAfter(ranged)));
            List<Range> leftOut = planned.create().stream().map(NewPartition::range).filter(blocked::contains).toList();
            return TaskOutcome.succeeded(new PartitionsSummary(table, space, context.dryRun(), params.detachOrDefault())
                    .of(done, stats, cutoff, defaultPartition, leftOut) + " (" + RunLog.elapsed(Duration.between(started, Instant.now())) + ")");
        }
    }

    private static Instant databaseNow(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private String describe(PartitionedTable table, KeySpace space, List<Partition> ranged, Partition defaultPartition, Instant now) {
        return "partitions " + table.name() + ": " + params.interval() + " partitions on " + table.column() + " (" + table.kind().sqlType()
                + ") in " + space.zone().getId() + "; it has " + ranged.size() + (ranged.size() == 1 ? " partition" : " partitions")
                + (defaultPartition == null ? "" : " and DEFAULT " + defaultPartition.name()) + "; now is " + space.show(space.point(now));
    }
}
