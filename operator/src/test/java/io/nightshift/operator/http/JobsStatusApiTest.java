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
import io.nightshift.operator.metrics.MetricNames;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status API lists every job, and a run whose pod cannot start is failed there and in the metrics, as in the CR status. */
@EnableKubernetesMockClient(crud = true)
class JobsStatusApiTest {

    static KubernetesClient client;
    static NightshiftOperator operator;
    static ClusterSimulator cluster;
    static int port;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private static Optional<JsonNode> row(String ns, String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/status?namespace=" + ns)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return StreamSupport.stream(JSON.readTree(response.body()).path("data").spliterator(), false)
                .filter(r -> name.equals(r.path("job_name").asText())).findFirst();
    }

    private static String status(String ns, String name) throws Exception {
        return row(ns, name).map(r -> r.path("status").isNull() ? "null" : r.path("status").asText()).orElse("absent");
    }

    private static String gauge(String metric, String ns, String name) {
        return operator.scrape().lines().filter(l -> l.startsWith(metric + "{") && l.contains("name=\"" + name + "\"")
                && l.contains("namespace=\"" + ns + "\"")).map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("absent");
    }

    @Test
    void everyJobIsListedAndOneThatNeverRanHasNoStatus() throws Exception {
        String ns = "listing-" + NAMESPACES.incrementAndGet();
        CronJob ran = deploy(ns, "log-cleanup");
        deploy(ns, "rate-limit-cleanup");
        client.resource(Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: typo, namespace: %s}
                spec:
                  schedule: "61 3 * * *"
                  database: {secretName: app-db}
                  task: {sql: {statement: "SELECT 1"}}
                """.formatted(ns))).create();
        cluster.run(ran, "log-cleanup-1", 0, "{\"status\":\"success\",\"executionId\":1,\"stats\":{\"deleted\":3}}");

        await().atMost(Duration.ofSeconds(20)).until(() -> status(ns, "log-cleanup").equals("success"));
        JsonNode never = row(ns, "rate-limit-cleanup").orElseThrow();
        assertThat(never.path("status").isNull()).isTrue();
        assertThat(never.path("namespace").asText()).isEqualTo(ns);
        assertThat(never.path("started_at").isNull()).isTrue();
        assertThat(never.path("error_message").isNull()).isTrue();
        assertThat(status(ns, "typo")).as("a job with an invalid spec has not run either").isEqualTo("null");
    }

    @Test
    void aRunWhosePodCannotStartIsFailedWithItsReasonNotRunning() throws Exception {
        String ns = "blocked-" + NAMESPACES.incrementAndGet();
        CronJob cron = deploy(ns, "audio-cleanup");
        Job job = cluster.scheduleJob(cron, "audio-cleanup-1", Instant.now());
        Pod pod = cluster.createPod(job);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(ns, "audio-cleanup").equals("running"));
        assertThat(gauge(MetricNames.RUNNING, ns, "audio-cleanup")).isEqualTo("1.0");

        cluster.waiting(pod, "CreateContainerConfigError", "secret \"supabase\" not found");

        await().atMost(Duration.ofSeconds(20)).until(() -> status(ns, "audio-cleanup").equals("failed"));
        JsonNode row = row(ns, "audio-cleanup").orElseThrow();
        assertThat(row.path("error_message").asText()).contains("CreateContainerConfigError").contains("secret \"supabase\" not found");
        MaintenanceJob mj = client.resources(MaintenanceJob.class).inNamespace(ns).withName("audio-cleanup").get();
        assertThat(mj.getStatus().getLastRun().result()).isEqualTo("failed");
        assertThat(row.path("error_message").asText()).isEqualTo(mj.getStatus().getLastRun().message());
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge(MetricNames.RUNNING, ns, "audio-cleanup").equals("0.0"));
        assertThat(gauge(MetricNames.RUN_STARTED_TIMESTAMP_SECONDS, ns, "audio-cleanup")).isEqualTo("NaN");
    }
}
