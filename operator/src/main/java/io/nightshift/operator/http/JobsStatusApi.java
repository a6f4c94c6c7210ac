package io.nightshift.operator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.resource.RunRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * {@code GET /api/v1/jobs/status}: the latest run of every job, in the shape the original admin
 * dashboard reads: {@code {"data":[{"job_name","namespace","status","started_at","completed_at",
 * "duration_ms","stats","error_message"}]}}, times in ISO-8601 UTC, status running, success or failed. An error
 * message longer than {@link #MAX_ERROR_MESSAGE} characters is cut there, ending in "…".
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
                .forEach(j -> row(j).ifPresent(data::add));
        return root.toString();
    }

    private static Optional<ObjectNode> row(MaintenanceJob job) {
        MaintenanceJobStatus status = job.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        ObjectNode row = JSON.createObjectNode();
        row.put("job_name", job.getMetadata().getName());
        row.put("namespace", job.getMetadata().getNamespace());
        if (status.getActive() != null && !status.getActive().isEmpty()) {
            row.put("status", "running");
            row.putNull("started_at");
            row.putNull("completed_at");
            row.putNull("duration_ms");
            row.putObject("stats");
            row.putNull("error_message");
            return Optional.of(row);
        }
        Optional<RunRecord> last = status.getRecentRuns() == null ? Optional.empty()
                : status.getRecentRuns().stream().filter(r -> "success".equals(r.result()) || "failed".equals(r.result())).findFirst();
        if (last.isEmpty()) {
            return Optional.empty();
        }
        RunRecord run = last.get();
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
        row.put("error_message", "failed".equals(run.result()) ? bounded(run.message()) : null);
        return Optional.of(row);
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
