package io.nightshift.runner.tasks.partitions;

import io.nightshift.api.PartitionsTask.Interval;
import io.nightshift.runner.tasks.cutoff.ColumnKind;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * The values of a partition key, each as an {@link Instant} ("a point") so that bounds of any key type compare
 * alike, and where interval boundaries fall among them. A {@code timestamptz} point is the instant itself and
 * its boundaries are the wall-clock hour, midnight, Monday or 1st in the task's zone (a day across a DST change
 * is 23 or 25 hours). A {@code timestamp} or {@code date} value is wall-clock time already: its point is that
 * wall-clock time read as UTC, so that every day is 24 hours and nothing depends on the session's zone; the
 * task's zone only says what "now" is on that wall clock.
 */
final class KeySpace {

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true).toFormatter();
    private static final DateTimeFormatter WITH_OFFSET = new DateTimeFormatterBuilder().append(LOCAL).appendPattern("xxxxx").toFormatter();

    private static final DateTimeFormatter SHOWN_MINUTES = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");
    private static final DateTimeFormatter SHOWN_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final ColumnKind kind;
    private final ZoneId zone;
    /** The zone boundaries are computed in: the task's for timestamptz, UTC (plain wall clock) for timestamp and date. */
    private final ZoneId calendar;

    KeySpace(ColumnKind kind, ZoneId zone) {
        this.kind = kind;
        this.zone = zone;
        this.calendar = kind == ColumnKind.TIMESTAMPTZ ? zone : ZoneOffset.UTC;
    }

    ColumnKind kind() {
        return kind;
    }

    ZoneId zone() {
        return zone;
    }

    /** A moment (the database clock's now) as a point of this key. */
    Instant point(Instant moment) {
        return kind == ColumnKind.TIMESTAMPTZ ? moment : moment.atZone(zone).toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    /**
     * The point {@code days} calendar days (in the task's zone) and then {@code clock} time before {@code now}, as
     * PostgreSQL computes {@code now() - interval '30 days 2 hours'} in a session of that zone.
     */
    Instant before(Instant now, long days, Duration clock) {
        return point(now.atZone(zone).minusDays(days).minus(clock).toInstant());
    }

    /** The start of the interval that holds {@code point}. */
    Instant start(Interval interval, Instant point) {
        ZonedDateTime at = point.atZone(calendar);
        LocalDate day = at.toLocalDate();
        return switch (interval) {
            case HOUR -> at.truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAY -> midnight(day);
            case WEEK -> midnight(day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
            case MONTH -> midnight(day.withDayOfMonth(1));
        };
    }

    /** The start of the interval after the one that starts at {@code start}. */
    Instant next(Interval interval, Instant start) {
        LocalDate day = start.atZone(calendar).toLocalDate();
        return switch (interval) {
            case HOUR -> nextHour(start);
            case DAY -> midnight(day.plusDays(1));
            case WEEK -> midnight(day.plusWeeks(1));
            case MONTH -> midnight(day.plusMonths(1));
        };
    }

    /** Whether {@code point} is the start of an interval, i.e. a bound a partition of this interval has. */
    boolean isBoundary(Interval interval, Instant point) {
        return start(interval, point).equals(point);
    }

    /**
     * The point as the key's SQL literal, without quotes: with its UTC offset for timestamptz (and the offset's seconds where a
     * zone's old local mean time has some), so no session zone reads it otherwise.
     */
    String literal(Instant point) {
        return switch (kind) {
            case TIMESTAMPTZ -> WITH_OFFSET.format(point.atZone(zone).toOffsetDateTime());
            case TIMESTAMP -> LOCAL.format(LocalDateTime.ofInstant(point, ZoneOffset.UTC));
            case DATE -> LocalDate.ofInstant(point, ZoneOffset.UTC).toString();
        };
    }

    /** The point on the task's wall clock, for names and logs. */
    LocalDateTime wallClock(Instant point) {
        return LocalDateTime.ofInstant(point, kind == ColumnKind.TIMESTAMPTZ ? zone : ZoneOffset.UTC);
    }

    /** The point as a person reads it: {@code 2026-12-04 00:00 Europe/Berlin} (seconds only when it has some), a date key's date. */
    String show(Instant point) {
        if (point.equals(Instant.MIN) || point.equals(Instant.MAX)) {
            return point.equals(Instant.MIN) ? "MINVALUE" : "MAXVALUE";
        }
        if (kind == ColumnKind.DATE) {
            return literal(point);
        }
        LocalDateTime wall = wallClock(point).truncatedTo(ChronoUnit.SECONDS);
        return (wall.getSecond() == 0 ? SHOWN_MINUTES : SHOWN_SECONDS).format(wall) + " " + zone.getId();
    }

    /**
     * Midnight of a day: for timestamptz its first moment in the zone, which is 01:00 where a DST change skips
     * midnight; for the other keys plain 00:00.
     */
    private Instant midnight(LocalDate day) {
        return day.atStartOfDay(calendar).toInstant();
    }

    /** The next full hour on the wall clock, which is one hour on except in zones that change by half an hour. */
    private Instant nextHour(Instant start) {
        Instant later = start.plus(Duration.ofHours(1));
        Instant aligned = later.atZone(calendar).truncatedTo(ChronoUnit.HOURS).toInstant();
        return aligned.isAfter(start) ? aligned : later;
    }
}
