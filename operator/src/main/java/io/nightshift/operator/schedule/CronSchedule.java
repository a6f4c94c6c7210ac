package io.nightshift.operator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CronJob schedule as Kubernetes reads it: five fields, or one of the {@code @hourly}-style macros,
 * evaluated in a time zone.
 */
public final class CronSchedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(com.cronutils.model.CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private final String expression;
    private final ExecutionTime execution;

    private CronSchedule(String expression, Cron cron) {
        this.expression = expression;
        this.execution = ExecutionTime.forCron(cron);
    }

    /** Parses a schedule, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("is required: five cron fields such as \"0 3 * * *\", or @hourly, @daily, @weekly, @monthly, @yearly");
        }
        String text = expression.trim();
        if (text.startsWith("@")) {
            String fields = MACROS.get(text.toLowerCase(Locale.ROOT));
            if (fields == null) {
                throw new IllegalArgumentException("'" + text + "' is not a schedule macro: use @hourly, @daily, @weekly, @monthly or @yearly");
            }
            return new CronSchedule(text, PARSER.parse(fields));
        }
        if (text.startsWith("TZ=") || text.startsWith("CRON_TZ=")) {
            throw new IllegalArgumentException("'" + text + "': set the time zone in spec.timeZone, not in the schedule");
        }
        String[] fields = text.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("'" + text + "' has " + fields.length
                    + " fields; a schedule has five: minute hour day-of-month month day-of-week");
        }
        try {
            return new CronSchedule(text, PARSER.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid cron schedule: " + e.getMessage());
        }
    }

    public String expression() {
        return expression;
    }

    /** The first run strictly after {@code after}, in {@code zone}. */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        return execution.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }

    /** The last run at or before {@code atOrBefore}, in {@code zone}. */
    public Optional<Instant> lastAtOrBefore(Instant atOrBefore, ZoneId zone) {
        ZonedDateTime t = ZonedDateTime.ofInstant(atOrBefore, zone);
        if (execution.isMatch(t.withSecond(0).withNano(0)) && t.getSecond() == 0 && t.getNano() == 0) {
            return Optional.of(atOrBefore);
        }
        return execution.lastExecution(t).map(ZonedDateTime::toInstant);
    }
}
