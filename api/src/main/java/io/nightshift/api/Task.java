package io.nightshift.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What a MaintenanceJob does on each run: exactly one task kind. The same JSON is the CR's
 * {@code spec.task} and the runner's {@code NIGHTSHIFT_TASK}.
 *
 * <p>Each component is the registration of one kind: its name is the kind's name, its type the kind's
 * {@link TaskParameters} record, its description the kind's line in the CRD. The list of kinds, the rule
 * that exactly one is set (here and in the CRD), validation and the Secrets a task reads follow from the
 * components ({@link TaskKinds}); the runner maps each kind's parameters to the code that runs them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Task(
        @JsonPropertyDescription("Run SQL statements or call a function.")
        SqlTask sql,
        @JsonPropertyDescription("Delete rows older than a cutoff, in batches.")
        RetentionTask retention,
        @JsonPropertyDescription("Delete old files from Supabase Storage and mark their rows.")
        StorageCleanupTask storageCleanup,
        @JsonPropertyDescription("Store the cost of each transcription, fetched from Deepgram.")
        DeepgramCostSyncTask deepgramCostSync,
        @JsonPropertyDescription("Call an HTTP endpoint.")
        HttpTask http,
        @JsonPropertyDescription("Keep a time-partitioned table's partitions: make them ahead, drop or detach old ones.")
        PartitionsTask partitions) {

    /** Every task kind, in the order of the components. */
    public static final TaskKinds<Task> KINDS = TaskKinds.of(Task.class);

    /** The task that is exactly these parameters' kind, e.g. {@code Task.of(new SqlTask(...))}. */
    public static Task of(TaskParameters parameters) {
        return KINDS.of(parameters);
    }

    /** The task's kind, e.g. {@code retention}; {@code null} unless exactly one kind is set. */
    @JsonIgnore
    public String kind() {
        return KINDS.kind(this).map(TaskKind::name).orElse(null);
    }

    /** The parameters of the task's kind; {@code null} unless exactly one kind is set. */
    @JsonIgnore
    public TaskParameters parameters() {
        return KINDS.parameters(this).orElse(null);
    }

    /** The Secrets the task reads, each field named from the task down (e.g. {@code storageCleanup.secretName}). */
    @JsonIgnore
    public List<SecretReference> secrets() {
        return KINDS.secrets(this);
    }

    /**
     * Every problem with the task, each naming its field under {@code path} (e.g. {@code spec.task}).
     * An empty list means the task can run.
     */
    public List<FieldError> validate(String path) {
        return KINDS.validate(this, path);
    }
}
