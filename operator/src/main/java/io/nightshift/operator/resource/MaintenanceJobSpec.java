package io.nightshift.operator.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.nightshift.api.Durations;
import io.nightshift.api.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What to run, when, against which database, and how its pod looks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MaintenanceJobSpec(
        @JsonPropertyDescription("When to run, in cron format: five fields (minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\", "
                + "or @hourly, @daily, @weekly, @monthly, @yearly. Read in timeZone.")
        @Required
        String schedule,

        @JsonPropertyDescription("IANA time zone the schedule is read in, e.g. Europe/Berlin. Default UTC.")
        String timeZone,

        @JsonPropertyDescription("Stop scheduling new runs (runs already started finish). Default false.")
        @Default("false")
        Boolean suspend,

        @JsonPropertyDescription("What happens when a run is due while the previous one still runs: Allow, Forbid (skip the new one) or Replace. Default Forbid.")
        ConcurrencyPolicy concurrencyPolicy,

        @JsonPropertyDescription("A run that could not start within this many seconds of its scheduled time is skipped and counts as missed.")
        @Min(0)
        Long startingDeadlineSeconds,

        @JsonPropertyDescription("Longest time one run may take, e.g. 30m or 2h; the run's Job is stopped then (activeDeadlineSeconds) "
                + "and the run is recorded as failed (DeadlineExceeded). Default 1h. \"0\" means no deadline: a hung run then holds "
                + "every later run back under concurrencyPolicy Forbid.")
        @Pattern(TIMEOUT_PATTERN)
        @Default(DEFAULT_TIMEOUT)
        String timeout,

        @JsonPropertyDescription("Times a failed run is retried (the Job's backoffLimit). A configuration error (runner exit code 2) is never retried. Default 0.")
        @Min(0)
        @Max(20)
        Integer retries,

        @JsonPropertyDescription("Finished successful Jobs to keep. Default 3.")
        @Min(0)
        Integer successfulJobsHistoryLimit,

        @JsonPropertyDescription("Finished failed Jobs to keep. Default 3.")
        @Min(0)
        Integer failedJobsHistoryLimit,

        @JsonPropertyDescription("The database to maintain: a Secret reference, never the credentials themselves.")
        @Required
        DatabaseRef database,

        @JsonPropertyDescription("Where each run is recorded in the database. Default public.job_executions.")
        LedgerRef ledger,

        @JsonPropertyDescription("What each run does: exactly one of sql, retention, storageCleanup, deepgramCostSync, http.")
        @Required
        Task task,

        @JsonPropertyDescription("The job-runner image for this job. Default: the image the operator is configured with.")
        String image,

        @JsonPropertyDescription("Image pull policy of the runner container: Always, IfNotPresent or Never.")
        @Pattern("^(Always|IfNotPresent|Never)$")
        String imagePullPolicy,

        @JsonPropertyDescription("CPU and memory requests and limits of the runner container.")
        ResourceRequirements resources,

        @JsonPropertyDescription("Service account the runner pod runs as. Its token is not mounted: the runner never calls the Kubernetes API.")
        String serviceAccountName,

        @JsonPropertyDescription("Node labels the runner pod must be scheduled on.")
        Map<String, String> nodeSelector,

        @JsonPropertyDescription("Tolerations of the runner pod.")
        List<Toleration> tolerations,

        @JsonPropertyDescription("Affinity rules of the runner pod.")
        Affinity affinity,

        @JsonPropertyDescription("Labels added to the CronJob, its Jobs and their pods.")
        Map<String, String> labels,

        @JsonPropertyDescription("Annotations added to the CronJob, its Jobs and their pods.")
        Map<String, String> annotations) {

    public static final String DEFAULT_TIME_ZONE = "UTC";
    /** The API server fills it in from the CRD; the operator assumes it for objects it did not default (created before). */
    public static final String DEFAULT_TIMEOUT = "1h";
    /** A duration, or "0" for no deadline. */
    public static final String TIMEOUT_PATTERN = "^(0|([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?)$";

    public String timeZoneOrDefault() {
        return timeZone == null || timeZone.isBlank() ? DEFAULT_TIME_ZONE : timeZone;
    }

    /** The run's deadline; empty when {@code timeout} is explicitly zero ({@code 0}, {@code 0s}): no deadline. */
    public Optional<Duration> timeoutOrDefault() {
        String text = timeout == null ? DEFAULT_TIMEOUT : timeout.trim();
        Duration limit = "0".equals(text) ? Duration.ZERO : Durations.parse(text);
        return limit.isZero() ? Optional.empty() : Optional.of(limit);
    }

    public ConcurrencyPolicy concurrencyPolicyOrDefault() {
        return concurrencyPolicy == null ? ConcurrencyPolicy.Forbid : concurrencyPolicy;
    }

    public boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }
}
