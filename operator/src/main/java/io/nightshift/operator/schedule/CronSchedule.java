package io.nightshift.operator.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * A CronJob schedule exactly as Kubernetes reads it: validated like the API server validates
 * {@code spec.schedule} (robfig/cron v3's standard parser, and no {@code TZ=} prefix), and evaluated
 * like the CronJob controller evaluates it, in a time zone. cron-utils' UNIX grammar differs from it
 * (it accepts day-of-week 7, {@code L}, {@code #} and {@code @reboot}; it reads {@code ?} and a
 * restricted day-of-month with day-of-week differently), so the schedule is parsed here.
 */
public final class CronSchedule {

    private static final Map<String, String> FIELD_RANGES = Map.of(
            "minute", "0-59", "hour", "0-23", "day-of-month", "1-31", "month", "1-12 or JAN-DEC", "day-of-week", "0-6 or SUN-SAT, Sunday is 0");

    private final String expression;
    private final RobfigParser.Parsed parsed;

    private CronSchedule(String expression, RobfigParser.Parsed parsed) {
        this.expression = expression;
        this.parsed = parsed;
    }

    /** Parses a schedule, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isEmpty()) {
            throw new IllegalArgumentException("is required: five cron fields such as \"0 3 * * *\", "
                    + "or @hourly, @daily, @weekly, @monthly, @yearly, @every <duration>");
        }
        if (expression.contains("TZ")) {
            throw new IllegalArgumentException("'" + expression + "': cannot use TZ or CRON_TZ in schedule, set the time zone in spec.timeZone");
        }
        try {
            return new CronSchedule(expression, RobfigParser.parse(expression));
        } catch (RobfigParser.Invalid e) {
            String where = e.field() == null ? "" : " (" + e.field() + ": " + FIELD_RANGES.get(e.field()) + ")";
            String hint = e.getMessage().startsWith("expected exactly 5 fields") ? " (minute hour day-of-month month day-of-week)"
                    : e.getMessage().startsWith("unrecognized descriptor") ? " (use @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>)"
                    : "";
            throw new IllegalArgumentException("'" + expression + "' is not a valid cron schedule: " + e.getMessage() + where + hint);
        }
    }

    public String expression() {
        return expression;
    }

    /** For {@code @every <duration>}: the constant delay between runs. */
    public Optional<Duration> every() {
        return parsed instanceof RobfigParser.Every every ? Optional.of(every.delay()) : Optional.empty();
    }

    /**
     * The first run strictly after {@code after}, in {@code zone}, as robfig's {@code Next} computes it
     * (for {@code @every}: {@code after}, to the second, plus the delay); empty when the schedule never runs.
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        if (parsed instanceof RobfigParser.Every every) {
            return Optional.of(after.truncatedTo(ChronoUnit.SECONDS).plus(every.delay()));
        }
        return ((RobfigParser.Fields) parsed).schedule().next(after, zone);
    }

    /**
     * The first run strictly after {@code after} of a CronJob whose runs are counted from {@code anchor}
     * (its last scheduled time, else its creation), as Kubernetes' CronJob controller counts them: for
     * {@code @every} that is anchor + n × delay, for cron fields the same as {@link #nextAfter}.
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone, Instant anchor) {
        if (parsed instanceof RobfigParser.Every every && anchor != null && !anchor.isAfter(after)) {
            long delay = every.delay().toMillis();
            Instant start = anchor.truncatedTo(ChronoUnit.SECONDS);
            long steps = Duration.between(start, after).toMillis() / delay + 1;
            return Optional.of(start.plusMillis(steps * delay));
        }
        return nextAfter(after, zone);
    }

    /** The last run at or before {@code atOrBefore}, in {@code zone}. Empty for {@code @every}: see the anchored form. */
    public Optional<Instant> lastAtOrBefore(Instant atOrBefore, ZoneId zone) {
        if (parsed instanceof RobfigParser.Fields fields) {
            return fields.schedule().last(atOrBefore, zone);
        }
        return Optional.empty();
    }

    /**
     * The last run at or before {@code atOrBefore} of a CronJob whose runs are counted from {@code anchor}
     * (for {@code @every}: anchor + n × delay, n ≥ 1); for cron fields the same as the form without anchor.
     */
    public Optional<Instant> lastAtOrBefore(Instant atOrBefore, ZoneId zone, Instant anchor) {
        if (parsed instanceof RobfigParser.Every every) {
            if (anchor == null) {
                return Optional.empty();
            }
            long delay = every.delay().toMillis();
            Instant start = anchor.truncatedTo(ChronoUnit.SECONDS);
            long steps = Duration.between(start, atOrBefore).toMillis() / delay;
            return steps < 1 ? Optional.empty() : Optional.of(start.plusMillis(steps * delay));
        }
        return lastAtOrBefore(atOrBefore, zone);
    }
}
