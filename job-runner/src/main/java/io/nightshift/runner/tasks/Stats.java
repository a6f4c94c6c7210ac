package io.nightshift.runner.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's counters, e.g. {@code deleted}, {@code batches}; safe to update from several threads.
 * Keys keep the order they were first written in, so ledger rows and logs read the same way each run.
 */
public final class Stats {

    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Adds {@code delta} to a counter, starting it at 0. */
    public synchronized long add(String key, long delta) {
        long next = ((Number) values.getOrDefault(key, 0L)).longValue() + delta;
        values.put(key, next);
        return next;
    }

    /** Sets a value: a number, a string or a boolean. */
    public synchronized void put(String key, Object value) {
        values.put(key, value);
    }

    /** Starts counters at 0 so they appear even when nothing happens. */
    public synchronized void init(String... keys) {
        for (String key : keys) {
            values.putIfAbsent(key, 0L);
        }
    }

    public synchronized long get(String key) {
        Object v = values.get(key);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    /** A copy, safe to serialise while the task goes on. */
    public synchronized Map<String, Object> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
