package io.nightshift.operator.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One run of a MaintenanceJob as the operator recorded it from its Job and pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
        @JsonPropertyDescription("Name of the Kubernetes Job of this run.")
        String jobName,

        @JsonPropertyDescription("What started the run: schedule or manual (the nightshift.io/run-now annotation).")
        String trigger,

        @JsonPropertyDescription("The schedule slot this run belongs to (RFC 3339), when started by the schedule.")
        String scheduledTime,

        @JsonPropertyDescription("The id of the run's row in the run ledger table, when the runner got that far.")
        Long executionId,

        @JsonPropertyDescription("running, success, failed or skipped (another run held the job's lock, or a run of the same "
                + "scheduled slot or of the same Job had already succeeded).")
        String result,

        @JsonPropertyDescription("Why the run failed or was skipped, in Kubernetes' or the runner's words, e.g. OOMKilled, "
                + "DeadlineExceeded, TaskFailed; SlotAlreadyDone, JobAlreadySucceeded, LockHeld.")
        String reason,

        @JsonPropertyDescription("When the run started (RFC 3339).")
        String startedAt,

        @JsonPropertyDescription("When the run finished (RFC 3339).")
        String completedAt,

        @JsonPropertyDescription("How long the run took, in milliseconds.")
        Long durationMs,

        @JsonPropertyDescription("What the run did, e.g. {deleted: 1136103, batches: 228}.")
        @PreserveUnknownFields
        Map<String, JsonNode> stats,

        @JsonPropertyDescription("The error, or a short summary of the run.")
        String message) {
}
