package io.nightshift.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.nightshift.operator.config.ApiConnection;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.RunRecord;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away for a while under a running operator and comes back with what it stored, as after
 * a control-plane restart or upgrade. The operator stays up and sees the runs that end afterwards promptly.
 */
class ApiServerOutageTest {

    /** As long as the outage that was reported; {@code -Dnightshift.outage=130s} measures a longer one. */
    static final Duration OUTAGE = Duration.ofSeconds(Long.parseLong(System.getProperty("nightshift.outage", "25s").replace("s", "")));
    static final Duration WANTED = Duration.ofSeconds(15);

    private static final String SUCCESS_DOC = "{\"status\":\"success\",\"executionId\":41,\"startedAt\":\"2026-11-22T03:00:00.100Z\","
            + "\"completedAt\":\"2026-11-22T03:00:40.300Z\",\"durationMs\":40200,\"stats\":{\"deleted\":700,\"batches\":1}}";

    @Test
    void aRunEndingAfterTheServerReturnsReachesTheStatusWithin15Seconds() throws Exception {
        try (RestartableApiServer api = new RestartableApiServer();
                KubernetesClient cluster = new KubernetesClientBuilder().withConfig(api.config()).build();
                KubernetesClient operatorClient = ApiConnection.client(api.config())) {
            cluster.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile())
                    .create();
            NightshiftOperator operator = NightshiftOperator.create(operatorClient, OperatorSettings.defaults("runner:test"), Clock.systemUTC());
            operator.start();
            int port = operator.serveHttp(new InetSocketAddress("127.0.0.1", 0)).port();
            try {
                cluster.resource(Fixtures.logCleanup("ops", "log-cleanup")).create();
                await().atMost(Duration.ofSeconds(20)).until(() -> cluster.batch().v1().cronjobs().inNamespace("ops").withName("log-cleanup").get() != null);
                CronJob cron = cluster.batch().v1().cronjobs().inNamespace("ops").withName("log-cleanup").get();
                ClusterSimulator controllers = new ClusterSimulator(cluster);
                Job job = controllers.scheduleJob(cron, "log-cleanup-29000000", Instant.now());
                Pod pod = controllers.createPod(job);
                await().atMost(Duration.ofSeconds(20)).until(() -> active(cluster) == 1);
                assertThat(status(port, "/readyz")).isEqualTo(200);

                api.stop();
                Instant down = Instant.now();
                // Down: the process stays up and alive; it is not ready, for it sees nothing of the cluster.
                await().atMost(Duration.ofSeconds(10)).until(() -> status(port, "/readyz") == 503);
                Thread.sleep(Duration.between(Instant.now(), down.plus(OUTAGE)).toMillis());
                assertThat(operator.operator().getRuntimeInfo().isStarted()).isTrue();
                assertThat(status(port, "/healthz")).isEqualTo(200);
                assertThat(status(port, "/readyz")).isEqualTo(503);
                assertThat(body(port, "/readyz")).isEqualTo("not ready: not watching the API server (starting, or the server cannot be reached)\n");

                api.start();
                Instant back = Instant.now();
                // The kubelet and the Job controller report the run's end as soon as they reach the server again.
                controllers.terminate(cluster.pods().resource(pod).get(), 0, "Completed", SUCCESS_DOC);
                controllers.finish(cluster.batch().v1().jobs().resource(job).get(), true, "CompletionsReached",
                        "Reached expected number of succeeded pods");

                await().atMost(WANTED.plusSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> lastRun(cluster) != null);
                Duration seen = Duration.between(back, Instant.now());
                System.out.println("after a " + OUTAGE.toSeconds() + " s outage the run reached the status " + seen.toMillis()
                        + " ms after the API server returned");
                assertThat(seen).isLessThanOrEqualTo(WANTED);
                RunRecord run = lastRun(cluster);
                assertThat(run.result()).isEqualTo("success");
                assertThat(run.executionId()).isEqualTo(41);
                await().atMost(WANTED).until(() -> status(port, "/readyz") == 200);
            } finally {
                operator.stop();
            }
        }
    }

    private static RunRecord lastRun(KubernetesClient cluster) {
        MaintenanceJob mj = cluster.resources(MaintenanceJob.class).inNamespace("ops").withName("log-cleanup").get();
        RunRecord run = mj.getStatus() == null ? null : mj.getStatus().getLastRun();
        return run != null && "log-cleanup-29000000".equals(run.jobName()) ? run : null;
    }

    private static int active(KubernetesClient cluster) {
        MaintenanceJob mj = cluster.resources(MaintenanceJob.class).inNamespace("ops").withName("log-cleanup").get();
        return mj.getStatus() == null || mj.getStatus().getActiveRuns() == null ? 0 : mj.getStatus().getActiveRuns().size();
    }

    private static int status(int port, String path) throws Exception {
        return get(port, path).statusCode();
    }

    private static String body(int port, String path) throws Exception {
        return get(port, path).body();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
