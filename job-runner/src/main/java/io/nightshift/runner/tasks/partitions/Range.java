package io.nightshift.runner.tasks.partitions;

import java.time.Instant;

/**
 * A partition's bounds as points of its key ({@link KeySpace}): from {@code from} inclusive to {@code to}
 * exclusive, as PostgreSQL's {@code FOR VALUES FROM (...) TO (...)}. MINVALUE and MAXVALUE are
 * {@link Instant#MIN} and {@link Instant#MAX}.
 */
record Range(Instant from, Instant to) {

    boolean overlaps(Range other) {
        return from.isBefore(other.to) && other.from.isBefore(to);
    }

    /** Whether every value of the range is before {@code point}. */
    boolean endsAtOrBefore(Instant point) {
        return !to.isAfter(point);
    }
}
