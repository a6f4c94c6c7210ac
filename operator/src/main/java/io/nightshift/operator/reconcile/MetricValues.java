package io.nightshift.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightshift.api.Durations;
import io.nightshift.operator.metrics.JobMetrics;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobStatus;
import io.nightshift.operator.resource.RunRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The values of a job's metric series, read from its spec and status. */
final class MetricValues {

    private MetricValues() {
    }

    static JobMetrics.Values of(MaintenanceJob job, Instant now) {
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
                s.getActive() != null && !s.getActive().isEmpty(),
                overdue,
                job.getSpec().suspended(),
                job.getSpec().timeout() == null ? 0 : Durations.parse(job.getSpec().timeout()).toSeconds(),
                stats);
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
