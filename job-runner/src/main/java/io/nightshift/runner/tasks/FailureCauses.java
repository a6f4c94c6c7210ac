package io.nightshift.runner.tasks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why the items of a run failed (requests, files), tallied so that the run's result can name the cause: the
 * most common one and, when it differs, the first. Each cause is cut to {@link #CAUSE_LIMIT} characters, so
 * the description stays well within the result document and an Event's message. Safe to use from several threads.
 */
public final class FailureCauses {

    static final int CAUSE_LIMIT = 200;

    /** Insertion-ordered: the first key is the first cause seen. */
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private int total;

    public synchronized void add(String cause) {
        String bounded = cause == null || cause.isBlank() ? "unknown error" : bound(cause.strip());
        counts.merge(bounded, 1, Integer::sum);
        total++;
    }

    public synchronized boolean isEmpty() {
        return total == 0;
    }

    /**
     * The cause in a person's words, e.g. {@code UnknownHostException: api.deepgram.com after 5 attempts (all 50)}
     * or {@code most often answered 500 after 5 attempts (40 of 50); first UnknownHostException: ... (10 of 50)}.
     * Empty when nothing failed.
     */
    public synchronized String describe() {
        if (total == 0) {
            return "";
        }
        String first = counts.keySet().iterator().next();
        if (counts.size() == 1) {
            return first + (total == 1 ? "" : " (all " + total + ")");
        }
        // On a tie the cause seen first is the most common one.
        Map.Entry<String, Integer> common = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        String mostOften = "most often " + common.getKey() + " (" + common.getValue() + " of " + total + ")";
        if (common.getKey().equals(first)) {
            int others = counts.size() - 1;
            return mostOften + "; " + others + " other cause" + (others == 1 ? "" : "s");
        }
        return mostOften + "; first " + first + " (" + counts.get(first) + " of " + total + ")";
    }

    /** An I/O error as a cause: its kind and its message ({@code UnknownHostException: api.deepgram.com}). */
    public static String of(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String bound(String cause) {
        return cause.length() <= CAUSE_LIMIT ? cause : cause.substring(0, CAUSE_LIMIT - 1) + "…";
    }
}
