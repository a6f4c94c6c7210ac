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
import java.util.Map;
import java.util.Set;

@JsonClassDescription("Calls an HTTP endpoint, e.g. an admin API's cleanup route, and checks the answer's status code.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpTask(
        @JsonPropertyDescription("GET, POST, PUT, PATCH or DELETE. Default POST.")
        @Pattern("^(GET|POST|PUT|PATCH|DELETE)$")
        String method,

        @JsonPropertyDescription("The URL to call. ${NAME} is replaced by the environment variable NAME (e.g. a key of headersSecretName).")
        @Required
        @Pattern("^https?://.+")
        String url,

        @JsonPropertyDescription("Request headers. In values, ${NAME} is replaced by the environment variable NAME, so secrets stay in a Secret: Authorization: 'Bearer ${ADMIN_TOKEN}'.")
        Map<String, String> headers,

        @JsonPropertyDescription("Secret in the same namespace whose keys become environment variables of the run, for ${NAME} in url and headers.")
        String headersSecretName,

        @JsonPropertyDescription("The request body, sent as is.")
        String body,

        @JsonPropertyDescription("Content-Type of the body. Default application/json.")
        String contentType,

        @JsonPropertyDescription("Status codes that count as success. Default: any 2xx.")
        List<Integer> expectStatus,

        @JsonPropertyDescription("How long one attempt may take, e.g. 30s. Default 30s.")
        @Pattern(Durations.PATTERN)
        String timeout,

        @JsonPropertyDescription("Further attempts after a network error or a 5xx/429 answer, with backoff. Default 2.")
        @Min(0)
        @Max(10)
        Integer retries) implements TaskParameters {

    public static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    public static final String DEFAULT_METHOD = "POST";
    public static final String DEFAULT_TIMEOUT = "30s";
    public static final int DEFAULT_RETRIES = 2;

    public String methodOrDefault() {
        return method == null ? DEFAULT_METHOD : method;
    }

    public int retriesOrDefault() {
        return retries == null ? DEFAULT_RETRIES : retries;
    }

    public java.time.Duration timeoutDuration() {
        return Durations.parse(timeout == null ? DEFAULT_TIMEOUT : timeout);
    }

    /** Whether an answer with this status counts as success. */
    public boolean accepts(int status) {
        return expectStatus == null || expectStatus.isEmpty() ? status >= 200 && status < 300 : expectStatus.contains(status);
    }

    /** The headers' Secret, when there is one: each of its keys is an environment variable of the run. */
    @Override
    public List<SecretReference> secrets() {
        return headersSecretName == null ? List.of() : List.of(SecretReference.everyKey("headersSecretName", headersSecretName));
    }

    @Override
    public List<FieldError> validate(String prefix) {
        Checks c = new Checks(prefix);
        if (method != null && !METHODS.contains(method)) {
            c.fail("method", "'" + method + "' is not one of GET, POST, PUT, PATCH, DELETE");
        }
        if (c.required("url", url)) {
            try {
                URI uri = URI.create(url.replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*}", "x"));
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    c.fail("url", "'" + url + "' is not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                c.fail("url", "'" + url + "' is not a URL");
            }
        }
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name == null || !name.matches("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")) {
                    c.fail("headers", "'" + name + "' is not a header name");
                }
                if (value == null) {
                    c.fail("headers." + name, "must have a value");
                }
            });
        }
        if (body != null && "GET".equals(method)) {
            c.fail("body", "a GET request has no body");
        }
        if (expectStatus != null) {
            for (Integer s : expectStatus) {
                if (s == null || s < 100 || s > 599) {
                    c.fail("expectStatus", "'" + s + "' is not an HTTP status code (100-599)");
                }
            }
        }
        c.duration("timeout", timeout, false);
        c.range("retries", retries, 0, 10);
        return c.errors();
    }
}
