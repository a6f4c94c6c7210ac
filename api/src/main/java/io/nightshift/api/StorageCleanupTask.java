package io.nightshift.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonClassDescription("Deletes files older than a cutoff from a Supabase Storage bucket, then marks their rows so they are not asked for again.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageCleanupTask(
        @JsonPropertyDescription("Secret in the same namespace with keys url (the Supabase project URL) and serviceKey (a service-role or sb_secret_ key). Passed to the runner as SUPABASE_URL and SUPABASE_SERVICE_KEY.")
        @Required
        String secretName,

        @JsonPropertyDescription("The storage bucket the paths are in, e.g. audio.")
        @Required
        String bucket,

        @JsonPropertyDescription("The table whose rows point at the files, as table or schema.table.")
        @Required
        @Pattern(Identifiers.QUALIFIED_PATTERN)
        String table,

        @JsonPropertyDescription("The column holding each file's path inside the bucket. Rows where it is NULL are skipped.")
        @Required
        @Pattern(Identifiers.NAME_PATTERN)
        String pathColumn,

        @JsonPropertyDescription("The column that says how old a row is, e.g. created_at.")
        @Required
        @Pattern(Identifiers.NAME_PATTERN)
        String timestampColumn,

        @JsonPropertyDescription("Files of rows older than this are deleted. Default 30d.")
        @Pattern(Durations.PATTERN)
        String olderThan,

        @JsonPropertyDescription("An extra SQL condition rows must also meet, e.g. status = 'done'.")
        String where,

        @JsonPropertyDescription("A timestamp column set to now() for each deleted file. When unset, the path column is set to NULL instead.")
        @Pattern(Identifiers.NAME_PATTERN)
        String deletedAtColumn,

        @JsonPropertyDescription("Paths per bulk-delete request, at most 1000 (the Storage API's limit). Default 1000.")
        @Min(1)
        @Max(1000)
        Integer batchSize,

        @JsonPropertyDescription("For a timestamp (without time zone) column: the time zone its wall-clock values are in, e.g. Europe/Berlin. Default: the database's timezone setting for the job's role, as a plain session would use it. timestamptz and date columns need no zone.")
        String timeZone) {

    public static final String DEFAULT_OLDER_THAN = "30d";
    public static final int MAX_BATCH_SIZE = 1000;

    public String olderThanOrDefault() {
        return olderThan == null ? DEFAULT_OLDER_THAN : olderThan;
    }

    public int batchSizeOrDefault() {
        return batchSize == null ? MAX_BATCH_SIZE : batchSize;
    }

    List<FieldError> validate(String prefix) {
        Checks c = new Checks(prefix);
        c.required("bucket", bucket);
        if (bucket != null && (bucket.contains("/") || bucket.contains(".."))) {
            c.fail("bucket", "'" + bucket + "' is not a bucket name");
        }
        c.table("table", table, true);
        c.column("pathColumn", pathColumn, true);
        c.column("timestampColumn", timestampColumn, true);
        c.duration("olderThan", olderThan, false);
        c.where("where", where);
        c.column("deletedAtColumn", deletedAtColumn, false);
        c.range("batchSize", batchSize, 1, MAX_BATCH_SIZE);
        c.notBlankIfSet("timeZone", timeZone);
        return c.errors();
    }
}
