package io.nightshift.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.net.URI;
import java.util.List;

@JsonClassDescription("Fetches the real cost of each transcription from the Deepgram Management API and stores it on its row.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeepgramCostSyncTask(
        @JsonPropertyDescription("Secret in the same namespace with key " + API_KEY_KEY + ", passed to the runner as " + API_KEY_ENV + ".")
        @Required
        String secretName,

        @JsonPropertyDescription("The Deepgram API base URL. Default https://api.deepgram.com (EU: https://api.eu.deepgram.com).")
        @Pattern("^https?://.+")
        String baseUrl,

        @JsonPropertyDescription("The table with the transcriptions, as table or schema.table. Default transcriptions.")
        @Pattern(Identifiers.QUALIFIED_PATTERN)
        String table,

        @JsonPropertyDescription("The column with Deepgram's request id, written {project_id}.{request_id}. Default stt_provider_request_id.")
        @Pattern(Identifiers.NAME_PATTERN)
        String requestIdColumn,

        @JsonPropertyDescription("The numeric column the USD cost is written to; rows where it is NULL are looked up. Default audio_cost_usd.")
        @Pattern(Identifiers.NAME_PATTERN)
        String costColumn,

        @JsonPropertyDescription("Most requests in flight at once. Default 8.")
        @Min(1)
        @Max(64)
        Integer concurrency,

        @JsonPropertyDescription("Most requests started per second. Default 10.")
        @Min(1)
        @Max(1000)
        Integer maxRequestsPerSecond,

        @JsonPropertyDescription("An extra SQL condition rows must also meet, e.g. created_at > now() - interval '7 days'.")
        String where,

        @JsonPropertyDescription("Look up at most this many rows per run. Default: all of them.")
        @Min(1)
        Integer limit,

        @JsonPropertyDescription("Also count the rows that already have a cost as unchanged, as the original job did. Default false.")
        Boolean countExistingAsUnchanged) implements TaskParameters {

    /** The Secret's key with the Deepgram API key. */
    public static final String API_KEY_KEY = "apiKey";
    /** The environment variable the runner reads the API key from. */
    public static final String API_KEY_ENV = "DEEPGRAM_API_KEY";
    public static final String DEFAULT_BASE_URL = "https://api.deepgram.com";
    public static final String DEFAULT_TABLE = "transcriptions";
    public static final String DEFAULT_REQUEST_ID_COLUMN = "stt_provider_request_id";
    public static final String DEFAULT_COST_COLUMN = "audio_cost_usd";
    public static final int DEFAULT_CONCURRENCY = 8;
    public static final int DEFAULT_MAX_REQUESTS_PER_SECOND = 10;

    public String baseUrlOrDefault() {
        return baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
    }

    public String tableOrDefault() {
        return table == null ? DEFAULT_TABLE : table;
    }

    public String requestIdColumnOrDefault() {
        return requestIdColumn == null ? DEFAULT_REQUEST_ID_COLUMN : requestIdColumn;
    }

    public String costColumnOrDefault() {
        return costColumn == null ? DEFAULT_COST_COLUMN : costColumn;
    }

    public int concurrencyOrDefault() {
        return concurrency == null ? DEFAULT_CONCURRENCY : concurrency;
    }

    public int maxRequestsPerSecondOrDefault() {
        return maxRequestsPerSecond == null ? DEFAULT_MAX_REQUESTS_PER_SECOND : maxRequestsPerSecond;
    }

    @Override
    public List<SecretReference> secrets() {
        return List.of(SecretReference.keys("secretName", secretName, new SecretReference.Key(API_KEY_KEY, API_KEY_ENV)));
    }

    @Override
    public List<FieldError> validate(String prefix) {
        Checks c = new Checks(prefix);
        if (baseUrl != null) {
            try {
                URI uri = URI.create(baseUrl);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    c.fail("baseUrl", "'" + baseUrl + "' is not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                c.fail("baseUrl", "'" + baseUrl + "' is not a URL");
            }
        }
        c.table("table", table, false);
        c.column("requestIdColumn", requestIdColumn, false);
        c.column("costColumn", costColumn, false);
        c.range("concurrency", concurrency, 1, 64);
        c.range("maxRequestsPerSecond", maxRequestsPerSecond, 1, 1000);
        c.where("where", where);
        c.range("limit", limit, 1, Integer.MAX_VALUE);
        return c.errors();
    }
}
