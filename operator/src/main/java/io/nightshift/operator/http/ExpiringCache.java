package io.nightshift.operator.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values kept for a fixed time after they were computed; at most {@link #MAX_ENTRIES} of them, so that a stream of
 * made-up tokens cannot grow it without bound. A value that fails to compute is not kept.
 */
final class ExpiringCache<K, V> {

    static final int MAX_ENTRIES = 1024;

    private record Entry<V>(V value, Instant expires) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

    ExpiringCache(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    V get(K key, Supplier<V> compute) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && now.isBefore(entry.expires())) {
            return entry.value();
        }
        V value = compute.get();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
        return value;
    }
}
