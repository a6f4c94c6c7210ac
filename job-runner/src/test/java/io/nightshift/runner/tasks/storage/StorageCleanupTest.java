package io.nightshift.runner.tasks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** storageCleanup against a stand-in Supabase Storage and real PostgreSQL. */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class StorageCleanupTest {

    @Parameter
    ConnectionTarget target;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "eyJhbGciOiJIUzI1NiJ9.service-role.secret";

    @TempDir
    Path dir;

    private MockWebServer server;
    private TestDatabase db;
    private final Set<String> stored = ConcurrentHashMap.newKeySet();
    private final List<List<String>> asked = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private volatile int failureStatus = 503;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE transcriptions (id serial PRIMARY KEY, audio_path text, created_at timestamptz NOT NULL, "
                + "audio_deleted_at timestamptz)");
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                authorizations.add(String.valueOf(request.getHeaders().get("Authorization")) + "|" + request.getHeaders().get("apikey"));
                if (failuresToServe.getAndDecrement() > 0) {
                    return new MockResponse.Builder().code(failureStatus).body("{\"error\":\"unavailable\"}").build();
                }
                try {
                    JsonNode body = JSON.readTree(request.getBody().utf8());
                    List<String> paths = new ArrayList<>();
                    body.path("prefixes").forEach(p -> paths.add(p.asText()));
                    asked.add(paths);
                    StringBuilder answer = new StringBuilder("[");
                    for (String path : paths) {
                        if (stored.remove(path)) {
                            answer.append(answer.length() > 1 ? "," : "").append("{\"name\":\"").append(path).append("\",\"bucket_id\":\"audio\"}");
                        }
                    }
                    return new MockResponse.Builder().code(200).body(answer.append("]").toString()).build();
                } catch (Exception e) {
                    return new MockResponse.Builder().code(400).build();
                }
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** n old rows with files, plus one new row and one old row without a path. */
    private void rows(int n) {
        db.execute("INSERT INTO transcriptions (audio_path, created_at) SELECT 'u/' || g || '.webm', now() - interval '40 days' "
                + "FROM generate_series(1, " + n + ") g;"
                + "INSERT INTO transcriptions (audio_path, created_at) VALUES ('u/new.webm', now() - interval '1 day'), (NULL, now() - interval '90 days')");
        for (int i = 1; i <= n; i++) {
            stored.add("u/" + i + ".webm");
        }
        stored.add("u/new.webm");
    }

    private RunnerHarness.Outcome run(String extra) {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env("audio-cleanup", "{\"storageCleanup\":{\"bucket\":\"audio\",\"table\":\"transcriptions\","
                + "\"pathColumn\":\"audio_path\",\"timestampColumn\":\"created_at\"" + extra + "}}");
        env.put("SUPABASE_URL", server.url("/").toString());
        env.put("SUPABASE_SERVICE_KEY", KEY);
        return runner.run(env);
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void deletesOldFilesInBulkAndMarksTheirRows() throws Exception {
        rows(5);
        RunnerHarness.Outcome out = run(",\"batchSize\":2");

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("deleted").asLong()).isEqualTo(5);
        assertThat(out.result().path("stats").path("failed").asLong()).isZero();
        assertThat(asked).hasSize(3).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(2));
        assertThat(stored).containsExactly("u/new.webm");
        assertThat(count("SELECT count(*) FROM transcriptions WHERE audio_path IS NOT NULL")).isEqualTo(1);
        assertThat(authorizations).allSatisfy(a -> assertThat(a).isEqualTo("Bearer " + KEY + "|" + KEY));
        assertThat(out.log() + out.resultText()).doesNotContain(KEY);

        RunnerHarness.Outcome again = run("");
        assertThat(again.result().path("stats").path("deleted").asLong()).as("nothing is asked twice").isZero();
        assertThat(asked).hasSize(3);
    }

    @Test
    void aFileTheStorageNoLongerHasCountsAsDeletedAndIsMarked() throws Exception {
        rows(3);
        stored.remove("u/2.webm");
        RunnerHarness.Outcome out = run(",\"deletedAtColumn\":\"audio_deleted_at\"");

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("deleted").asLong()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM transcriptions WHERE audio_deleted_at IS NOT NULL")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM transcriptions WHERE audio_path IS NOT NULL")).as("paths kept with deletedAtColumn").isEqualTo(4);
        assertThat(out.log()).contains("1 of 3 files were already gone");
    }

    @Test
    void aServerErrorIsRetried() throws Exception {
        rows(2);
        failuresToServe.set(1);
        RunnerHarness.Outcome out = run("");
        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("deleted").asLong()).isEqualTo(2);
        assertThat(out.log()).contains("answered 503, retrying");
    }

    @Test
    void whenEveryRequestFailsTheRunFailsAndRowsWaitForTheNextRun() throws Exception {
        rows(2);
        failuresToServe.set(100);
        RunnerHarness.Outcome out = run("");
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.result().path("stats").path("failed").asLong()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).contains("every request failed: answered 503 after 3 attempts");
        assertThat(count("SELECT count(*) FROM transcriptions WHERE audio_path IS NOT NULL")).isEqualTo(3);
    }

    @Test
    void anUnreachableStorageIsNamedInTheResult() throws Exception {
        rows(2);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env("audio-cleanup", "{\"storageCleanup\":{\"bucket\":\"audio\",\"table\":\"transcriptions\","
                + "\"pathColumn\":\"audio_path\",\"timestampColumn\":\"created_at\"}}");
        env.put("SUPABASE_URL", "http://127.0.0.1:" + closedPort);
        env.put("SUPABASE_SERVICE_KEY", KEY);

        RunnerHarness.Outcome out = runner.run(env);

        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).contains("every request failed: ConnectException: ")
                .contains("127.0.0.1:" + closedPort).endsWith("after 3 attempts");
    }

    @Test
    void aRefusedKeyStopsTheRun() {
        rows(2);
        failuresToServe.set(100);
        failureStatus = 401;
        RunnerHarness.Outcome out = run("");
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).contains("refused the key (401)");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void missingCredentialsOrColumnsAreConfigurationErrors() {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env("audio-cleanup", "{\"storageCleanup\":{\"bucket\":\"audio\",\"table\":\"transcriptions\","
                + "\"pathColumn\":\"audio_path\",\"timestampColumn\":\"created_at\"}}");
        RunnerHarness.Outcome noKey = runner.run(env);
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.result().path("error").asText()).startsWith("SUPABASE_URL is not set");

        RunnerHarness.Outcome noColumn = run(",\"deletedAtColumn\":\"removed_at\"");
        assertThat(noColumn.exitCode()).isEqualTo(2);
        assertThat(noColumn.result().path("error").asText()).contains("has no column \"removed_at\"");
    }
}
