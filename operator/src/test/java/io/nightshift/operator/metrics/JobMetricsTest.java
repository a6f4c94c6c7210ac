package io.nightshift.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nightshift.api.contract.RunResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-job series, exactly as Prometheus reads them. */
class JobMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JobMetrics metrics = new JobMetrics(registry);

    private static JobMetrics.Values values(Map<String, Double> stats) {
        return new JobMetrics.Values(1.5, 1700000000, Double.NaN, 0, 1700003600, false, Double.NaN, false, false, 1800, stats);
    }

    @Test
    void aJobsSeriesAreWrittenAsPrometheusTextWithTheirLabels() {
        metrics.update("app", "log-cleanup", "retention", values(Map.of("deleted", 12.0)));
        metrics.countRun("app", "log-cleanup", "retention", RunResult.SUCCESS.value());

        assertThat(registry.scrape().lines().toList()).containsExactlyElementsOf(List.of(
                "# HELP nightshift_job_consecutive_failures  ",
                "# TYPE nightshift_job_consecutive_failures gauge",
                "nightshift_job_consecutive_failures{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} 0.0",
                "# HELP nightshift_job_last_failure_timestamp_seconds  ",
                "# TYPE nightshift_job_last_failure_timestamp_seconds gauge",
                "nightshift_job_last_failure_timestamp_seconds{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} NaN",
                "# HELP nightshift_job_last_run_duration_seconds  ",
                "# TYPE nightshift_job_last_run_duration_seconds gauge",
                "nightshift_job_last_run_duration_seconds{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} 1.5",
                "# HELP nightshift_job_last_run_stat  ",
                "# TYPE nightshift_job_last_run_stat gauge",
                "nightshift_job_last_run_stat{name=\"log-cleanup\",namespace=\"app\",stat=\"deleted\",task=\"retention\"} 12.0",
                "# HELP nightshift_job_last_success_timestamp_seconds  ",
                "# TYPE nightshift_job_last_success_timestamp_seconds gauge",
                "nightshift_job_last_success_timestamp_seconds{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} 1.7E9",
                "# HELP nightshift_job_next_run_timestamp_seconds  ",
                "# TYPE nightshift_job_next_run_timestamp_seconds gauge",
                "nightshift_job_next_run_timestamp_seconds{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} 1.7000036E9",
                "# HELP nightshift_job_overdue  ",
                "# TYPE nightshift_job_overdue gauge",
                "nightshift_job_overdue{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} 0.0",
                "# HELP nightshift_job_run_started_timestamp_seconds  ",
                "# TYPE nightshift_job_run_started_timestamp_seconds gauge",
                "nightshift_job_run_started_timestamp_seconds{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} NaN",
                "# HELP nightshift_job_running  ",
                "# TYPE nightshift_job_running gauge",
                "nightshift_job_running{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} 0.0",
                "# HELP nightshift_job_runs_total  ",
                "# TYPE nightshift_job_runs_total counter",
                "nightshift_job_runs_total{name=\"log-cleanup\",namespace=\"app\",result=\"failed\",task=\"retention\"} 0.0",
                "nightshift_job_runs_total{name=\"log-cleanup\",namespace=\"app\",result=\"skipped\",task=\"retention\"} 0.0",
                "nightshift_job_runs_total{name=\"log-cleanup\",namespace=\"app\",result=\"success\",task=\"retention\"} 1.0",
                "# HELP nightshift_job_suspended  ",
                "# TYPE nightshift_job_suspended gauge",
                "nightshift_job_suspended{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} 0.0",
                "# HELP nightshift_job_timeout_seconds  ",
                "# TYPE nightshift_job_timeout_seconds gauge",
                "nightshift_job_timeout_seconds{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} 1800.0"));
    }

    @Test
    void aStatNoLongerReportedIsNaNAndADeletedJobsSeriesGo() {
        metrics.update("app", "log-cleanup", "retention", values(Map.of("deleted", 12.0)));
        metrics.update("app", "log-cleanup", "retention", values(Map.of("archived", 3.0)));
        metrics.update("app", "audio-cleanup", "storageCleanup", values(Map.of()));

        assertThat(registry.scrape()).contains("nightshift_job_last_run_stat{name=\"log-cleanup\",namespace=\"app\",stat=\"deleted\",task=\"retention\"} NaN")
                .contains("nightshift_job_last_run_stat{name=\"log-cleanup\",namespace=\"app\",stat=\"archived\",task=\"retention\"} 3.0")
                .contains("nightshift_job_running{name=\"audio-cleanup\",namespace=\"app\",task=\"storageCleanup\"} 0.0");

        metrics.removeUnless((namespace, name) -> name.equals("log-cleanup"));

        assertThat(registry.scrape()).doesNotContain("audio-cleanup").contains("log-cleanup");
        metrics.remove("app", "log-cleanup");
        assertThat(registry.scrape()).doesNotContain("nightshift_job");
    }

    @Test
    void aJobWhoseTaskChangedStartsItsSeriesAfresh() {
        metrics.countRun("app", "nightly", "sql", RunResult.FAILED.value());
        metrics.countRun("app", "nightly", "retention", RunResult.SUCCESS.value());

        assertThat(registry.scrape()).doesNotContain("task=\"sql\"")
                .contains("nightshift_job_runs_total{name=\"nightly\",namespace=\"app\",result=\"success\",task=\"retention\"} 1.0");
    }
}
