package io.nightshift.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.time.Duration;
import java.util.List;

@JsonClassDescription("Deletes rows older than a cutoff in short batches; drops whole partitions when the table is range-partitioned on the timestamp column.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetentionTask(
        @JsonPropertyDescription("The table to clean, as table or schema.table (default schema public), e.g. public.system_logs.")
        @Required
        @Pattern(Identifiers.QUALIFIED_PATTERN)
        String table,

        @JsonPropertyDescription("The timestamp (or timestamptz/date) column that says how old a row is. Rows where it is NULL are kept.")
        @Required
        @Pattern(Identifiers.NAME_PATTERN)
        String timestampColumn,

        @JsonPropertyDescription("Rows older than this are deleted, e.g. 2d or 36h (d are calendar days). The cutoff is computed once per run by the database clock, as now() - interval '2 days'; a date column keeps the cutoff day. Under 1h is refused unless allowShortRetention is true.")
        @Required
        @Pattern(Durations.PATTERN)
        String olderThan,

        @JsonPropertyDescription("Rows in the first transaction when few rows go and the timestamp column is indexed (the index is walked); each later batch is sized from the time the one before took, to about 100 ms, and one still running after 200 ms is rolled back and retried with a quarter of the rows. When most of the table goes, batches are ranges of pages sized the same way. Default 5000.")
        @Min(1)
        @Max(1_000_000)
        Integer batchSize,

        @JsonPropertyDescription("Copy each deleted row into this table (same columns) in the same transaction as its delete, as table or schema.table. Partitions are detached instead of dropped.")
        @Pattern(Identifiers.QUALIFIED_PATTERN)
        String archiveTable,

        @JsonPropertyDescription("An extra SQL condition rows must also meet to be deleted, e.g. level <> 'error'.")
        String where,

        @JsonPropertyDescription("Allow olderThan under 1 hour. Off by default, so that a typo (2m for 2d) cannot empty a table.")
        Boolean allowShortRetention,

        @JsonPropertyDescription("How long one batch waits for a row or table lock before it gives up and is retried with backoff. Default 5s.")
        @Pattern(Durations.PATTERN)
        String lockTimeout,

        @JsonPropertyDescription("For a timestamp (without time zone) column: the time zone its wall-clock values are in, e.g. Europe/Berlin. Default: the database's timezone setting for the job's role, as a plain session would use it. timestamptz and date columns need no zone.")
        String timeZone,

        @JsonPropertyDescription("Run ANALYZE on the table after a run that deleted at least 10% of its rows, so the planner sees its new size at once instead of when autovacuum gets to it. Costs one sample of the table (about 0.1-0.3 s on 2,000,000 rows), under a lock that blocks neither reads nor writes. Default false.")
        Boolean analyze,

        @JsonPropertyDescription("A throttle: milliseconds to wait after each batch (0 to 10000), leaving the server to the application in between. Off (0) by default: bench/README.md has what it costs and gains.")
        @Min(0)
        @Max(10_000)
        Integer pauseBetweenBatchesMs) implements TaskParameters {

    public static final int DEFAULT_BATCH_SIZE = 5_000;
    public static final Duration MINIMUM_RETENTION = Duration.ofHours(1);
    public static final String DEFAULT_LOCK_TIMEOUT = "5s";

    /** The share of a table's rows a run must delete before {@code analyze} analyses it. */
    public static final double ANALYZE_AFTER_SHARE = 0.10;

    public int pauseBetweenBatchesMsOrDefault() {
        return pauseBetweenBatchesMs == null ? 0 : pauseBetweenBatchesMs;
    }

    public boolean analyzeOrDefault() {
        return Boolean.TRUE.equals(analyze);
    }

    public int batchSizeOrDefault() {
        return batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
    }

    public Duration olderThanDuration() {
        return Durations.parse(olderThan);
    }

    public Duration lockTimeoutDuration() {
        return Durations.parse(lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout);
    }

    @Override
    public List<FieldError> validate(String prefix) {
        Checks c = new Checks(prefix);
        c.table("table", table, true);
        c.column("timestampColumn", timestampColumn, true);
        Duration age = c.duration("olderThan", olderThan, true);
        if (age != null && age.compareTo(MINIMUM_RETENTION) < 0 && !Boolean.TRUE.equals(allowShortRetention)) {
            c.fail("olderThan", "'" + olderThan + "' is shorter than 1h: set allowShortRetention: true if you mean it");
        }
        c.range("batchSize", batchSize, 1, 1_000_000);
        c.range("pauseBetweenBatchesMs", pauseBetweenBatchesMs, 0, 10_000);
        c.table("archiveTable", archiveTable, false);
        if (archiveTable != null && table != null && Identifiers.isQualifiedName(archiveTable) && Identifiers.isQualifiedName(table)
                && TableName.parse(archiveTable).equals(TableName.parse(table))) {
            c.fail("archiveTable", "must be a different table than table");
        }
        c.where("where", where);
        c.timeoutSetting("lockTimeout", lockTimeout);
        c.notBlankIfSet("timeZone", timeZone);
        return c.errors();
    }
}
