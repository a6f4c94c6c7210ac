package io.nightshift.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-MaintenanceJob series of {@code /metrics}, named as {@link MetricNames} lists them, each with
 * the labels {@code namespace}, {@code name} and {@code task}. A job's series go away with it.
 */
public final class JobMetrics {

    private final MeterRegistry registry;
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** What the series of one job show; NaN where there is nothing to show yet. */
    public record Values(double lastRunDurationSeconds, double lastSuccessSeconds, double lastFailureSeconds, double consecutiveFailures,
            double nextRunSeconds, boolean running, double runStartedSeconds, boolean overdue, boolean suspended, double timeoutSeconds, Map<String, Double> stats) {
    }

    private static final class Value {
        private volatile double value = Double.NaN;

        double get() {
            return value;
        }
    }

    private final class Series {
        final String task;
        final Tags tags;
        final List<Meter> meters = new ArrayList<>();
        final Map<String, Value> gauges = new ConcurrentHashMap<>();
        final Map<String, Value> stats = new ConcurrentHashMap<>();

        Series(String namespace, String name, String task) {
            this.task = task;
            this.tags = Tags.of("namespace", namespace, "name", name, "task", task);
            for (String gauge : List.of(MetricNames.LAST_RUN_DURATION_SECONDS, MetricNames.LAST_SUCCESS_TIMESTAMP_SECONDS,
                    MetricNames.LAST_FAILURE_TIMESTAMP_SECONDS, MetricNames.CONSECUTIVE_FAILURES, MetricNames.NEXT_RUN_TIMESTAMP_SECONDS,
                    MetricNames.RUNNING, MetricNames.RUN_STARTED_TIMESTAMP_SECONDS, MetricNames.OVERDUE, MetricNames.SUSPENDED, MetricNames.TIMEOUT_SECONDS)) {
                Value v = new Value();
                gauges.put(gauge, v);
                meters.add(Gauge.builder(gauge, v, Value::get).tags(tags).strongReference(true).register(registry));
            }
            for (String result : List.of("success", "failed", "skipped")) {
                meters.add(counter(result));
            }
        }

        Counter counter(String result) {
            return Counter.builder(counterName()).tags(tags.and("result", result)).register(registry);
        }

        void stat(String key, double value) {
            stats.computeIfAbsent(key, k -> {
                Value v = new Value();
                meters.add(Gauge.builder(MetricNames.LAST_RUN_STAT, v, Value::get).tags(tags.and("stat", k)).strongReference(true)
                        .register(registry));
                return v;
            }).value = value;
        }
    }

    /** Micrometer adds {@code _total} to counters when it exports them. */
    private static String counterName() {
        return MetricNames.RUNS_TOTAL.substring(0, MetricNames.RUNS_TOTAL.length() - "_total".length());
    }

    public void update(String namespace, String name, String task, Values values) {
        Series s = series(namespace, name, task);
        s.gauges.get(MetricNames.LAST_RUN_DURATION_SECONDS).value = values.lastRunDurationSeconds();
        s.gauges.get(MetricNames.LAST_SUCCESS_TIMESTAMP_SECONDS).value = values.lastSuccessSeconds();
        s.gauges.get(MetricNames.LAST_FAILURE_TIMESTAMP_SECONDS).value = values.lastFailureSeconds();
        s.gauges.get(MetricNames.CONSECUTIVE_FAILURES).value = values.consecutiveFailures();
        s.gauges.get(MetricNames.NEXT_RUN_TIMESTAMP_SECONDS).value = values.nextRunSeconds();
        s.gauges.get(MetricNames.RUNNING).value = values.running() ? 1 : 0;
        s.gauges.get(MetricNames.RUN_STARTED_TIMESTAMP_SECONDS).value = values.runStartedSeconds();
        s.gauges.get(MetricNames.OVERDUE).value = values.overdue() ? 1 : 0;
        s.gauges.get(MetricNames.SUSPENDED).value = values.suspended() ? 1 : 0;
        s.gauges.get(MetricNames.TIMEOUT_SECONDS).value = values.timeoutSeconds();
        s.stats.keySet().stream().filter(k -> !values.stats().containsKey(k)).forEach(k -> s.stats.get(k).value = Double.NaN);
        values.stats().forEach(s::stat);
    }

    /** Counts one recorded run: {@code result} is success, failed or skipped. */
    public void countRun(String namespace, String name, String task, String result) {
        series(namespace, name, task).counter(result).increment();
    }

    /** Drops the series of every MaintenanceJob that no longer exists. */
    public void removeUnless(BiPredicate<String, String> exists) {
        series.keySet().stream().filter(key -> !exists.test(key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1)))
                .toList().forEach(key -> remove(key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1)));
    }

    public void remove(String namespace, String name) {
        Series s = series.remove(key(namespace, name));
        if (s != null) {
            s.meters.forEach(registry::remove);
        }
    }

    private Series series(String namespace, String name, String task) {
        String key = key(namespace, name);
        Series s = series.get(key);
        if (s != null && !s.task.equals(task)) {
            remove(namespace, name);
            s = null;
        }
        return s != null ? s : series.computeIfAbsent(key, k -> new Series(namespace, name, task));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
