package io.nightshift.runner.tasks.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.api.Task;
import io.nightshift.runner.tasks.TaskOutcome;
import io.nightshift.runner.tasks.TaskParser;
import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.SimpleTaskContext;
import io.nightshift.runner.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

/** deepgramCostSync against a stand-in Deepgram API and real PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class DeepgramCostSyncTest {

    @Parameter
    ConnectionTarget target;

    private static final String KEY = "dg-secret-key-123";

    @TempDir
    Path dir;

    private MockWebServer server;
    private TestDatabase db;
    /** Per request id: the answers to give, in order; the last one repeats. */
    private final Map<String, List<MockResponse>> answers = new ConcurrentHashMap<>();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile long delayMs;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE transcriptions (id serial PRIMARY KEY, stt_provider_request_id text, audio_cost_usd numeric(12, 6))");
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                arrivals.add(System.nanoTime());
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    if (delayMs > 0) {
                        Thread.sleep(delayMs);
                    }
                    if (!("Token " + KEY).equals(request.getHeaders().get("Authorization"))) {
                        return new MockResponse.Builder().code(401).build();
                    }
                    String path = request.getUrl().encodedPath();
                    String id = path.substring(path.lastIndexOf('/') + 1);
                    int n = calls.computeIfAbsent(id, k -> new AtomicInteger()).getAndIncrement();
                    List<MockResponse> list = answers.get(id);
                    if (list == null) {
                        return new MockResponse.Builder().code(404).build();
                    }
                    return list.get(Math.min(n, list.size() - 1));
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static MockResponse ok(String json) {
        return new MockResponse.Builder().code(200).body(json).build();
    }

    private void row(String requestId, String cost) {
        db.execute("INSERT INTO transcriptions (stt_provider_request_id, audio_cost_usd) VALUES ("
                + (requestId == null ? "NULL" : "'" + requestId + "'") + ", " + (cost == null ? "NULL" : cost) + ")");
    }

    private RunnerHarness.Outcome run(String extra, String key) {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env("cost-update", "{\"deepgramCostSync\":{\"baseUrl\":\"" + server.url("/").toString() + "\"" + extra + "}}");
        if (key != null) {
            env.put("DEEPGRAM_API_KEY", key);
        }
        return runner.run(env);
    }

    private String cost(String requestId) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT audio_cost_usd::text FROM transcriptions WHERE stt_provider_request_id = '" + requestId + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void storesCostsFromBothResponseShapesWithExactStats() throws Exception {
        row("p1.new-shape", null);
        row("p1.old-shape", null);
        row("p1.no-cost-yet", null);
        row("p1.unknown", null);
        row("nodot", null);
        row("p1.already", "0.5");
        row(null, null);
        answers.put("new-shape", List.of(ok("{\"request\":{\"response\":{\"details\":{\"usd\":0.0123}}}}")));
        answers.put("old-shape", List.of(ok("{\"request_id\":\"x\",\"response\":{\"details\":{\"usd\":0.25}}}")));
        answers.put("no-cost-yet", List.of(ok("{\"request\":{\"response\":{}}}")));

        RunnerHarness.Outcome out = run(",\"countExistingAsUnchanged\":true", KEY);

        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").toString())
                .isEqualTo("{\"updated\":2,\"unchanged\":2,\"skipped\":2,\"failed\":0,\"ledgerPruned\":0}");
        assertThat(cost("p1.new-shape")).isEqualTo("0.012300");
        assertThat(cost("p1.old-shape")).isEqualTo("0.250000");
        assertThat(cost("p1.no-cost-yet")).isNull();
        assertThat(cost("p1.already")).isEqualTo("0.500000");
        assertThat(calls).doesNotContainKey("nodot");
        assertThat(out.log() + out.resultText()).doesNotContain(KEY);
    }

    @Test
    void a429IsRetriedAfterRetryAfterOrBackoff() throws Exception {
        row("p.a", null);
        row("p.b", null);
        answers.put("a", List.of(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build(), ok("{\"response\":{\"details\":{\"usd\":1}}}")));
        answers.put("b", List.of(new MockResponse.Builder().code(429).build(), ok("{\"response\":{\"details\":{\"usd\":2}}}")));
        RunnerHarness.Outcome out = run("", KEY);
        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("updated").asInt()).isEqualTo(2);
        assertThat(calls.get("a").get()).isEqualTo(2);
        assertThat(calls.get("b").get()).isEqualTo(2);
    }

    @Test
    void aRefusedKeyStopsTheRun() {
        for (int i = 0; i < 20; i++) {
            row("p.r" + i, null);
        }
        RunnerHarness.Outcome out = run(",\"concurrency\":2", "wrong-key");
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.result().path("error").asText()).contains("refused the API key (401)");
        assertThat(server.getRequestCount()).isLessThanOrEqualTo(4);
    }

    @Test
    void malformedJsonIsAFailedLookup() {
        row("p.bad", null);
        row("p.good", null);
        answers.put("bad", List.of(ok("<html>oops")));
        answers.put("good", List.of(ok("{\"response\":{\"details\":{\"usd\":3}}}")));
        RunnerHarness.Outcome out = run("", KEY);
        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("failed").asInt()).isEqualTo(1);
        assertThat(out.result().path("stats").path("updated").asInt()).isEqualTo(1);
    }

    @Test
    void neverMoreInFlightThanConcurrencyNorMoreStartsPerSecondThanTheCap() {
        org.junit.jupiter.api.Assumptions.assumeTrue(target == ConnectionTarget.DIRECT,
                "the request rate does not depend on how the database is reached: measured once, directly");
        for (int i = 0; i < 15; i++) {
            row("p.c" + i, null);
            answers.put("c" + i, List.of(ok("{\"response\":{\"details\":{\"usd\":0.01}}}")));
        }
        delayMs = 300;
        RunnerHarness.Outcome out = run(",\"concurrency\":3,\"maxRequestsPerSecond\":5", KEY);
        assertThat(out.exitCode()).isZero();
        assertThat(out.result().path("stats").path("updated").asInt()).isEqualTo(15);
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(3);
        List<Long> times = arrivals.stream().sorted().toList();
        for (int i = 0; i < times.size(); i++) {
            int j = i;
            long inWindow = times.stream().filter(t -> t >= times.get(j) && t < times.get(j) + TimeUnit.SECONDS.toNanos(1)).count();
            assertThat(inWindow).as("requests within one second of request %d", i).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void aRunKilledMidwayLosesNothingAndTheRerunUpdatesNothingTwice() throws Exception {
        for (int i = 0; i < 40; i++) {
            row("p.k" + i, null);
            answers.put("k" + i, List.of(ok("{\"response\":{\"details\":{\"usd\":0.0" + (i + 10) + "}}}")));
        }
        delayMs = 100;
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env("cost-update", "{\"deepgramCostSync\":{\"baseUrl\":\"" + server.url("/").toString()
                + "\",\"concurrency\":2,\"maxRequestsPerSecond\":20}}");
        env.put("DEEPGRAM_API_KEY", KEY);
        Process child = runner.start(env, dir.resolve("killed.log"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> stored() >= 10);
        child.destroyForcibly().waitFor();
        long storedBeforeRerun = stored();
        assertThat(storedBeforeRerun).as("killed midway").isLessThan(40);
        java.util.Set<String> storedIds = storedIds();

        RunnerHarness.Outcome rerun = runner.run(env);

        assertThat(rerun.exitCode()).isZero();
        assertThat(stored()).as("nothing lost").isEqualTo(40);
        assertThat(rerun.result().path("stats").path("updated").asLong()).isEqualTo(40 - storedBeforeRerun);
        for (String id : storedIds) {
            assertThat(calls.get(id.substring(2)).get()).as("%s, stored before the kill, is not asked again", id).isEqualTo(1);
        }
    }

    private long stored() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM transcriptions WHERE audio_cost_usd IS NOT NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private java.util.Set<String> storedIds() throws Exception {
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT stt_provider_request_id FROM transcriptions WHERE audio_cost_usd IS NOT NULL")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    @Test
    void aMissingKeyIsAConfigurationError() {
        RunnerHarness.Outcome out = run("", null);
        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).startsWith("DEEPGRAM_API_KEY is not set");
    }

    /** The runner as a pod runs it, with millisecond backoffs so that five attempts per request take no time. */
    private TaskOutcome runWithShortBackoff(String baseUrl) throws Exception {
        Task task = TaskParser.parse("{\"deepgramCostSync\":{\"secretName\":\"deepgram\",\"baseUrl\":\"" + baseUrl + "\",\"concurrency\":8,\"maxRequestsPerSecond\":1000}}");
        return new DeepgramCostSyncRunner(task.deepgramCostSync(), 1).run(new SimpleTaskContext(db, Map.of("DEEPGRAM_API_KEY", KEY), false));
    }

    @Test
    void whenEveryRequestFailsTheResultNamesTheCause() throws Exception {
        for (int i = 0; i < 50; i++) {
            row("p.x" + i, null);
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        TaskOutcome outcome = runWithShortBackoff("http://127.0.0.1:" + closedPort);

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.summary()).contains("failed 50; every request failed: ConnectException: ")
                .contains("127.0.0.1:" + closedPort).endsWith(" after 5 attempts (all 50)");
        assertThat(outcome.summary().length()).isLessThan(500);
    }

    @Test
    void mixedFailuresNameTheMostCommonCauseAndTheFirst() throws Exception {
        for (int i = 0; i < 6; i++) {
            row("p.busy" + i, null);
            answers.put("busy" + i, List.of(new MockResponse.Builder().code(503).build()));
        }
        row("p.teapot", null);
        answers.put("teapot", List.of(new MockResponse.Builder().code(418).build()));

        TaskOutcome outcome = runWithShortBackoff(server.url("/").toString());

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.summary()).contains("every request failed: most often answered 503 after 5 attempts (6 of 7)");
    }
}
