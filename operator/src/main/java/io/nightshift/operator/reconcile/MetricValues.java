package io.nightshift.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.nightshift.operator.harvest.Overdue;
import io.nightshift.operator.harvest.RunsInProgress;
import io.nightshift.operator.metrics.JobMetrics;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.resource.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The values of a job's metric series, read from its spec and status. */
final class MetricValues {

    private MetricValues() {
    }

    /** {@code jobs}: the job's Kubernetes Jobs, to tell when the oldest run in progress started. */
    static JobMetrics.Values of(MaintenanceJob job, List<Job> jobs, Instant now) {
        MaintenanceJobStatus s = job.getStatus();
        RunRecord last = s.getLastRun();
        Map<String, Double> stats = new LinkedHashMap<>();
        if (last != null && last.stats() != null) {
            for (Map.Entry<String, JsonNode> e : last.stats().entrySet()) {
                if (e.getValue().isNumber()) {
                    stats.put(e.getKey(), e.getValue().asDouble());
                }
            }
        }
        boolean overdue = Conditions.find(s.getConditions(), RunTracker.OVERDUE).map(c -> "True".equals(c.getStatus())).orElse(false);
        return new JobMetrics.Values(
                last == null || last.durationMs() == null ? Double.NaN : last.durationMs() / 1000.0,
                seconds(s.getLastSuccessfulTime()),
                seconds(s.getLastFailureTime()),
                s.getConsecutiveFailures() == null ? 0 : s.getConsecutiveFailures(),
                seconds(s.getNextScheduleTime()),
                !RunsInProgress.of(s).isEmpty(),
                runStartedSeconds(RunsInProgress.of(s), jobs),
                overdue,
                job.getSpec().suspended(),
                job.getSpec().timeoutOrDefault().map(Duration::toSeconds).orElse(0L),
                stats);
    }

    private static double runStartedSeconds(List<String> active, List<Job> jobs) {
        if (active.isEmpty()) {
            return Double.NaN;
        }
        return jobs.stream().filter(j -> active.contains(j.getMetadata().getName())).map(Overdue::startOf).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN);
    }

    private static double seconds(String time) {
        if (time == null) {
            return Double.NaN;
        }
        try {
            return Instant.parse(time).toEpochMilli() / 1000.0;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
