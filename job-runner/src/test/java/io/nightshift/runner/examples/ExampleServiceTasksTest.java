package io.nightshift.runner.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples that call a service (audio-cleanup, transcription-cost-update) find their table and
 * columns in examples/schema.sql and do their work there, against stand-ins for Supabase Storage and Deepgram.
 */
@DatabaseFacing
class ExampleServiceTasksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE_KEY = "eyJhbGciOiJIUzI1NiJ9.service-role.test";
    private static final String DEEPGRAM_KEY = "deepgram-test-key";

    @TempDir
    Path dir;

    private TestDatabase db;
    private MockWebServer server;
    /** Files the stand-in Storage bucket "audio" holds. */
    private final Set<String> storedFiles = ConcurrentHashMap.newKeySet();
    /** Deepgram's answer per request id; a request id without one answers 404. */
    private final Map<String, String> deepgramAnswers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.create();
        db.execute(ExampleFiles.schemaSql());
        db.execute("INSERT INTO users (email) VALUES ('ada@example.com')");
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                requests.add(request.getMethod() + " " + path);
                if (path.startsWith("/storage/v1/object/")) {
                    return storage(request);
                }
                if (path.startsWith("/v1/projects/")) {
                    return deepgram(request, path.substring(path.lastIndexOf('/') + 1));
                }
                return new MockResponse.Builder().code(404).build();
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MockResponse storage(RecordedRequest request) {
        if (!("Bearer " + SERVICE_KEY).equals(request.getHeaders().get("Authorization"))) {
            return new MockResponse.Builder().code(403).build();
        }
        try {
            List<String> deleted = new ArrayList<>();
            JSON.readTree(request.getBody().utf8()).path("prefixes").forEach(p -> {
                if (storedFiles.remove(p.asText())) {
                    deleted.add(p.asText());
                }
            });
            List<Map<String, String>> answer = deleted.stream().map(name -> Map.of("name", name, "bucket_id", "audio")).toList();
            return new MockResponse.Builder().code(200).body(JSON.writeValueAsString(answer)).build();
        } catch (Exception e) {
            return new MockResponse.Builder().code(400).build();
        }
    }

    private MockResponse deepgram(RecordedRequest request, String requestId) {
        if (!("Token " + DEEPGRAM_KEY).equals(request.getHeaders().get("Authorization"))) {
            return new MockResponse.Builder().code(401).build();
        }
        String answer = deepgramAnswers.get(requestId);
        return answer == null ? new MockResponse.Builder().code(404).build() : new MockResponse.Builder().code(200).body(answer).build();
    }

    private RunnerHarness.Outcome run(String job, String taskJson, Map<String, String> secrets) {
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env(job, taskJson);
        env.putAll(secrets);
        RunnerHarness.Outcome out = runner.run(env);
        assertThat(out.exitCode()).as("exit code of %s; its log:%n%s", job, out.log()).isZero();
        return out;
    }

    @Test
    void audioCleanupDeletesTheFilesOfTranscriptionsOlderThan30DaysAndForgetsTheirPaths() throws Exception {
        db.execute("INSERT INTO transcriptions (user_id, audio_path, created_at) SELECT u.id, t.path, now() - t.age"
                + " FROM users u, (VALUES ('1/old.webm', interval '31 days'), ('1/older.webm', interval '90 days'),"
                + "   ('1/already-gone.webm', interval '40 days'), (NULL, interval '60 days'), ('1/recent.webm', interval '29 days')) AS t(path, age)");
        storedFiles.addAll(List.of("1/old.webm", "1/older.webm", "1/recent.webm"));

        RunnerHarness.Outcome out = run("audio-cleanup", ExampleFiles.taskJson("audio-cleanup"),
                Map.of("SUPABASE_URL", server.url("/").toString(), "SUPABASE_SERVICE_KEY", SERVICE_KEY));

        JsonNode stats = out.result().path("stats");
        assertThat(stats.path("deleted").asLong()).as("a file the bucket no longer has counts as deleted").isEqualTo(3);
        assertThat(stats.path("failed").asLong()).isZero();
        assertThat(requests).containsExactly("DELETE /storage/v1/object/audio");
        assertThat(storedFiles).containsExactly("1/recent.webm");
        assertThat(db.column("SELECT coalesce(audio_path, '-') FROM transcriptions ORDER BY created_at DESC"))
                .containsExactly("1/recent.webm", "-", "-", "-", "-");
        assertThat(db.column("SELECT count(*) FROM transcriptions")).as("the rows themselves stay").containsExactly("5");
    }

    @Test
    void transcriptionCostUpdateStoresTheCostsDeepgramHasSettled() throws Exception {
        db.execute("INSERT INTO transcriptions (user_id, stt_provider_request_id, audio_cost_usd) SELECT u.id, t.request_id, t.cost"
                + " FROM users u, (VALUES ('proj-1.req-settled', NULL::numeric), ('proj-1.req-pending', NULL), ('proj-1.req-known', 0.5),"
                + "   (NULL, NULL)) AS t(request_id, cost)");
        deepgramAnswers.put("req-settled", "{\"request\":{\"request_id\":\"req-settled\",\"response\":{\"details\":{\"usd\":0.0125}}}}");
        deepgramAnswers.put("req-pending", "{\"request\":{\"request_id\":\"req-pending\",\"response\":{}}}");

        String task = ExampleFiles.taskJson("transcription-cost-update", "baseUrl", server.url("/").toString());
        RunnerHarness.Outcome out = run("transcription-cost-update", task, Map.of("DEEPGRAM_API_KEY", DEEPGRAM_KEY));

        assertThat(out.result().path("stats").toString()).isEqualTo("{\"updated\":1,\"unchanged\":1,\"skipped\":0,\"failed\":0,\"ledgerPruned\":0}");
        assertThat(requests).containsExactlyInAnyOrder("GET /v1/projects/proj-1/requests/req-settled",
                "GET /v1/projects/proj-1/requests/req-pending");
        assertThat(db.column("SELECT coalesce(stt_provider_request_id, '-') || ' ' || coalesce(audio_cost_usd::text, 'unknown')"
                + " FROM transcriptions ORDER BY id"))
                .containsExactly("proj-1.req-settled 0.012500", "proj-1.req-pending unknown", "proj-1.req-known 0.500000", "- unknown");
    }
}
