package io.nightshift.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

@JsonClassDescription("Keeps a table range-partitioned on one timestamptz, timestamp or date column: makes partitions ahead at interval "
        + "boundaries in timeZone, and drops (or detaches) those entirely older than olderThan. Needs the table's owner role.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartitionsTask(
        @JsonPropertyDescription("The partitioned table, as table or schema.table (default schema public), e.g. public.events. It must be "
                + "partitioned BY RANGE on one timestamptz, timestamp or date column; anything else is refused before any change.")
        @Required
        @Pattern(Identifiers.QUALIFIED_PATTERN)
        String table,

        @JsonPropertyDescription("The partition key column, as a check: when set, a table partitioned on another column is refused. "
                + "Default: the table's partition key, whatever its name.")
        @Pattern(Identifiers.NAME_PATTERN)
        String column,

        @JsonPropertyDescription("The span of one partition: 1h (an hour), 1d (a day from midnight), 1w (a week from Monday) or 1mo "
                + "(a calendar month from the 1st), each aligned in timeZone. A date column takes 1d, 1w or 1mo.")
        @Required
        @Pattern("^(1h|1d|1w|1mo)$")
        String interval,

        @JsonPropertyDescription("Partitions kept ahead of the current one: after each run, every moment from the start of the current "
                + "interval to the end of premake intervals after it has a partition. Default 4, at least 2, at most 1000. Make it "
                + "cover more than the time between two runs.")
        @Min(MIN_PREMAKE)
        @Max(MAX_PREMAKE)
        Integer premake,

        @JsonPropertyDescription("Partitions whose whole range is older than now minus this go (dropped, or detached with detach: true), "
                + "e.g. 30d or 365d (d are calendar days in timeZone); rows at or after that moment always stay. At least 1h. "
                + "Default: none go.")
        @Pattern(Durations.PATTERN)
        String olderThan,

        @JsonPropertyDescription("With olderThan: detach old partitions and keep them as plain tables (to archive or drop by hand) "
                + "instead of dropping them. Default false.")
        Boolean detach,

        @JsonPropertyDescription("The IANA time zone whose wall clock aligns the boundaries (the hour, midnight, Monday, the 1st), "
                + "e.g. Europe/Berlin; a timestamp (without time zone) key is read as wall-clock time in it. Default UTC.")
        String timeZone,

        @JsonPropertyDescription("How long one change of the table's partitions waits for a lock the application holds before it "
                + "gives up, lets the application's queries pass, and is tried again with backoff (for up to 10 minutes). "
                + "Default 2s, at most 1m.")
        @Pattern(Durations.PATTERN)
        String lockTimeout) implements TaskParameters {

    public static final int DEFAULT_PREMAKE = 4;
    public static final int MIN_PREMAKE = 2;
    public static final int MAX_PREMAKE = 1000;
    public static final String DEFAULT_TIME_ZONE = "UTC";
    public static final String DEFAULT_LOCK_TIMEOUT = "2s";
    /** A partition goes whole: under an hour is more likely a typo (2m for 2mo) than a wish. */
    public static final Duration MINIMUM_OLDER_THAN = Duration.ofHours(1);
    private static final Duration LONGEST_LOCK_TIMEOUT = Duration.ofMinutes(1);
    private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());
    /** A duration's days (written first, see {@link Durations#PATTERN}) and the rest. */
    private static final java.util.regex.Pattern DAYS_AND_REST = java.util.regex.Pattern.compile("^(?:([0-9]+)d)?(.*)$");

    /** The span of one partition. */
    public enum Interval {
        /** An hour, from the full hour in the time zone. */
        HOUR("1h"),
        /** A day, from midnight. */
        DAY("1d"),
        /** A week, from Monday's midnight. */
        WEEK("1w"),
        /** A calendar month, from the 1st's midnight. */
        MONTH("1mo");

        /** As written in a task, e.g. {@code 1mo}. */
        private final String written;

        Interval(String written) {
            this.written = written;
        }

        static Interval parse(String text) {
            for (Interval i : values()) {
                if (i.written.equals(text)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of 1h, 1d, 1w, 1mo");
        }
    }

    public Interval intervalUnit() {
        return Interval.parse(interval);
    }

    public int premakeOrDefault() {
        return premake == null ? DEFAULT_PREMAKE : premake;
    }

    public boolean detachOrDefault() {
        return Boolean.TRUE.equals(detach);
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone == null ? DEFAULT_TIME_ZONE : timeZone);
    }

    public Duration lockTimeoutDuration() {
        return Durations.parse(lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout);
    }

    /** The whole days of {@code olderThan}, counted as calendar days (0 when none is set). */
    public long olderThanDays() {
        Matcher m = daysAndRest();
        return m == null || m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    }

    /** The rest of {@code olderThan} after its days: hours, minutes and seconds of clock time. */
    public Duration olderThanClockTime() {
        Matcher m = daysAndRest();
        return m == null || m.group(2).isEmpty() ? Duration.ZERO : Durations.parse(m.group(2));
    }

    private Matcher daysAndRest() {
        if (olderThan == null) {
            return null;
        }
        Matcher m = DAYS_AND_REST.matcher(olderThan.trim());
        return m.matches() ? m : null;
    }

    @Override
    public List<FieldError> validate(String prefix) {
        Checks c = new Checks(prefix);
        c.table("table", table, true);
        c.column("column", column, false);
        if (c.required("interval", interval)) {
            try {
                Interval.parse(interval);
            } catch (IllegalArgumentException e) {
                c.fail("interval", e.getMessage());
            }
        }
        c.range("premake", premake, MIN_PREMAKE, MAX_PREMAKE);
        Duration age = c.duration("olderThan", olderThan, false);
        if (age != null && age.compareTo(MINIMUM_OLDER_THAN) < 0) {
            c.fail("olderThan", "'" + olderThan + "' is shorter than 1h: partitions go whole, so write at least 1h (months are "
                    + "written in days, e.g. 90d, not 3m)");
        }
        if (Boolean.TRUE.equals(detach) && olderThan == null) {
            c.fail("detach", "only applies with olderThan: it says what happens to partitions older than it");
        }
        if (timeZone != null && !isZone(timeZone)) {
            c.fail("timeZone", "'" + timeZone + "' is not an IANA time zone such as Europe/Berlin or UTC");
        }
        Duration wait = c.duration("lockTimeout", lockTimeout, false);
        if (wait != null && wait.compareTo(LONGEST_LOCK_TIMEOUT) > 0) {
            c.fail("lockTimeout", "'" + lockTimeout + "' is longer than 1m: the application's queries wait behind the run that long");
        }
        return c.errors();
    }

    private static boolean isZone(String id) {
        try {
            return ZONES.contains(ZoneId.of(id).getId()) || "UTC".equals(id);
        } catch (DateTimeException e) {
            return false;
        }
    }
}
