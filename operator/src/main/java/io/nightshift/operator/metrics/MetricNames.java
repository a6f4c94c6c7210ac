package io.nightshift.operator.metrics;

import java.util.List;

/**
 * The names of the per-job series exactly as Prometheus scrapes them from {@code /metrics}. The
 * Helm chart's alerts and dashboard are checked against this list. Every series carries the labels
 * {@code namespace}, {@code name} and {@code task}.
 */
public final class MetricNames {

    /** Counter of finished runs, label {@code result}: success, failed, skipped. */
    public static final String RUNS_TOTAL = "nightshift_job_runs_total";
    public static final String LAST_RUN_DURATION_SECONDS = "nightshift_job_last_run_duration_seconds";
    public static final String LAST_SUCCESS_TIMESTAMP_SECONDS = "nightshift_job_last_success_timestamp_seconds";
    public static final String LAST_FAILURE_TIMESTAMP_SECONDS = "nightshift_job_last_failure_timestamp_seconds";
    public static final String CONSECUTIVE_FAILURES = "nightshift_job_consecutive_failures";
    public static final String NEXT_RUN_TIMESTAMP_SECONDS = "nightshift_job_next_run_timestamp_seconds";
    /** 1 while a run of the job is in progress. */
    public static final String RUNNING = "nightshift_job_running";
    /** When the oldest run still in progress started; absent (NaN) while none runs. */
    public static final String RUN_STARTED_TIMESTAMP_SECONDS = "nightshift_job_run_started_timestamp_seconds";
    /** 1 while a scheduled run did not start or did not finish when due. */
    public static final String OVERDUE = "nightshift_job_overdue";
    public static final String SUSPENDED = "nightshift_job_suspended";
    /** Each numeric stat of the last run, label {@code stat}. */
    public static final String LAST_RUN_STAT = "nightshift_job_last_run_stat";
    /** The job's timeout in seconds (0 when it has none), for alerts on a run that outlives it. */
    public static final String TIMEOUT_SECONDS = "nightshift_job_timeout_seconds";

    public static final List<String> ALL = List.of(RUNS_TOTAL, LAST_RUN_DURATION_SECONDS, LAST_SUCCESS_TIMESTAMP_SECONDS,
            LAST_FAILURE_TIMESTAMP_SECONDS, CONSECUTIVE_FAILURES, NEXT_RUN_TIMESTAMP_SECONDS, RUNNING, RUN_STARTED_TIMESTAMP_SECONDS, OVERDUE,
            SUSPENDED, LAST_RUN_STAT, TIMEOUT_SECONDS);

    private MetricNames() {
    }
}
