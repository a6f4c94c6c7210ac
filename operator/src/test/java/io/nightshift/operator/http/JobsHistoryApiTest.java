package io.nightshift.operator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nightshift.operator.ClusterSimulator;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.resource.MaintenanceJob;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin dashboard's view over a real socket: the status at the original application's path too, a running job
 * with the start of its run, the history of one job newest first, and a clear 400 or 404 for what cannot be answered.
 */
@EnableKubernetesMockClient(crud = true)
class JobsHistoryApiTest {

    static final List<String> ROW_FIELDS = List.of("job_name", "namespace", "status", "started_at", "completed_at", "duration_ms", "stats",
            "error_message");

    static KubernetesClient client;
    static NightshiftOperator operator;
    static ClusterSimulator cluster;
    static int port;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        operator = NightshiftOperator.create(client, OperatorSettings.defaults("runner:test"), Clock.systemUTC());
        operator.start();
        port = operator.serveHttp(new InetSocketAddress("127.0.0.1", 0)).port();
        cluster = new ClusterSimulator(client);
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    private static CronJob deploy(String ns, String name) {
        client.resource(Fixtures.logCleanup(ns, name)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.batch().v1().cronjobs().inNamespace(ns).withName(name).get() != null);
        return client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    private static String error(String path, int status) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(response.body()).path("error").asText();
    }

    private static List<String> fields(JsonNode row) {
        List<String> names = new ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** What the operator recorded as the start of a Job's run, checked to be the Job's start or its creation. */
    private static String startOf(String maintenanceJob, Job job) throws Exception {
        String ns = job.getMetadata().getNamespace();
        await().atMost(Duration.ofSeconds(20)).until(() -> resource(ns, maintenanceJob).getStatus().getActiveRuns() != null);
        String recorded = resource(ns, maintenanceJob).getStatus().getActiveRuns().stream()
                .filter(r -> r.jobName().equals(job.getMetadata().getName())).findFirst().orElseThrow().startedAt();
        Job now = client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).get();
        assertThat(Instant.parse(recorded)).isIn(Instant.parse(now.getStatus().getStartTime()), Instant.parse(now.getMetadata().getCreationTimestamp()));
        return Instant.parse(recorded).toString();
    }

    private static MaintenanceJob resource(String ns, String name) {
        return client.resources(MaintenanceJob.class).inNamespace(ns).withName(name).get();
    }

    @Test
    void aRunningJobsRowCarriesTheStartOfItsRunAtBothPaths() throws Exception {
        String ns = "running-" + NAMESPACES.incrementAndGet();
        CronJob cron = deploy(ns, "log-cleanup");
        Job job = cluster.scheduleJob(cron, "log-cleanup-29000001", Instant.parse("2026-12-03T03:00:00Z"));
        cluster.createPod(job);
        String started = startOf("log-cleanup", job);

        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(ok("/api/v1/jobs/status?namespace=" + ns).at("/data/0/status").asText()));
        JsonNode row = ok("/api/v1/jobs/status?namespace=" + ns).at("/data/0");
        assertThat(fields(row)).containsExactlyElementsOf(ROW_FIELDS);
        assertThat(row.path("job_name").asText()).isEqualTo("log-cleanup");
        assertThat(row.path("started_at").asText()).isEqualTo(started);
        assertThat(row.path("completed_at").isNull()).isTrue();
        assertThat(row.path("duration_ms").isNull()).isTrue();
        assertThat(row.path("error_message").isNull()).isTrue();
        assertThat(resource(ns, "log-cleanup").getStatus().getActiveRuns()).singleElement()
                .satisfies(r -> assertThat(r.scheduledTime()).isEqualTo("2026-12-03T03:00:00Z"));

        assertThat(get("/internal/api/v1/jobs/status?namespace=" + ns).body()).as("the original application's path, the same JSON")
                .isEqualTo(get("/api/v1/jobs/status?namespace=" + ns).body());
        assertThat(ok("/internal/api/v1/jobs/status").path("data").size()).isEqualTo(ok("/api/v1/jobs/status").path("data").size());
        JsonNode history = ok("/api/v1/jobs/" + ns + "/log-cleanup/runs");
        assertThat(history.path("data")).singleElement().satisfies(r -> {
            assertThat(r.path("status").asText()).isEqualTo("running");
            assertThat(r.path("started_at").asText()).isEqualTo(started);
        });
    }

    @Test
    void theRunsOfAJobAreListedNewestFirstWithTheFieldsOfTheStatusRows() throws Exception {
        String ns = "history-" + NAMESPACES.incrementAndGet();
        CronJob cron = deploy(ns, "log-cleanup");
        cluster.run(cron, "log-cleanup-1", 0, "{\"status\":\"success\",\"executionId\":1,\"stats\":{\"deleted\":3}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> ok("/api/v1/jobs/" + ns + "/log-cleanup/runs").path("data").size() == 1);
        cluster.run(cron, "log-cleanup-2", 1, "{\"status\":\"failed\",\"executionId\":2,\"error\":\"relation \\\"logs\\\" does not exist\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> ok("/api/v1/jobs/" + ns + "/log-cleanup/runs").path("data").size() == 2);
        Job running = cluster.scheduleJob(cron, "log-cleanup-3", Instant.now());
        Pod pod = cluster.createPod(running);
        await().atMost(Duration.ofSeconds(20)).until(() -> ok("/api/v1/jobs/" + ns + "/log-cleanup/runs").path("data").size() == 3);

        JsonNode data = ok("/api/v1/jobs/" + ns + "/log-cleanup/runs").path("data");
        List<String> statuses = new ArrayList<>();
        data.forEach(r -> statuses.add(r.path("status").asText()));
        assertThat(statuses).containsExactly("running", "failed", "success");
        data.forEach(r -> {
            assertThat(fields(r)).containsExactlyElementsOf(ROW_FIELDS);
            assertThat(r.path("job_name").asText()).isEqualTo("log-cleanup");
            assertThat(r.path("namespace").asText()).isEqualTo(ns);
            assertThat(r.path("started_at").isTextual()).isTrue();
        });
        assertThat(data.at("/0/started_at").asText()).isEqualTo(startOf("log-cleanup", running));
        assertThat(data.at("/1/error_message").asText()).isEqualTo("relation \"logs\" does not exist");
        assertThat(data.at("/1/completed_at").isTextual()).isTrue();
        assertThat(data.at("/2/stats/deleted").asInt()).isEqualTo(3);
        assertThat(data.at("/2/error_message").isNull()).isTrue();
        assertThat(data.at("/2/duration_ms").isNumber()).isTrue();

        JsonNode two = ok("/api/v1/jobs/" + ns + "/log-cleanup/runs?limit=2").path("data");
        assertThat(two).hasSize(2);
        assertThat(two.at("/1/status").asText()).isEqualTo("failed");
        assertThat(ok("/api/v1/jobs/" + ns + "/log-cleanup/runs?limit=50").path("data")).hasSize(3);

        cluster.terminate(pod, 0, "Completed", "{\"status\":\"success\",\"executionId\":3}");
        cluster.finish(running, true, "CompletionsReached", "Reached expected number of succeeded pods");
        await().atMost(Duration.ofSeconds(20)).until(() -> "success".equals(ok("/api/v1/jobs/" + ns + "/log-cleanup/runs").at("/data/0/status").asText()));
        assertThat(ok("/api/v1/jobs/" + ns + "/log-cleanup/runs").path("data")).as("the finished run is listed once").hasSize(3);
        assertThat(resource(ns, "log-cleanup").getStatus().getActiveRuns()).isNull();
    }

    @Test
    void aJobThatNeverRanHasNoRunsAndAnUnknownJobIsNotFound() throws Exception {
        String ns = "unknown-" + NAMESPACES.incrementAndGet();
        deploy(ns, "log-cleanup");
        assertThat(ok("/api/v1/jobs/" + ns + "/log-cleanup/runs").toString()).isEqualTo("{\"data\":[]}");
        assertThat(error("/api/v1/jobs/" + ns + "/vacuum/runs", 404)).isEqualTo("no MaintenanceJob vacuum in namespace " + ns);
        assertThat(error("/api/v1/jobs/nowhere/log-cleanup/runs", 404)).isEqualTo("no MaintenanceJob log-cleanup in namespace nowhere");
        assertThat(error("/api/v1/jobs/" + ns + "/log-cleanup", 404)).contains("no such path");
        assertThat(error("/api/v1/jobs/" + ns + "/log-cleanup/runs/1", 404)).contains("no such path");
        assertThat(error("/internal/api/v1/jobs/statuses", 404)).contains("no such path");
    }

    @Test
    void aBadLimitOrQueryIsA400NamingIt() throws Exception {
        String ns = "limits-" + NAMESPACES.incrementAndGet();
        deploy(ns, "log-cleanup");
        String runs = "/api/v1/jobs/" + ns + "/log-cleanup/runs";
        for (String limit : List.of("0", "-1", "ten", "1.5", "99999999999")) {
            assertThat(error(runs + "?limit=" + limit, 400)).as(limit).isEqualTo("limit must be a positive integer, got \"" + limit + "\"");
        }
        assertThat(error(runs + "?limit=", 400)).startsWith("limit is empty");
        assertThat(error(runs + "?limit=1&limit=2", 400)).isEqualTo("limit is given more than once");
        assertThat(error(runs + "?days=30", 400)).isEqualTo("unknown query parameter \"days\"; this endpoint takes limit");
        assertThat(error("/api/v1/jobs/" + ns + "/Log_Cleanup/runs", 400)).startsWith("name \"Log_Cleanup\" is not a MaintenanceJob name");
        assertThat(error("/api/v1/jobs/Team_A/log-cleanup/runs", 400)).startsWith("namespace \"Team_A\" is not a namespace name");
    }

    @Test
    void theStatusOfANamespaceKeepsWorkingAndABadQueryIsA400() throws Exception {
        String ns = "query-" + NAMESPACES.incrementAndGet();
        deploy(ns, "log-cleanup");
        JsonNode own = ok("/api/v1/jobs/status?namespace=" + ns);
        assertThat(own.path("data")).singleElement().satisfies(r -> {
            assertThat(r.path("job_name").asText()).isEqualTo("log-cleanup");
            assertThat(r.path("status").isNull()).isTrue();
        });
        assertThat(ok("/api/v1/jobs/status?namespace=no-such-namespace").toString()).isEqualTo("{\"data\":[]}");
        assertThat(ok("/internal/api/v1/jobs/status?namespace=no-such-namespace").toString()).isEqualTo("{\"data\":[]}");

        for (String path : List.of("/api/v1/jobs/status", "/internal/api/v1/jobs/status")) {
            assertThat(error(path + "?namespace=", 400)).as(path).startsWith("namespace is empty");
            assertThat(error(path + "?namespace", 400)).as(path).startsWith("namespace is empty");
            assertThat(error(path + "?namespace=Team_A", 400)).as(path).startsWith("namespace \"Team_A\" is not a namespace name");
            assertThat(error(path + "?ns=" + ns, 400)).as(path).isEqualTo("unknown query parameter \"ns\"; this endpoint takes namespace");
            assertThat(error(path + "?namespace=" + ns + "&namespace=other", 400)).as(path).isEqualTo("namespace is given more than once");
        }
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + ns + "/log-cleanup/runs"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
