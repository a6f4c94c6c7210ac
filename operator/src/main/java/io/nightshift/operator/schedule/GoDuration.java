package io.nightshift.operator.schedule;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * A duration written as Go's {@code time.ParseDuration} reads it ({@code 90s}, {@code 1h30m},
 * {@code 1.5h}): the argument of {@code @every}, which Kubernetes parses that way.
 */
final class GoDuration {

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + text + "\"");
            }
            Long factor = NANOS_PER_UNIT.get(unit);
            if (factor == null) {
                throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + text + "\"");
            }
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(factor)));
        }
        long value = nanos.longValue();
        return Duration.ofNanos(negative ? -value : value);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }
}
