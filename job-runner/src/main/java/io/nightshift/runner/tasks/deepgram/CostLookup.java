package io.nightshift.runner.tasks.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.runner.tasks.FailureCauses;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** One request's cost from the Deepgram Management API, with 429 and 5xx retried. */
final class CostLookup {

    sealed interface Result {
        record Cost(BigDecimal usd) implements Result {
        }

        /** Answered, but no cost yet. */
        record NotYet() implements Result {
        }

        /** 404: Deepgram does not know the request. */
        record Unknown() implements Result {
        }

        /** 401/403: the key is refused. */
        record Refused(int status) implements Result {
        }

        record Failed(String why) implements Result {
        }
    }

    static final int ATTEMPTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OkHttpClient http;
    private final String baseUrl;
    private final String key;
    private final RateLimiter limiter;
    private final long firstBackoffMs;

    CostLookup(OkHttpClient http, String baseUrl, String key, RateLimiter limiter, long firstBackoffMs) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.key = key;
        this.limiter = limiter;
        this.firstBackoffMs = firstBackoffMs;
    }

    Result lookup(String projectId, String requestId) throws InterruptedException {
        Request request = new Request.Builder().url(baseUrl + "/v1/projects/" + projectId + "/requests/" + requestId)
                .header("Authorization", "Token " + key).get().build();
        long backoff = firstBackoffMs;
        String last = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            limiter.acquire();
            long wait;
            try (Response response = http.newCall(request).execute()) {
                int status = response.code();
                if (status == 200) {
                    return parse(response.body() == null ? "" : response.body().string());
                }
                if (status == 404) {
                    return new Result.Unknown();
                }
                if (status == 401 || status == 403) {
                    return new Result.Refused(status);
                }
                if (status != 429 && status < 500) {
                    return new Result.Failed("answered " + status);
                }
                last = "answered " + status;
                wait = status == 429 ? retryAfter(response).map(Duration::toMillis).orElse(jitter(backoff)) : jitter(backoff);
            } catch (IOException e) {
                last = FailureCauses.of(e);
                wait = jitter(backoff);
            }
            if (attempt < ATTEMPTS) {
                Thread.sleep(Math.min(wait, 30_000));
                backoff *= 2;
            }
        }
        return new Result.Failed(last + " after " + ATTEMPTS + " attempts");
    }

    /** The USD cost from either response shape: {@code request.response.details.usd} (current) or {@code response.details.usd}. */
    static Result parse(String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return new Result.Failed("answer is not JSON");
        }
        if (json == null || !json.isObject()) {
            return new Result.Failed("answer is not a JSON object");
        }
        JsonNode usd = json.at("/request/response/details/usd");
        if (usd.isMissingNode() || usd.isNull()) {
            usd = json.at("/response/details/usd");
        }
        if (usd.isNumber()) {
            return new Result.Cost(usd.decimalValue());
        }
        return usd.isMissingNode() || usd.isNull() ? new Result.NotYet() : new Result.Failed("usd is not a number");
    }

    private static long jitter(long backoff) {
        return backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }

    private static Optional<Duration> retryAfter(Response response) {
        String value = response.header("Retry-After");
        try {
            return value == null ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
