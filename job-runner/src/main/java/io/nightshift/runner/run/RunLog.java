package io.nightshift.runner.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The run's log: one line per phase, for a person reading {@code kubectl logs}. */
public final class RunLog {

    private final PrintStream out;

    public RunLog(PrintStream out) {
        this.out = out;
    }

    public synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    /**
     * 1136103 → {@code 1,136,103}. Grouped by hand: the first NumberFormat of a process loads the JDK's
     * locale data, several milliseconds of every run's end.
     */
    public static String count(long n) {
        String digits = Long.toString(n);
        int sign = n < 0 ? 1 : 0;
        StringBuilder s = new StringBuilder(digits.length() + digits.length() / 3);
        for (int i = 0; i < digits.length(); i++) {
            int left = digits.length() - i;
            if (i > sign && left % 3 == 0) {
                s.append(',');
            }
            s.append(digits.charAt(i));
        }
        return s.toString();
    }

    /** 912 ms → {@code 912 ms}; 12.3 s → {@code 12.3 s}; 75 s → {@code 1m15s}. */
    public static String elapsed(Duration d) {
        long ms = d.toMillis();
        if (ms < 10_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return (ms / 60_000) + "m" + (ms / 1000 % 60) + "s";
    }

    public static String stats(Map<String, Object> stats) {
        return stats.entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof Number n && !(e.getValue() instanceof Double) ? count(n.longValue()) : e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
