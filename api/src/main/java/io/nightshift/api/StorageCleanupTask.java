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
        @JsonPropertyDescription("Secret in the same namespace with keys " + URL_KEY + " (the Supabase project URL) and " + SERVICE_KEY_KEY
                + " (a service-role or sb_secret_ key). Passed to the runner as " + URL_ENV + " and " + SERVICE_KEY_ENV + ".")
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
        String timeZone) implements TaskParameters {

    /** The Secret's key with the Supabase project URL. */
    public static final String URL_KEY = "url";
    /** The environment variable the runner reads the project URL from. */
    public static final String URL_ENV = "SUPABASE_URL";
    /** The Secret's key with the service-role or {@code sb_secret_} key. */
    public static final String SERVICE_KEY_KEY = "serviceKey";
    /** The environment variable the runner reads the service key from. */
    public static final String SERVICE_KEY_ENV = "SUPABASE_SERVICE_KEY";
    public static final String DEFAULT_OLDER_THAN = "30d";
    public static final int MAX_BATCH_SIZE = 1000;

    public String olderThanOrDefault() {
        return olderThan == null ? DEFAULT_OLDER_THAN : olderThan;
    }

    public int batchSizeOrDefault() {
        return batchSize == null ? MAX_BATCH_SIZE : batchSize;
    }

    @Override
    public List<SecretReference> secrets() {
        return List.of(SecretReference.keys("secretName", secretName,
                new SecretReference.Key(URL_KEY, URL_ENV), new SecretReference.Key(SERVICE_KEY_KEY, SERVICE_KEY_ENV)));
    }

    @Override
    public List<FieldError> validate(String prefix) {
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
