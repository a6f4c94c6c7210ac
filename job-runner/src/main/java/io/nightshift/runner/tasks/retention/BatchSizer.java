package io.nightshift.runner.tasks.retention;

/**
 * How much the next batch takes (rows or heap pages): as much as the last batch showed fits in about
 * {@link #TARGET_MS}, grown at most {@link #GROWTH}-fold at a time (the first batches may run on cold
 * caches and a cold JVM), and cut to a quarter when a batch overran {@link #LIMIT_MS} and was rolled back.
 */
final class BatchSizer {

    /** What each batch aims at: short enough that the application never waits long on a row the batch holds. */
    static final long TARGET_MS = 100;
    /** A batch still running after this long is cancelled (statement_timeout), rolled back and retried smaller. */
    static final long LIMIT_MS = 200;
    static final long GROWTH = 4;
    static final long SHRINK = 4;

    private long size;

    BatchSizer(long first) {
        this.size = Math.max(1, first);
    }

    long size() {
        return size;
    }

    boolean atMinimum() {
        return size == 1;
    }

    /** The last batch, of {@link #size()}, committed after {@code elapsedMs}. */
    void completed(long elapsedMs) {
        long byTime = (long) Math.floor(size * (double) TARGET_MS / Math.max(1, elapsedMs));
        size = Math.max(1, Math.min(byTime, size * GROWTH));
    }

    /** The last batch was cancelled at {@link #LIMIT_MS}: nothing of it was kept. */
    void overran() {
        size = Math.max(1, size / SHRINK);
    }
}
