package io.nightshift.api.contract;

/**
 * The environment variables the runner reads: the operator sets them in each runner pod, and anyone can
 * run the runner by hand with them. A task's service credentials (e.g. {@code SUPABASE_URL}) are named by
 * its kind's Secret references instead.
 */
public final class RunnerEnvironment {

    /** The job's name, under which the ledger records each run ({@code job_name}). */
    public static final String JOB_NAME = "NIGHTSHIFT_JOB_NAME";
    /** The MaintenanceJob's namespace; part of the job's lock and ledger rows. */
    public static final String NAMESPACE = "NIGHTSHIFT_NAMESPACE";
    /** The task as JSON, exactly the MaintenanceJob's {@code spec.task}. */
    public static final String TASK = "NIGHTSHIFT_TASK";
    /** The database as a {@code postgresql://} URI or a {@code jdbc:postgresql:} URL; else the libpq variables below. */
    public static final String DATABASE_URL = "NIGHTSHIFT_DATABASE_URL";
    /** libpq: the database server's host. */
    public static final String PGHOST = "PGHOST";
    /** libpq: the database server's port. */
    public static final String PGPORT = "PGPORT";
    /** libpq: the database's name. */
    public static final String PGDATABASE = "PGDATABASE";
    /** libpq: the role to log in as. */
    public static final String PGUSER = "PGUSER";
    /** libpq: the role's password. */
    public static final String PGPASSWORD = "PGPASSWORD";
    /** libpq: the TLS mode, e.g. {@code require}. */
    public static final String PGSSLMODE = "PGSSLMODE";
    /** The run ledger's table as {@code schema.table}; default {@link #DEFAULT_LEDGER_TABLE}. */
    public static final String LEDGER_TABLE = "NIGHTSHIFT_LEDGER_TABLE";
    /** How long the ledger keeps the job's rows ({@code spec.ledger.keep}), e.g. {@code 90d} or {@code forever}. */
    public static final String LEDGER_KEEP = "NIGHTSHIFT_LEDGER_KEEP";
    /** The file the result document is written to; default {@link #DEFAULT_TERMINATION_LOG}. */
    public static final String TERMINATION_LOG = "NIGHTSHIFT_TERMINATION_LOG";
    /** The pod's name, recorded with the run. */
    public static final String POD_NAME = "NIGHTSHIFT_POD_NAME";
    /** The CronJob's name; with {@link #KUBERNETES_JOB}, the run's scheduled slot. */
    public static final String CRONJOB = "NIGHTSHIFT_CRONJOB";
    /** The Job's name, from the pod's {@link MetadataKeys#JOB_NAME_LABEL} label. */
    public static final String KUBERNETES_JOB = "NIGHTSHIFT_KUBERNETES_JOB";
    /** The Job's uid, from the pod's {@link MetadataKeys#CONTROLLER_UID_LABEL} label: a Job made again under the same name has another. */
    public static final String KUBERNETES_JOB_UID = "NIGHTSHIFT_KUBERNETES_JOB_UID";
    /** The run's scheduled slot as an RFC 3339 time, for a run started by hand for a slot. */
    public static final String SLOT = "NIGHTSHIFT_SLOT";

    /** The run ledger's schema unless the job names another. */
    public static final String DEFAULT_LEDGER_SCHEMA = "public";
    /** The run ledger's table name unless the job names another. */
    public static final String DEFAULT_LEDGER_TABLE_NAME = "job_executions";
    /** The run ledger unless the job names another: {@code public.job_executions}. */
    public static final String DEFAULT_LEDGER_TABLE = DEFAULT_LEDGER_SCHEMA + "." + DEFAULT_LEDGER_TABLE_NAME;
    /** Where Kubernetes reads a container's termination message. */
    public static final String DEFAULT_TERMINATION_LOG = "/dev/termination-log";

    private RunnerEnvironment() {
    }
}
