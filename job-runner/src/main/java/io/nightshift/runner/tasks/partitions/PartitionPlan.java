package io.nightshift.runner.tasks.partitions;

import io.nightshift.api.PartitionsTask.Interval;
import io.nightshift.api.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * What one run changes, decided from the partitions the table has (judged by their bounds, never their names),
 * the database clock's now and the task: a partition for every part of the current interval and the
 * {@code premake} intervals after it that no partition covers, and the partitions whose whole range is before the
 * cutoff. Nothing before the current interval is made: a gap left by an outage stays a gap, and no partition is
 * made that would already be past the cutoff.
 *
 * @param current the start of the interval that holds now
 * @param horizon the end of the last interval to cover
 */
record PartitionPlan(Instant current, Instant horizon, List<NewPartition> create, List<Partition> remove) {

    /** A partition to make. */
    record NewPartition(TableName name, Range range) {
    }

    /** The task's settings a plan depends on; {@code cutoff} null when nothing goes. */
    record Settings(KeySpace space, Interval interval, int premake, Instant cutoff) {
    }

    /** Intervals after the current one that {@link #ahead} counts at most (a MAXVALUE bound covers forever). */
    static final int AHEAD_LIMIT = 10_000;

    static PartitionPlan make(Settings settings, Instant now, List<Partition> partitions, PartitionNames names) {
        KeySpace space = settings.space();
        Interval interval = settings.interval();
        Instant current = space.start(interval, space.point(now));
        List<Range> covered = ranges(partitions);
        List<NewPartition> create = new ArrayList<>();
        Instant from = current;
        for (int k = 0; k <= settings.premake(); k++) {
            Instant to = space.next(interval, from);
            for (Range gap : gaps(new Range(from, to), covered)) {
                create.add(new NewPartition(names.next(interval, space.wallClock(gap.from()), space.isBoundary(interval, gap.from())), gap));
            }
            from = to;
        }
        List<Partition> remove = settings.cutoff() == null ? List.of()
                : partitions.stream().filter(p -> !p.isDefault() && p.range().endsAtOrBefore(settings.cutoff())).toList();
        return new PartitionPlan(current, from, List.copyOf(create), remove);
    }

    /** The same plan without the partitions whose ranges the DEFAULT partition holds rows in. */
    PartitionPlan without(Set<Range> blocked) {
        return new PartitionPlan(current, horizon, create.stream().filter(p -> !blocked.contains(p.range())).toList(), remove);
    }

    /** The ranges the table's partitions will cover once this plan is carried out. */
    List<Range> rangesAfter(List<Partition> partitions) {
        List<Range> after = new ArrayList<>();
        partitions.stream().filter(p -> !p.isDefault() && !remove.contains(p)).forEach(p -> after.add(p.range()));
        create.forEach(p -> after.add(p.range()));
        return after;
    }

    /**
     * How many whole intervals after the current one {@code ranges} cover without a gap: the stat {@code ahead}.
     * Under 2, inserts will soon have no partition to go to.
     */
    static int ahead(KeySpace space, Interval interval, Instant current, List<Range> ranges) {
        List<Range> sorted = sorted(ranges);
        int n = 0;
        Instant from = space.next(interval, current);
        while (n < AHEAD_LIMIT) {
            Instant to = space.next(interval, from);
            if (!gaps(new Range(from, to), sorted).isEmpty()) {
                break;
            }
            n++;
            from = to;
        }
        return n;
    }

    /** The parts of {@code target} that no range of {@code covered} (sorted by start) covers. */
    static List<Range> gaps(Range target, List<Range> covered) {
        List<Range> gaps = new ArrayList<>();
        Instant at = target.from();
        for (Range r : covered) {
            if (!r.overlaps(target) || !r.to().isAfter(at)) {
                continue;
            }
            if (r.from().isAfter(at)) {
                gaps.add(new Range(at, r.from()));
            }
            at = r.to();
            if (!at.isBefore(target.to())) {
                return gaps;
            }
        }
        gaps.add(new Range(at, target.to()));
        return gaps;
    }

    private static List<Range> ranges(List<Partition> partitions) {
        return sorted(partitions.stream().filter(p -> !p.isDefault()).map(Partition::range).toList());
    }

    private static List<Range> sorted(List<Range> ranges) {
        return ranges.stream().sorted(Comparator.comparing(Range::from)).toList();
    }
}
