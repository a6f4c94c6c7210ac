package io.nightshift.runner.tasks.http;

import io.nightshift.api.HttpTask;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.tasks.FailureCauses;
import io.nightshift.runner.tasks.MaintenanceTask;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TaskOutcome;
import io.nightshift.runner.tasks.TerminatedException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Task {@code http}: calls an endpoint (the "curl our admin API" pattern) and checks the status code.
 * Network errors, 5xx and 429 answers are retried with backoff; other unexpected answers fail the run.
 * Values from Secrets ({@code ${NAME}}) never reach the log or the result: the log shows the URL as written.
 */
public final class HttpRunner implements MaintenanceTask {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private final HttpTask params;

    public HttpRunner(HttpTask params) {
        this.params = params;
    }

    @Override
    public boolean usesDatabase() {
        return false;
    }

    @Override
    public TaskOutcome run(TaskContext context) throws IOException, InterruptedException {
        String method = params.methodOrDefault();
        String shown = method + " " + params.url();
        String url = EnvTemplate.expand(params.url(), "task.http.url", context::env);
        Request.Builder request = new Request.Builder();
        try {
            request.url(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("task.http.url: not a valid URL once ${...} are filled in");
        }
        if (params.headers() != null) {
            for (Map.Entry<String, String> h : params.headers().entrySet()) {
                request.header(h.getKey(), EnvTemplate.expand(h.getValue(), "task.http.headers." + h.getKey(), context::env));
            }
        }
        RequestBody body = params.body() == null ? (method.equals("GET") || method.equals("DELETE") ? null : RequestBody.create(new byte[0]))
                : RequestBody.create(params.body(), MediaType.parse(params.contentType() == null ? "application/json" : params.contentType()));
        request.method(method, body);
        if (context.dryRun()) {
            return TaskOutcome.succeeded("http: would call " + shown);
        }
        Duration timeout = params.timeoutDuration();
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(timeout).readTimeout(timeout).build();
        int attempts = params.retriesOrDefault() + 1;
        long started = System.nanoTime();
        Duration backoff = FIRST_BACKOFF;
        String last = "no answer";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (context.stopRequested()) {
                throw new TerminatedException(shown + ": stopped before attempt " + attempt);
            }
            Duration wait = backoff;
            try (Response response = client.newCall(request.build()).execute()) {
                int status = response.code();
                context.stats().put("status", status);
                context.stats().put("durationMs", (System.nanoTime() - started) / 1_000_000);
                if (params.accepts(status)) {
                    return TaskOutcome.succeeded("http " + shown + ": " + status + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
                }
                last = "answered " + status + snippet(response);
                if (!(status >= 500 || status == 429)) {
                    return TaskOutcome.failed("http " + shown + " " + last);
                }
                wait = retryAfter(response).orElse(backoff);
            } catch (IOException e) {
                last = "failed: " + FailureCauses.of(e);
            }
            if (attempt < attempts) {
                context.log("http " + shown + " " + last + "; retrying in " + wait.toMillis() + " ms (attempt " + attempt + " of " + attempts + ")");
                Thread.sleep(Math.min(wait.toMillis(), LONGEST_WAIT.toMillis()));
                backoff = backoff.multipliedBy(2);
            }
        }
        context.stats().put("durationMs", (System.nanoTime() - started) / 1_000_000);
        return TaskOutcome.failed("http " + shown + " " + last + " after " + attempts + " attempt(s)");
    }

    private static java.util.Optional<Duration> retryAfter(Response response) {
        String value = response.header("Retry-After");
        try {
            return value == null ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static String snippet(Response response) throws IOException {
        String text = response.body() == null ? "" : response.body().string().strip();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
