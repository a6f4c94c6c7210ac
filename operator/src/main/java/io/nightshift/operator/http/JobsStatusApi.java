package io.nightshift.operator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightshift.api.contract.RunResult;
import io.nightshift.operator.harvest.RunsInProgress;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.resource.RunRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/v1/jobs/status}: the latest run of every job, in the shape the original admin
 * dashboard reads: {@code {"data":[{"job_name","namespace","status","started_at","completed_at",
 * "duration_ms","stats","error_message"}]}}, times in ISO-8601 UTC, status running, success or failed.
 * Every job has a row: one that has not run yet has status {@code null}; a running one has the start of its run
 * in progress ({@code status.activeRuns}) and no end. A run whose pod cannot start is
 * failed with its reason, as in the job's {@code status.lastRun}, not running. An error message longer than
 * {@link #MAX_ERROR_MESSAGE} characters is cut there, ending in "…".
 */
public final class JobsStatusApi {

    /** The longest error_message answered, like the message of a run's Event. */
    public static final int MAX_ERROR_MESSAGE = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobsStatusApi() {
    }

    public static String render(Collection<MaintenanceJob> jobs, String namespace) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode data = root.putArray("data");
        jobs.stream()
                .filter(j -> namespace == null || namespace.equals(j.getMetadata().getNamespace()))
                .sorted(Comparator.comparing((MaintenanceJob j) -> j.getMetadata().getNamespace()).thenComparing(j -> j.getMetadata().getName()))
                .forEach(j -> data.add(row(j)));
        return root.toString();
    }

    private static ObjectNode row(MaintenanceJob job) {
        MaintenanceJobStatus status = job.getStatus();
        String namespace = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        Optional<RunRecord> running = newestInProgress(status);
        if (running.isPresent()) {
            return runRow(namespace, name, running.get());
        }
        if (!RunsInProgress.of(status).isEmpty()) {
            // The status was written before runs in progress carried their start.
            return runRow(namespace, name, new RunRecord(null, null, null, null, RunResult.RUNNING.value(), null, null, null, null, null, null));
        }
        Optional<RunRecord> last = status == null || status.getRecentRuns() == null ? Optional.empty()
                : status.getRecentRuns().stream().filter(r -> RunResult.SUCCESS.is(r.result()) || RunResult.FAILED.is(r.result())).findFirst();
        if (last.isEmpty()) {
            return runRow(namespace, name, new RunRecord(null, null, null, null, null, null, null, null, null, null, null));
        }
        return runRow(namespace, name, last.get());
    }

    /** Runs in progress by their start; one without a start (not started yet) is the newest. */
    static final Comparator<RunRecord> BY_START = Comparator.comparing(r -> {
        try {
            return r.startedAt() == null ? Instant.MAX : Instant.parse(r.startedAt());
        } catch (RuntimeException e) {
            return Instant.MAX;
        }
    });

    /** The run in progress that started last (several run at once only with concurrencyPolicy Allow). */
    static Optional<RunRecord> newestInProgress(MaintenanceJobStatus status) {
        List<String> inProgress = RunsInProgress.of(status);
        if (inProgress.isEmpty() || status.getActiveRuns() == null) {
            return Optional.empty();
        }
        return status.getActiveRuns().stream().filter(r -> inProgress.contains(r.jobName()))
                .max(BY_START);
    }

    /**
     * One row: job_name, namespace, status, started_at, completed_at, duration_ms, stats, error_message. A row
     * without a run ({@code run.result()} null) or with one in progress has no end, duration, stats or error.
     */
    static ObjectNode runRow(String namespace, String jobName, RunRecord run) {
        ObjectNode row = JSON.createObjectNode();
        row.put("job_name", jobName);
        row.put("namespace", namespace);
        row.put("status", run.result());
        row.put("started_at", utc(run.startedAt()));
        row.put("completed_at", utc(run.completedAt()));
        if (run.durationMs() == null) {
            row.putNull("duration_ms");
        } else {
            row.put("duration_ms", run.durationMs());
        }
        ObjectNode stats = row.putObject("stats");
        if (run.stats() != null) {
            run.stats().forEach(stats::set);
        }
        row.put("error_message", RunResult.FAILED.is(run.result()) ? bounded(run.message()) : null);
        return row;
    }

    static String bounded(String message) {
        if (message == null || message.length() <= MAX_ERROR_MESSAGE) {
            return message;
        }
        return message.substring(0, MAX_ERROR_MESSAGE - 1) + "…";
    }

    private static String utc(String time) {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time).toString();
        } catch (RuntimeException e) {
            return time;
        }
    }
}
