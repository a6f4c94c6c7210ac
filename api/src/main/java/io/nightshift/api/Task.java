package io.nightshift.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a MaintenanceJob does on each run: exactly one task kind. The same JSON is the CR's
 * {@code spec.task} and the runner's {@code NIGHTSHIFT_TASK}.
 */
@JsonClassDescription("What each run does: exactly one of sql, retention, storageCleanup, deepgramCostSync, http.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.sql), has(self.retention), has(self.storageCleanup), has(self.deepgramCostSync), has(self.http)].filter(x, x).size() == 1",
        message = "set exactly one of sql, retention, storageCleanup, deepgramCostSync, http")
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
        HttpTask http) {

    public static final List<String> KINDS = List.of("sql", "retention", "storageCleanup", "deepgramCostSync", "http");

    /** The kinds that are set, by name, in the order of {@link #KINDS}. */
    private Map<String, Object> present() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("sql", sql);
        all.put("retention", retention);
        all.put("storageCleanup", storageCleanup);
        all.put("deepgramCostSync", deepgramCostSync);
        all.put("http", http);
        all.values().removeIf(v -> v == null);
        return all;
    }

    /** The task's kind, e.g. {@code retention}; {@code null} unless exactly one kind is set. */
    @JsonIgnore
    public String kind() {
        Map<String, Object> p = present();
        return p.size() == 1 ? p.keySet().iterator().next() : null;
    }

    /** The Secret the task reads service credentials from, if its kind has one. */
    @JsonIgnore
    public String secretName() {
        if (storageCleanup != null) {
            return storageCleanup.secretName();
        }
        if (deepgramCostSync != null) {
            return deepgramCostSync.secretName();
        }
        if (http != null) {
            return http.headersSecretName();
        }
        return null;
    }

    /**
     * Every problem with the task, each naming its field under {@code path} (e.g. {@code spec.task}).
     * An empty list means the task can run.
     */
    public List<FieldError> validate(String path) {
        Map<String, Object> p = present();
        if (p.size() != 1) {
            String found = p.isEmpty() ? "none" : String.join(", ", p.keySet());
            return List.of(new FieldError(path, "set exactly one of " + String.join(", ", KINDS) + " (found " + found + ")"));
        }
        List<FieldError> errors = new ArrayList<>();
        if (sql != null) {
            errors.addAll(sql.validate(path + ".sql"));
        }
        if (retention != null) {
            errors.addAll(retention.validate(path + ".retention"));
        }
        if (storageCleanup != null) {
            errors.addAll(storageCleanup.validate(path + ".storageCleanup"));
        }
        if (deepgramCostSync != null) {
            errors.addAll(deepgramCostSync.validate(path + ".deepgramCostSync"));
        }
        if (http != null) {
            errors.addAll(http.validate(path + ".http"));
        }
        return errors;
    }
}
