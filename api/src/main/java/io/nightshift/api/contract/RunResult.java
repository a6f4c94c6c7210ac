package io.nightshift.api.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * How a run ended, or that it is still going: the {@code status} of the runner's result document, of a
 * {@code job_executions} row, of a run in the MaintenanceJob's status and of the status API.
 */
public enum RunResult {

    /** The task did its work. */
    SUCCESS("success"),
    /** The task, or the pod that ran it, failed; the message says why. */
    FAILED("failed"),
    /** The run did nothing on purpose (see {@link SkipReason}); never written to the ledger. */
    SKIPPED("skipped"),
    /** The run has started and not yet ended. */
    RUNNING("running");

    private final String value;

    RunResult(String value) {
        this.value = value;
    }

    /** The value as written, e.g. {@code success}. */
    @JsonValue
    public String value() {
        return value;
    }

    /** Whether {@code text} is this result as written. */
    public boolean is(String text) {
        return value.equals(text);
    }

    /** The result written as {@code text}; empty for anything else. */
    public static Optional<RunResult> of(String text) {
        for (RunResult result : values()) {
            if (result.is(text)) {
                return Optional.of(result);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
