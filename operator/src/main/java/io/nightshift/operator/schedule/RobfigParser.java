package io.nightshift.operator.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * robfig/cron v3's standard parser ({@code cron.ParseStandard}), which the Kubernetes API server uses
 * to validate a CronJob's schedule, with the same rules and error texts: five fields; {@code *},
 * {@code ?}, ranges, steps and lists; month and day-of-week names in any case; day-of-week 0-6; the
 * descriptors {@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily},
 * {@code @midnight}, {@code @hourly} and {@code @every <duration>}. Nothing else ({@code L}, {@code #},
 * {@code H}, a seconds field, {@code @reboot}).
 */
final class RobfigParser {

    /** What a valid schedule parses to: cron fields, or a constant delay ({@code @every}). */
    sealed interface Parsed permits Fields, Every {
    }

    record Fields(FieldSchedule schedule) implements Parsed {
    }

    record Every(Duration delay) implements Parsed {
    }

    private record Bounds(String name, int min, int max, Map<String, Integer> names) {
    }

    private static final Bounds MINUTES = new Bounds("minute", 0, 59, Map.of());
    private static final Bounds HOURS = new Bounds("hour", 0, 23, Map.of());
    private static final Bounds DAYS_OF_MONTH = new Bounds("day-of-month", 1, 31, Map.of());
    private static final Bounds MONTHS = new Bounds("month", 1, 12, Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12)));
    private static final Bounds DAYS_OF_WEEK = new Bounds("day-of-week", 0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3,
            "thu", 4, "fri", 5, "sat", 6));
    private static final List<Bounds> FIELDS = List.of(MINUTES, HOURS, DAYS_OF_MONTH, MONTHS, DAYS_OF_WEEK);
    private static final long STAR = 1L << 63;

    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final String EVERY = "@every ";

    /** A parse failure: robfig's own error text, and which field it is about (or null). */
    static final class Invalid extends IllegalArgumentException {
        private final String field;

        Invalid(String message, String field) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    private RobfigParser() {
    }

    static Parsed parse(String spec) {
        if (spec.isEmpty()) {
            throw new Invalid("empty spec string", null);
        }
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            // robfig accepts a time zone prefix; Kubernetes refuses it (see CronSchedule)
            int space = spec.indexOf(' ');
            if (space < 0) {
                throw new Invalid("provided bad location " + spec.substring(spec.indexOf('=') + 1), null);
            }
            spec = spec.substring(space).trim();
        }
        if (spec.startsWith("@")) {
            return descriptor(spec);
        }
        String[] fields = spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+");
        if (fields.length != 5) {
            throw new Invalid("expected exactly 5 fields, found " + fields.length + ": [" + String.join(" ", fields) + "]", null);
        }
        long[] bits = new long[5];
        for (int i = 0; i < 5; i++) {
            bits[i] = field(fields[i], FIELDS.get(i));
        }
        return new Fields(new FieldSchedule(bits[0] & ~STAR, bits[1] & ~STAR, bits[2] & ~STAR, bits[3] & ~STAR, bits[4] & ~STAR,
                (bits[2] & STAR) != 0, (bits[4] & STAR) != 0));
    }

    private static Parsed descriptor(String spec) {
        String fields = DESCRIPTORS.get(spec);
        if (fields != null) {
            return parse(fields);
        }
        if (spec.startsWith(EVERY)) {
            Duration delay;
            try {
                delay = GoDuration.parse(spec.substring(EVERY.length()));
            } catch (IllegalArgumentException e) {
                throw new Invalid("failed to parse duration " + spec + ": " + e.getMessage(), null);
            }
            // robfig: at least one second, whole seconds
            Duration whole = Duration.ofSeconds(delay.getSeconds());
            return new Every(whole.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : whole);
        }
        throw new Invalid("unrecognized descriptor: " + spec, null);
    }

    private static long field(String field, Bounds bounds) {
        long bits = 0;
        for (String expr : field.split(",", -1)) {
            bits |= range(expr, bounds);
        }
        return bits;
    }

    private static long range(String expr, Bounds r) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        boolean single = lowAndHigh.length == 1;
        int start;
        int end;
        int step;
        long extra = 0;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = r.min();
            end = r.max();
            extra = STAR;
        } else {
            start = intOrName(lowAndHigh[0], r);
            switch (lowAndHigh.length) {
                case 1 -> end = start;
                case 2 -> end = intOrName(lowAndHigh[1], r);
                default -> throw new Invalid("too many hyphens: " + expr, r.name());
            }
        }
        switch (rangeAndStep.length) {
            case 1 -> step = 1;
            case 2 -> {
                step = integer(rangeAndStep[1], r);
                if (single) {
                    end = r.max();
                }
                if (step > 1) {
                    extra = 0;
                }
            }
            default -> throw new Invalid("too many slashes: " + expr, r.name());
        }
        if (start < r.min()) {
            throw new Invalid("beginning of range (" + start + ") below minimum (" + r.min() + "): " + expr, r.name());
        }
        if (end > r.max()) {
            throw new Invalid("end of range (" + end + ") above maximum (" + r.max() + "): " + expr, r.name());
        }
        if (start > end) {
            throw new Invalid("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr, r.name());
        }
        if (step == 0) {
            throw new Invalid("step of range should be a positive number: " + expr, r.name());
        }
        long bits = 0;
        for (int i = start; i <= end; i += step) {
            bits |= 1L << i;
        }
        return bits | extra;
    }

    private static int intOrName(String expr, Bounds r) {
        Integer named = r.names().get(expr.toLowerCase(Locale.ROOT));
        return named != null ? named : integer(expr, r);
    }

    /** Go's {@code strconv.Atoi}: optional sign, decimal digits only. */
    private static int integer(String expr, Bounds r) {
        if (!expr.matches("[+-]?[0-9]+")) {
            throw new Invalid("failed to parse int from " + expr + ": strconv.Atoi: parsing \"" + expr + "\": invalid syntax", r.name());
        }
        long value;
        try {
            value = Long.parseLong(expr.startsWith("+") ? expr.substring(1) : expr);
        } catch (NumberFormatException e) {
            throw new Invalid("failed to parse int from " + expr + ": strconv.Atoi: parsing \"" + expr + "\": value out of range", r.name());
        }
        if (value < 0) {
            throw new Invalid("negative number (" + value + ") not allowed: " + expr, r.name());
        }
        return (int) Math.min(value, Integer.MAX_VALUE);
    }
}
