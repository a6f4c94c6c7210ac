package io.nightshift.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them in a MaintenanceJob: {@code 90s}, {@code 30m}, {@code 36h}, {@code 2d},
 * or combined, largest unit first ({@code 1h30m}).
 */
public final class Durations {

    /** The same rule as {@link #parse}, as a regular expression for the CRD schema. */
    public static final String PATTERN = "^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private Durations() {
    }

    /** Parses a duration, or throws {@link IllegalArgumentException} saying what is wrong. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be a duration like 90s, 30m, 36h or 2d");
        }
        Matcher m = COMPILED.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write it like 90s, 30m, 36h, 2d or 1h30m");
        }
        try {
            Duration d = Duration.ZERO;
            d = d.plusDays(number(m.group(1)));
            d = d.plusHours(number(m.group(2)));
            d = d.plusMinutes(number(m.group(3)));
            d = d.plusSeconds(number(m.group(4)));
            return d;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }

    /**
     * The same duration as a PostgreSQL interval that keeps the units written: {@code 5d} is
     * {@code '5 days'} (calendar days, which are 23 or 25 hours across a DST change), not 120 hours.
     */
    public static String postgresInterval(String text) {
        parse(text);
        Matcher m = COMPILED.matcher(text.trim());
        m.matches();
        StringBuilder sb = new StringBuilder();
        String[] units = {"days", "hours", "minutes", "seconds"};
        for (int i = 0; i < units.length; i++) {
            if (m.group(i + 1) != null) {
                sb.append(sb.isEmpty() ? "" : " ").append(number(m.group(i + 1))).append(' ').append(units[i]);
            }
        }
        return sb.toString();
    }

    /** Formats a duration the way {@link #parse} reads it, e.g. {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long s = d.getSeconds();
        append(sb, s / 86_400, "d");
        append(sb, s % 86_400 / 3_600, "h");
        append(sb, s % 3_600 / 60, "m");
        append(sb, s % 60, "s");
        return sb.toString();
    }

    private static void append(StringBuilder sb, long value, String unit) {
        if (value > 0) {
            sb.append(value).append(unit);
        }
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group.substring(0, group.length() - 1));
    }
}
