package io.nightshift.runner.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The run's result as the operator reads it from the pod's termination message. One JSON object of at
 * most {@link ResultWriter#LIMIT_BYTES} bytes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultDocument(String status, Long executionId, String startedAt, String completedAt, Long durationMs,
        Map<String, Object> stats, String error) {

    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    ResultDocument withError(String newError) {
        return new ResultDocument(status, executionId, startedAt, completedAt, durationMs, stats, newError);
    }

    ResultDocument withStats(Map<String, Object> newStats) {
        return new ResultDocument(status, executionId, startedAt, completedAt, durationMs, newStats, error);
    }
}
