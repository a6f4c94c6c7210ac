package io.nightshift.runner.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.nightshift.api.contract.RunResult;
import io.nightshift.api.contract.SkipReason;
import java.util.Map;

/**
 * The run's result as the operator reads it from the pod's termination message. One JSON object of at
 * most {@link ResultWriter#LIMIT_BYTES} bytes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultDocument(RunResult status, Long executionId, String startedAt, String completedAt, Long durationMs,
        Map<String, Object> stats, String error, SkipReason reason, String slot) {

    public ResultDocument(RunResult status, Long executionId, String startedAt, String completedAt, Long durationMs,
            Map<String, Object> stats, String error) {
        this(status, executionId, startedAt, completedAt, durationMs, stats, error, null, null);
    }

    /** The same document with the run's scheduled slot (RFC 3339), or unchanged when there is none. */
    public ResultDocument withSlot(String newSlot) {
        return new ResultDocument(status, executionId, startedAt, completedAt, durationMs, stats, error, reason, newSlot);
    }

    ResultDocument withError(String newError) {
        return new ResultDocument(status, executionId, startedAt, completedAt, durationMs, stats, newError, reason, slot);
    }

    ResultDocument withStats(Map<String, Object> newStats) {
        return new ResultDocument(status, executionId, startedAt, completedAt, durationMs, newStats, error, reason, slot);
    }
}
