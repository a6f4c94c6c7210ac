package io.nightshift.runner.tasks.partitions;

import io.nightshift.runner.run.RunLog;
import io.nightshift.runner.tasks.Stats;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The run's one-line result, e.g. {@code partitions public.events: created 8 [2026-12-04 .. 2026-12-12), dropped 3
 * entirely before 2026-11-04 00:00 UTC; 7 ahead; DEFAULT public.events_default holds 120 rows, ...}.
 */
record PartitionsSummary(PartitionedTable table, KeySpace space, boolean dryRun, boolean keep) {

    /** Blocked ranges named at most; the result document has 4 KiB. */
    private static final int RANGES_SHOWN = 3;

    String of(PartitionPlan plan, Stats stats, Instant cutoff, Partition defaultPartition, List<Range> blocked) {
        StringBuilder s = new StringBuilder("partitions ").append(table.name()).append(": ");
        s.append(dryRun ? "would create " : "created ").append(plan.create().size());
        if (!plan.create().isEmpty()) {
            s.append(" [").append(space.show(plan.create().get(0).range().from())).append(" .. ")
                    .append(space.show(plan.create().get(plan.create().size() - 1).range().to())).append(')');
        }
        if (cutoff != null) {
            long gone = stats.get(keep ? "detached" : "dropped");
            s.append(", ").append(dryRun ? (keep ? "would detach " : "would drop ") : (keep ? "detached " : "dropped ")).append(gone)
                    .append(" entirely before ").append(space.show(cutoff));
        }
        s.append("; ").append(stats.get("ahead")).append(" ahead");
        if (defaultPartition != null) {
            s.append("; DEFAULT ").append(defaultPartition.name()).append(" holds ").append(RunLog.count(stats.get("defaultRows"))).append(" rows");
        }
        if (!blocked.isEmpty()) {
            s.append(", some in ").append(blocked.size()).append(blocked.size() == 1 ? " range" : " ranges")
                    .append(" left without a partition so that no row moves (")
                    .append(blocked.stream().limit(RANGES_SHOWN).map(this::show).collect(Collectors.joining(", ")))
                    .append(blocked.size() > RANGES_SHOWN ? ", ..." : "")
                    .append("): move them to a partition of their own (docs/job-runner.md, \"Rows in the DEFAULT partition\")");
        }
        return s.toString();
    }

    private String show(Range r) {
        return "[" + space.show(r.from()) + " .. " + space.show(r.to()) + ")";
    }
}
