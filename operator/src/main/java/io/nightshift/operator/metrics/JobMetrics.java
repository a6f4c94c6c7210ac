package io.nightshift.operator.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nightshift.api.contract.RunResult;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiPredicate;

/**
 * The per-MaintenanceJob series of {@code /metrics}, named as {@link MetricNames} lists them, each with
 * the labels {@code namespace}, {@code name} and {@code task}. A job's series go away with it.
 *
 * <p>Each job keeps only its numbers here; the series are written out at scrape time. Registered as
 * meters, the 13 or more series of each of 10,000 jobs took tens of MB of heap.
 */
public final class JobMetrics implements MultiCollector {

    /** The gauges every job has, in the order of {@link Series#gauges}. */
    private static final List<String> GAUGES = List.of(MetricNames.LAST_RUN_DURATION_SECONDS, MetricNames.LAST_SUCCESS_TIMESTAMP_SECONDS,
            MetricNames.LAST_FAILURE_TIMESTAMP_SECONDS, MetricNames.CONSECUTIVE_FAILURES, MetricNames.NEXT_RUN_TIMESTAMP_SECONDS,
            MetricNames.RUNNING, MetricNames.RUN_STARTED_TIMESTAMP_SECONDS, MetricNames.OVERDUE, MetricNames.SUSPENDED,
            MetricNames.TIMEOUT_SECONDS);
    private static final List<String> RESULTS = List.of(RunResult.SUCCESS.value(), RunResult.FAILED.value(), RunResult.SKIPPED.value());
    /** The HELP text the series had as Micrometer meters (none, written as one space): the exposition stays the same. */
    private static final String HELP = " ";

    private final Map<String, Series> series = new ConcurrentHashMap<>();

    public JobMetrics(PrometheusMeterRegistry registry) {
        registry.getPrometheusRegistry().register(this);
    }

    /** What the series of one job show; NaN where there is nothing to show yet. */
    public record Values(double lastRunDurationSeconds, double lastSuccessSeconds, double lastFailureSeconds, double consecutiveFailures,
            double nextRunSeconds, boolean running, double runStartedSeconds, boolean overdue, boolean suspended, double timeoutSeconds, Map<String, Double> stats) {
    }

    private static final class Series {
        final String namespace;
        final String name;
        final String task;
        volatile double[] gauges;
        /** Every stat the job has reported; one it no longer reports shows NaN. */
        final Map<String, Double> stats = new ConcurrentHashMap<>();
        final AtomicLongArray runs = new AtomicLongArray(RESULTS.size());

        Series(String namespace, String name, String task) {
            this.namespace = namespace;
            this.name = name;
            this.task = task;
            double[] none = new double[GAUGES.size()];
            Arrays.fill(none, Double.NaN);
            this.gauges = none;
        }

        Labels labels(String extraName, String extraValue) {
            return extraName == null ? Labels.of("namespace", namespace, "name", name, "task", task)
                    : Labels.of("namespace", namespace, "name", name, "task", task, extraName, extraValue);
        }
    }

    public void update(String namespace, String name, String task, Values values) {
        Series s = series(namespace, name, task);
        s.gauges = new double[] {values.lastRunDurationSeconds(), values.lastSuccessSeconds(), values.lastFailureSeconds(),
                values.consecutiveFailures(), values.nextRunSeconds(), values.running() ? 1 : 0, values.runStartedSeconds(),
                values.overdue() ? 1 : 0, values.suspended() ? 1 : 0, values.timeoutSeconds()};
        s.stats.replaceAll((k, v) -> values.stats().getOrDefault(k, Double.NaN));
        s.stats.putAll(values.stats());
    }

    /** Counts one recorded run: {@code result} is success, failed or skipped. */
    public void countRun(String namespace, String name, String task, String result) {
        int index = RESULTS.indexOf(result);
        if (index < 0) {
            throw new IllegalArgumentException("result must be one of " + RESULTS + ", got " + result);
        }
        series(namespace, name, task).runs.incrementAndGet(index);
    }

    /** Drops the series of every MaintenanceJob that no longer exists. */
    public void removeUnless(BiPredicate<String, String> exists) {
        series.values().removeIf(s -> !exists.test(s.namespace, s.name));
    }

    public void remove(String namespace, String name) {
        series.remove(key(namespace, name));
    }

    private Series series(String namespace, String name, String task) {
        return series.compute(key(namespace, name), (k, s) -> s != null && s.task.equals(task) ? s : new Series(namespace, name, task));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    @Override
    public MetricSnapshots collect() {
        List<Series> all = List.copyOf(series.values());
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (int g = 0; g < GAUGES.size(); g++) {
            List<GaugeDataPointSnapshot> points = new ArrayList<>(all.size());
            for (Series s : all) {
                points.add(new GaugeDataPointSnapshot(s.gauges[g], s.labels(null, null), null));
            }
            snapshots.add(new GaugeSnapshot(new MetricMetadata(GAUGES.get(g), HELP), points));
        }
        List<GaugeDataPointSnapshot> stats = new ArrayList<>();
        for (Series s : all) {
            s.stats.forEach((stat, value) -> stats.add(new GaugeDataPointSnapshot(value, s.labels("stat", stat), null)));
        }
        snapshots.add(new GaugeSnapshot(new MetricMetadata(MetricNames.LAST_RUN_STAT, HELP), stats));
        List<CounterDataPointSnapshot> runs = new ArrayList<>(all.size() * RESULTS.size());
        for (Series s : all) {
            for (int r = 0; r < RESULTS.size(); r++) {
                runs.add(new CounterDataPointSnapshot(s.runs.get(r), s.labels("result", RESULTS.get(r)), null, 0L));
            }
        }
        snapshots.add(new CounterSnapshot(new MetricMetadata(counterName(), HELP), runs));
        return new MetricSnapshots(snapshots);
    }

    @Override
    public List<String> getPrometheusNames() {
        List<String> names = new ArrayList<>(GAUGES);
        names.add(MetricNames.LAST_RUN_STAT);
        names.add(counterName());
        return names;
    }

    /** A counter's name without the {@code _total} the exposition adds. */
    private static String counterName() {
        return MetricNames.RUNS_TOTAL.substring(0, MetricNames.RUNS_TOTAL.length() - "_total".length());
    }
}
