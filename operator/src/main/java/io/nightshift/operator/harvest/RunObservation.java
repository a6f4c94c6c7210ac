package io.nightshift.operator.harvest;

import io.nightshift.operator.resource.RunRecord;

/** What one Job of a MaintenanceJob shows right now. */
public sealed interface RunObservation {

    String jobName();

    /** The Job is running (or waiting for its pod to start normally). */
    record Running(String jobName, String trigger, String startedAt) implements RunObservation {
    }

    /** The Job's pod cannot start: a missing Secret or key, an image that cannot be pulled. */
    record Blocked(String jobName, String reason, String message) implements RunObservation {
    }

    /** The Job finished (its Complete or Failed condition); the run as it will be recorded. */
    record Finished(String jobName, RunRecord run) implements RunObservation {
    }
}
