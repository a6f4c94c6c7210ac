package io.nightshift.api.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * Why the runner skipped a run: the {@code reason} of a result document whose status is
 * {@link RunResult#SKIPPED}, and the reason the operator records for it.
 */
public enum SkipReason {

    /** A run of the same scheduled slot already succeeded (Kubernetes started the Job's pod again). */
    SLOT_ALREADY_DONE("slot already done", "SlotAlreadyDone"),
    /** A run of the same Kubernetes Job already succeeded (Kubernetes started the Job's pod again; a Job without a slot too). */
    JOB_ALREADY_SUCCEEDED("job already succeeded", "JobAlreadySucceeded"),
    /** Another run of the job holds the job's advisory lock. */
    LOCK_HELD("another run holds the job's lock", "LockHeld");

    private final String text;
    private final String statusReason;

    SkipReason(String text, String statusReason) {
        this.text = text;
        this.statusReason = statusReason;
    }

    /** The reason as the runner writes it in its result document, e.g. {@code slot already done}. */
    @JsonValue
    public String text() {
        return text;
    }

    /** The reason as the operator records it in the run's status and Events, e.g. {@code SlotAlreadyDone}. */
    public String statusReason() {
        return statusReason;
    }

    /** The skip reason written as {@code text}; empty for one this version does not know, or none. */
    public static Optional<SkipReason> of(String text) {
        for (SkipReason reason : values()) {
            if (reason.text.equals(text)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
