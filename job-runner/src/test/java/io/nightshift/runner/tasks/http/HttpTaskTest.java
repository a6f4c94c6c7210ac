package io.nightshift.runner.tasks.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The http task through the runner: the call it makes, retries, and what it records. */
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class HttpTaskTest {

    @Parameter
    ConnectionTarget target;

    static TestDatabase db;

    @TempDir
    Path dir;

    private MockWebServer server;

    @BeforeParameterizedClassInvocation
    static void database() {
        db = TestDatabase.create();
    }

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return server.url(path).toString();
    }

    private RunnerHarness.Outcome run(String task, Map<String, String> extraEnv) {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env("admin-cleanup", task);
        env.putAll(extraEnv);
        return runner.run(env);
    }

    @Test
    void callsTheEndpointWithSecretHeadersAndRecordsTheStatus() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"deleted\":12}").build());
        RunnerHarness.Outcome out = run("{\"http\":{\"method\":\"POST\",\"url\":\"" + url("/admin/cleanup-logs")
                + "\",\"headers\":{\"Authorization\":\"Bearer ${ADMIN_TOKEN}\"},\"body\":\"{\\\"days\\\":2}\"}}",
                Map.of("ADMIN_TOKEN", "s3cr3t-token"));

        assertThat(out.exitCode()).isZero();
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/admin/cleanup-logs");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer s3cr3t-token");
        assertThat(request.getBody().utf8()).isEqualTo("{\"days\":2}");
        assertThat(out.result().path("stats").path("status").asInt()).isEqualTo(200);
        assertThat(out.result().path("stats").has("durationMs")).isTrue();
        assertThat(out.log() + out.resultText()).doesNotContain("s3cr3t-token");
    }

    @Test
    void a5xxIsRetriedAndThenSucceeds() {
        server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        server.enqueue(new MockResponse.Builder().code(204).build());
        RunnerHarness.Outcome out = run("{\"http\":{\"url\":\"" + url("/admin/reset") + "\",\"retries\":2}}", Map.of());
        assertThat(out.exitCode()).isZero();
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(out.result().path("stats").path("status").asInt()).isEqualTo(204);
        assertThat(out.log()).contains("answered 503: busy; retrying");
    }

    @Test
    void anUnexpectedStatusFailsTheRunWithoutRetrying() {
        server.enqueue(new MockResponse.Builder().code(404).body("no such route").build());
        RunnerHarness.Outcome out = run("{\"http\":{\"method\":\"GET\",\"url\":\"" + url("/missing") + "\",\"retries\":3}}", Map.of());
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).contains("answered 404: no such route");
    }

    @Test
    void expectStatusDecidesWhatCountsAsSuccess() {
        server.enqueue(new MockResponse.Builder().code(202).build());
        RunnerHarness.Outcome refused = run("{\"http\":{\"url\":\"" + url("/a") + "\",\"expectStatus\":[200]}}", Map.of());
        assertThat(refused.exitCode()).isEqualTo(1);
        server.enqueue(new MockResponse.Builder().code(409).build());
        RunnerHarness.Outcome accepted = run("{\"http\":{\"url\":\"" + url("/a") + "\",\"expectStatus\":[200, 409]}}", Map.of());
        assertThat(accepted.exitCode()).isZero();
    }

    @Test
    void retriesRunOutIntoAFailedRun() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(500).build());
        }
        RunnerHarness.Outcome out = run("{\"http\":{\"url\":\"" + url("/flaky") + "\",\"retries\":2}}", Map.of());
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(out.result().path("error").asText()).endsWith("after 3 attempt(s)");
    }

    @Test
    void anUnreachableEndpointIsNamedInTheResult() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RunnerHarness.Outcome out = run("{\"http\":{\"url\":\"http://127.0.0.1:" + closedPort + "/admin/cleanup\",\"retries\":0}}", Map.of());
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).contains("failed: ConnectException: ").contains("127.0.0.1:" + closedPort)
                .endsWith("after 1 attempt(s)");
    }

    @Test
    void aMissingVariableIsAConfigurationError() {
        RunnerHarness.Outcome out = run("{\"http\":{\"url\":\"" + url("/x") + "\",\"headers\":{\"X-Api-Key\":\"${API_KEY}\"}}}", Map.of());
        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).startsWith("task.http.headers.X-Api-Key: ${API_KEY} is not set");
        assertThat(server.getRequestCount()).isZero();
    }
}
