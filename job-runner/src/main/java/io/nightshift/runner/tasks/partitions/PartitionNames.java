package io.nightshift.runner.tasks.partitions;

import io.nightshift.api.PartitionsTask.Interval;
import io.nightshift.api.TableName;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;

/**
 * Names new partitions as pg_partman 5 does, so that a table can move between the two: {@code <table>_pYYYYMMDD}
 * after the first day of the partition (daily, weekly, monthly), {@code <table>_pYYYYMMDD_HH24MISS} for hourly ones
 * and for a partition that fills a gap between existing ones off an interval boundary. The table's part is cut so
 * that the whole stays within PostgreSQL's 63 bytes (as pg_partman cuts it); a name already taken in the schema, or
 * a wall-clock hour that comes twice when DST ends, gets {@code _2}, {@code _3}, ... after it.
 */
final class PartitionNames {

    static final int MAX_BYTES = 63;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss");
    /** The longest suffix a name can get: {@code _p20261204_130000_999}. */
    private static final int LONGEST_SUFFIX = "_p20261204_130000_999".length();

    private final TableName table;
    private final Set<String> taken;
    private boolean shortened;

    /** @param namesInSchema the names of the relations in the table's schema that start with {@link #prefix} */
    PartitionNames(TableName table, Set<String> namesInSchema) {
        this.table = table;
        this.taken = new HashSet<>(namesInSchema);
    }

    /** Every name this class can give the table's partitions starts with this. */
    static String prefix(TableName table) {
        return cut(table.table(), MAX_BYTES - LONGEST_SUFFIX);
    }

    /** A free name for a partition starting at {@code from} on the task's wall clock; it is taken from then on. */
    TableName next(Interval interval, LocalDateTime from, boolean onBoundary) {
        String stamp = "_p" + (interval == Interval.HOUR || !onBoundary ? TIME : DAY).format(from);
        String name = fit(stamp);
        for (int n = 2; taken.contains(name); n++) {
            name = fit(stamp + "_" + n);
        }
        taken.add(name);
        return new TableName(table.schema(), name);
    }

    /** Whether a name had to be cut to 63 bytes. */
    boolean shortened() {
        return shortened;
    }

    private String fit(String suffix) {
        String base = cut(table.table(), MAX_BYTES - suffix.length());
        shortened |= base.length() < table.table().length();
        return base + suffix;
    }

    /** Table names are ASCII (the task's names are checked), so characters are bytes; checked all the same. */
    private static String cut(String name, int bytes) {
        String cut = name.length() <= bytes ? name : name.substring(0, bytes);
        if (cut.getBytes(StandardCharsets.UTF_8).length != cut.length()) {
            throw new IllegalArgumentException("table name " + name + " is not ASCII");
        }
        return cut;
    }
}
