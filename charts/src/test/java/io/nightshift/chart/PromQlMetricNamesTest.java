package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading metric names out of PromQL: label names, strings, ranges, numbers and Grafana variables are not metrics. */
class PromQlMetricNamesTest {

    @Test
    void findsTheMetricsOfAnAggregatedExpression() {
        PromQlMetricNames names = PromQlMetricNames.in(
                "max by (namespace, name, task) (time() - nightshift_job_last_success_timestamp_seconds{namespace=~\"$namespace\", name=~\"$job\"})"
                        + " > on(namespace) group_left(team) 1e3 * scalar(foo_info{job=\"x\"}) unless ignoring(task) bar_total offset 5m"
                        + " or (baz_seconds == 1) unless (qux_total > 0)");

        assertThat(names.metrics()).containsExactlyInAnyOrder("nightshift_job_last_success_timestamp_seconds", "foo_info", "bar_total",
                "baz_seconds", "qux_total");
        assertThat(names.unknownFunctions()).isEmpty();
    }

    @Test
    void rangesIntervalsAndBucketsAreHandled() {
        PromQlMetricNames names = PromQlMetricNames.in(
                "histogram_quantile(0.95, sum by (le) (rate(operator_sdk_controllers_execution_reconcile_seconds_bucket[$__rate_interval])))"
                        + " + sum(increase(nightshift_job_runs_total{result=\"failed\"}[1h30m]))");

        assertThat(names.metrics()).containsExactlyInAnyOrder("operator_sdk_controllers_execution_reconcile_seconds_bucket",
                "nightshift_job_runs_total");
    }

    @Test
    void grafanaLabelValuesQueriesReadTheirMetric() {
        assertThat(PromQlMetricNames.in("label_values(nightshift_job_runs_total{namespace=~\"$namespace\"}, name)").metrics())
                .containsExactly("nightshift_job_runs_total");
        assertThat(PromQlMetricNames.in("label_values(namespace)").metrics()).isEmpty();
    }

    @Test
    void aMisspeltNameOrFunctionIsReported() {
        PromQlMetricNames names = PromQlMetricNames.in("nightshfit_job_overdue == 1 and increse(nightshift_job_runs_total[5m]) > 0");

        assertThat(names.metrics()).contains("nightshfit_job_overdue");
        assertThat(names.unknownFunctions()).containsExactly("increse");
    }
}
