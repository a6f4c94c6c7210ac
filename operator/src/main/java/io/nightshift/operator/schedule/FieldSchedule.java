package io.nightshift.operator.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Five cron fields as bit sets, evaluated the way robfig/cron v3's {@code SpecSchedule.Next} does (the
 * code Kubernetes' CronJob controller runs): when both day-of-month and day-of-week are restricted a day
 * matches either; when one of them is {@code *} or {@code ?} both must match.
 */
record FieldSchedule(long minutes, long hours, long daysOfMonth, long months, long daysOfWeek, boolean domStar, boolean dowStar) {

    /** robfig gives up after five years: a schedule such as "0 0 31 2 *" never runs. */
    private static final int YEAR_LIMIT = 5;

    Optional<Instant> next(Instant after, ZoneId zone) {
        ZonedDateTime t = ZonedDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        boolean added = false;
        int yearLimit = t.getYear() + YEAR_LIMIT;
        wrap:
        while (true) {
            if (t.getYear() > yearLimit) {
                return Optional.empty();
            }
            while (!bit(months, t.getMonthValue())) {
                if (!added) {
                    added = true;
                    t = ZonedDateTime.of(t.getYear(), t.getMonthValue(), 1, 0, 0, 0, 0, zone);
                }
                t = ZonedDateTime.of(t.toLocalDate().plusMonths(1), t.toLocalTime(), zone);
                if (t.getMonthValue() == 1) {
                    continue wrap;
                }
            }
            while (!dayMatches(t.toLocalDate())) {
                if (!added) {
                    added = true;
                    t = ZonedDateTime.of(t.toLocalDate().atStartOfDay(), zone);
                }
                t = ZonedDateTime.of(t.toLocalDate().plusDays(1), t.toLocalTime(), zone);
                if (t.getHour() != 0) {
                    t = t.getHour() > 12 ? t.plusHours(24 - t.getHour()) : t.minusHours(t.getHour());
                }
                if (t.getDayOfMonth() == 1) {
                    continue wrap;
                }
            }
            while (!bit(hours, t.getHour())) {
                if (!added) {
                    added = true;
                    t = t.truncatedTo(ChronoUnit.HOURS);
                }
                t = t.plusHours(1);
                if (t.getHour() == 0) {
                    continue wrap;
                }
            }
            while (!bit(minutes, t.getMinute())) {
                if (!added) {
                    added = true;
                    t = t.truncatedTo(ChronoUnit.MINUTES);
                }
                t = t.plusMinutes(1);
                if (t.getMinute() == 0) {
                    continue wrap;
                }
            }
            // the seconds field of the standard parser is always 0
            while (t.getSecond() != 0) {
                if (!added) {
                    added = true;
                    t = t.truncatedTo(ChronoUnit.SECONDS);
                }
                t = t.plusSeconds(1);
                if (t.getSecond() == 0) {
                    continue wrap;
                }
            }
            return Optional.of(t.toInstant());
        }
    }

    /** The latest run at or before {@code atOrBefore}, searched back as far as {@link #next} looks ahead. */
    Optional<Instant> last(Instant atOrBefore, ZoneId zone) {
        LocalDateTime bound = LocalDateTime.ofInstant(atOrBefore, zone);
        LocalDate day = bound.toLocalDate();
        LocalDate stop = day.minusYears(YEAR_LIMIT);
        for (; !day.isBefore(stop); day = day.minusDays(1)) {
            if (!bit(months, day.getMonthValue()) || !dayMatches(day)) {
                continue;
            }
            for (int hour = 23; hour >= 0; hour--) {
                if (!bit(hours, hour)) {
                    continue;
                }
                for (int minute = 59; minute >= 0; minute--) {
                    if (!bit(minutes, minute)) {
                        continue;
                    }
                    LocalDateTime candidate = day.atTime(hour, minute);
                    if (candidate.isAfter(bound) || zone.getRules().getValidOffsets(candidate).isEmpty()) {
                        continue;
                    }
                    Instant at = ZonedDateTime.ofLocal(candidate, zone, null).withLaterOffsetAtOverlap().toInstant();
                    if (!at.isAfter(atOrBefore)) {
                        return Optional.of(at);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate day) {
        boolean dom = bit(daysOfMonth, day.getDayOfMonth());
        boolean dow = bit(daysOfWeek, day.getDayOfWeek().getValue() % 7);
        return domStar || dowStar ? dom && dow : dom || dow;
    }

    private static boolean bit(long set, int value) {
        return (set & (1L << value)) != 0;
    }
}
