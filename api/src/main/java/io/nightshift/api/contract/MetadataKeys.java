package io.nightshift.api.contract;

/**
 * The label and annotation keys of the objects nightshift makes and reads (the MaintenanceJob, its
 * CronJob, their Jobs and pods), with the values nightshift gives them: its own, and those the Kubernetes
 * Job and CronJob controllers set.
 */
public final class MetadataKeys {

    /** Label the Job controller puts on each pod of a Job, naming the Job (Kubernetes 1.27+). */
    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    /** The same label as Kubernetes before 1.27 wrote it. */
    public static final String LEGACY_JOB_NAME_LABEL = "job-name";
    /** Label the Job controller puts on each pod of a Job, naming the Job's uid. */
    public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
    /** Annotation the CronJob controller puts on each Job it starts: the scheduled time, RFC 3339 (Kubernetes 1.32+). */
    public static final String CRONJOB_SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    /** Label on the CronJob, its Jobs and pods: what kind of application this is ({@link #NAME}). */
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    /** The value of {@link #NAME_LABEL}. */
    public static final String NAME = "nightshift-job";
    /** Label on the CronJob, its Jobs and pods: who manages them ({@link #MANAGED_BY}). */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    /** The value of {@link #MANAGED_BY_LABEL}. */
    public static final String MANAGED_BY = "nightshift";
    /** Label on the CronJob, its Jobs and pods: the MaintenanceJob's name, shortened to fit a label value. */
    public static final String MAINTENANCE_JOB_LABEL = "nightshift.io/maintenance-job";
    /** Annotation on each Job and pod: the MaintenanceJob's full name. */
    public static final String MAINTENANCE_JOB_NAME_ANNOTATION = "nightshift.io/maintenance-job-name";
    /** Label on each Job: what started the run, {@link #TRIGGER_SCHEDULE} or {@link #TRIGGER_MANUAL}. */
    public static final String TRIGGER_LABEL = "nightshift.io/trigger";
    /** {@link #TRIGGER_LABEL}: the CronJob's schedule started the run. */
    public static final String TRIGGER_SCHEDULE = "schedule";
    /** {@link #TRIGGER_LABEL}: someone asked for the run ({@link #RUN_NOW_ANNOTATION}). */
    public static final String TRIGGER_MANUAL = "manual";
    /** Annotation on a MaintenanceJob whose every new value starts one run at once. */
    public static final String RUN_NOW_ANNOTATION = "nightshift.io/run-now";

    private MetadataKeys() {
    }
}
