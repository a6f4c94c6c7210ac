package io.nightshift.runner.tasks.retention;

import io.nightshift.runner.connection.LocalSettings;
import java.time.Duration;

/**
 * How a retention's batches go, from its task: the extra condition (as the runner sends it, see
 * {@link io.nightshift.api.WhereCondition#readAlike}), the first batch's size, the pause after each batch,
 * and how long a batch waits for a lock held elsewhere.
 */
record Batching(String where, int batchSize, int pauseMs, Duration lockTimeout) {

    /** How long the probe waits for the table's lock: a table another session holds is a lock, not slowness. */
    private static final String PROBE_LOCK_TIMEOUT = "50ms";

    /**
     * The settings of a batch's transactions, each set with {@code SET LOCAL}: {@code quick} for its first
     * attempt, cut at {@link BatchSizer#LIMIT_MS}; {@code probing} for the look for a lock in its way;
     * {@code waiting} for an attempt that waits up to {@code lockTimeout} for such a lock, and is cut only
     * after that and the limit.
     */
    record Limits(LocalSettings quick, LocalSettings probing, LocalSettings waiting) {
    }

    /**
     * The plan is pinned to the way chosen (with stale statistics the planner may otherwise pick, for every
     * batch, a scan that reads all of the old rows again). A crash can lose the last few committed batches
     * ({@code synchronous_commit = off}): their rows are simply deleted by the next run.
     */
    Limits limits(boolean byIndex) {
        LocalSettings plan = byIndex
                ? LocalSettings.of("enable_seqscan", "off").and("enable_bitmapscan", "off").and("enable_sort", "off").and("enable_tidscan", "off")
                : LocalSettings.of("enable_indexscan", "off").and("enable_bitmapscan", "off").and("enable_indexonlyscan", "off");
        LocalSettings base = plan.and("synchronous_commit", "off");
        String lockMs = String.valueOf(lockTimeout.toMillis());
        return new Limits(base.and("statement_timeout", String.valueOf(BatchSizer.LIMIT_MS)).and("lock_timeout", lockMs),
                base.and("statement_timeout", String.valueOf(BatchSizer.LIMIT_MS)).and("lock_timeout", PROBE_LOCK_TIMEOUT),
                base.and("statement_timeout", String.valueOf(lockTimeout.toMillis() + BatchSizer.LIMIT_MS)).and("lock_timeout", lockMs));
    }
}
