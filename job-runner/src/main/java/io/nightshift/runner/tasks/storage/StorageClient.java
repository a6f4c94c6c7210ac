package io.nightshift.runner.tasks.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightshift.runner.tasks.FailureCauses;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Supabase Storage's bulk delete: {@code DELETE {url}/storage/v1/object/{bucket}} with {@code {"prefixes": [...]}}. */
final class StorageClient {

    /** How one bulk request ended. */
    sealed interface Answer {
        /** 200: the objects the storage actually deleted (paths it did not have are absent). */
        record Deleted(Set<String> names) implements Answer {
        }

        /** A network error or an answer worth retrying (5xx, 429). */
        record Retryable(String why) implements Answer {
        }

        /** The key was refused (401/403): every request would fail the same way. */
        record Refused(int status) implements Answer {
        }

        /** Any other answer. */
        record Failed(String why) implements Answer {
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.parse("application/json");

    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60)).build();
    private final String baseUrl;
    private final String key;

    StorageClient(String baseUrl, String key) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.key = key;
    }

    Answer delete(String bucket, List<String> paths) {
        ObjectNode body = JSON.createObjectNode();
        paths.forEach(body.putArray("prefixes")::add);
        Request.Builder request = new Request.Builder().url(baseUrl + "/storage/v1/object/" + bucket)
                .delete(RequestBody.create(body.toString(), JSON_TYPE)).header("apikey", key);
        if (!key.startsWith("sb_secret_")) {
            // Legacy service-role keys (JWTs) also go in Authorization; new secret keys only in apikey.
            request.header("Authorization", "Bearer " + key);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            int status = response.code();
            String text = response.body() == null ? "" : response.body().string();
            if (status == 200) {
                Set<String> names = new HashSet<>();
                JsonNode answer = JSON.readTree(text);
                if (!answer.isArray()) {
                    return new Answer.Retryable("answered 200 without a list of deleted objects");
                }
                answer.forEach(o -> names.add(o.path("name").asText()));
                return new Answer.Deleted(names);
            }
            if (status == 401 || status == 403) {
                return new Answer.Refused(status);
            }
            if (status >= 500 || status == 429) {
                return new Answer.Retryable("answered " + status);
            }
            return new Answer.Failed("answered " + status + (text.isBlank() ? "" : ": " + text.strip().substring(0, Math.min(200, text.strip().length()))));
        } catch (IOException e) {
            return new Answer.Retryable(FailureCauses.of(e));
        }
    }
}
