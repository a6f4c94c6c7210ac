package io.nightshift.runner.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The run's result as the operator reads it from the pod's termination message. One JSON object of at
 * most {@link ResultWriter#LIMIT_BYTES} bytes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultDocument(String status, Long executionId, String startedAt, String completedAt, Long durationMs,
        Map<String, Object> stats, String error, String reason, String slot) {

    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";
    /** Why a run was {@link #SKIPPED}: a run of the same scheduled slot already succeeded. */
    public static final String SLOT_ALREADY_DONE = "slot already done";
    /** Why a run was {@link #SKIPPED}: another run of the job is going on. */
    public static final String LOCK_HELD = "another run holds the job's lock";

    public ResultDocument(String status, Long executionId, String startedAt, String completedAt, Long durationMs,
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
