package io.nightshift.operator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightshift.operator.harvest.RunsInProgress;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.resource.RunRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/jobs/{namespace}/{name}/runs}: the runs of one job its status holds, newest first, as rows of
 * the status API ({@code {"data":[{"job_name","namespace","status","started_at",...}]}}): the runs in progress
 * ({@code status.activeRuns}, by start), then the finished ones ({@code status.recentRuns}, by end), status
 * running, success, failed or skipped. The status keeps the last {@code RunStatus.RECENT_RUNS} finished runs.
 */
public final class JobRunsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobRunsApi() {
    }

    /** @param limit at most this many rows; null: all */
    public static String render(MaintenanceJob job, Integer limit) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode data = root.putArray("data");
        runs(job.getStatus()).stream().limit(limit == null ? Long.MAX_VALUE : limit)
                .forEach(run -> data.add(JobsStatusApi.runRow(job.getMetadata().getNamespace(), job.getMetadata().getName(), run)));
        return root.toString();
    }

    static List<RunRecord> runs(MaintenanceJobStatus status) {
        List<RunRecord> runs = new ArrayList<>();
        if (status == null) {
            return runs;
        }
        List<String> inProgress = RunsInProgress.of(status);
        if (status.getActiveRuns() != null) {
            status.getActiveRuns().stream().filter(r -> inProgress.contains(r.jobName()))
                    .sorted(JobsStatusApi.BY_START.reversed())
                    .forEach(runs::add);
        }
        if (status.getRecentRuns() != null) {
            runs.addAll(status.getRecentRuns());
        }
        return runs;
    }
}
