package io.nightshift.operator.harvest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.operator.ClusterSimulator;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.metrics.MetricNames;
import io.nightshift.operator.reconcile.Conditions;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Finished Jobs become runs in the status, Events and metrics; run-now; the HTTP endpoints. */
@EnableKubernetesMockClient(crud = true)
class RunResultsTest {

    static KubernetesClient client;
    static NightshiftOperator operator;
    static ClusterSimulator cluster;
    static int port;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUCCESS_DOC = "{\"status\":\"success\",\"executionId\":17,\"startedAt\":\"2026-11-22T03:00:00.100Z\","
            + "\"completedAt\":\"2026-11-22T03:00:01.012Z\",\"durationMs\":912,\"stats\":{\"deleted\":1136103,\"batches\":228}}";

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

    private static String namespace() {
        return "runs-" + NAMESPACES.incrementAndGet();
    }

    private static CronJob deploy(String ns, String name) {
        client.resource(Fixtures.logCleanup(ns, name)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.batch().v1().cronjobs().inNamespace(ns).withName(name).get() != null);
        return client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
    }

    private static MaintenanceJob fetch(String ns, String name) {
        return client.resources(MaintenanceJob.class).inNamespace(ns).withName(name).get();
    }

    private static RunRecord awaitLastRun(String ns, String name, String jobName) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            MaintenanceJob mj = fetch(ns, name);
            return mj.getStatus() != null && mj.getStatus().getLastRun() != null && jobName.equals(mj.getStatus().getLastRun().jobName());
        });
        return fetch(ns, name).getStatus().getLastRun();
    }

    private static List<Event> events(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** The value of one series in the Prometheus text format, or null. */
    private static Double metric(String scrape, String name, String... labels) {
        for (String line : scrape.lines().toList()) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return null;
    }

    @Test
    void aSucceededJobBecomesTheLastRunWithItsStatsAnEventAndMetrics() throws Exception {
        String ns = namespace();
        CronJob cron = deploy(ns, "log-cleanup");
        cluster.run(cron, "log-cleanup-29000000", 0, SUCCESS_DOC);

        RunRecord run = awaitLastRun(ns, "log-cleanup", "log-cleanup-29000000");
        assertThat(run.result()).isEqualTo("success");
        assertThat(run.trigger()).isEqualTo("schedule");
        assertThat(run.scheduledTime()).isNotNull();
        assertThat(run.executionId()).isEqualTo(17);
        assertThat(run.durationMs()).isEqualTo(912);
        assertThat(run.stats().get("deleted").asLong()).isEqualTo(1136103);
        MaintenanceJob mj = fetch(ns, "log-cleanup");
        assertThat(mj.getStatus().getLastSuccessfulTime()).isEqualTo("2026-11-22T03:00:01.012Z");
        assertThat(mj.getStatus().getConsecutiveFailures()).isZero();
        assertThat(Conditions.find(mj.getStatus().getConditions(), "LastRunSucceeded").get().getStatus()).isEqualTo("True");
        await().atMost(Duration.ofSeconds(10)).until(() -> !events(ns, "RunSucceeded").isEmpty());
        assertThat(events(ns, "RunSucceeded").get(0).getMessage()).contains("deleted=1136103");

        String scrape = get("/metrics");
        String job = "name=\"log-cleanup\"";
        String inNs = "namespace=\"" + ns + "\"";
        assertThat(metric(scrape, MetricNames.RUNS_TOTAL, job, inNs, "result=\"success\"", "task=\"retention\"")).isEqualTo(1.0);
        assertThat(metric(scrape, MetricNames.LAST_RUN_DURATION_SECONDS, job, inNs)).isEqualTo(0.912);
        assertThat(metric(scrape, MetricNames.LAST_SUCCESS_TIMESTAMP_SECONDS, job, inNs)).isEqualTo(1795316401.012);
        assertThat(metric(scrape, MetricNames.LAST_RUN_STAT, job, inNs, "stat=\"deleted\"")).isEqualTo(1136103.0);
        assertThat(metric(scrape, MetricNames.CONSECUTIVE_FAILURES, job, inNs)).isZero();
        assertThat(metric(scrape, MetricNames.RUNNING, job, inNs)).isZero();
        assertThat(metric(scrape, MetricNames.SUSPENDED, job, inNs)).isZero();
        assertThat(metric(scrape, MetricNames.OVERDUE, job, inNs)).isZero();
        assertThat(metric(scrape, MetricNames.TIMEOUT_SECONDS, job, inNs)).isEqualTo(1800.0);
        assertThat(metric(scrape, MetricNames.NEXT_RUN_TIMESTAMP_SECONDS, job, inNs)).isGreaterThan(System.currentTimeMillis() / 1000.0);
        assertThat(scrape).contains("operator_sdk_");

        // The status API reads the informer's cache, which may still hold the status of the running Job for a moment.
        await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(get("/api/v1/jobs/status?namespace=" + ns)).at("/data/0/status").asText()
                .equals("success"));
        JsonNode api = JSON.readTree(get("/api/v1/jobs/status?namespace=" + ns));
        assertThat(api.path("data")).hasSize(1);
        JsonNode row = api.path("data").get(0);
        assertThat(row.path("job_name").asText()).isEqualTo("log-cleanup");
        assertThat(row.path("namespace").asText()).isEqualTo(ns);
        assertThat(row.path("status").asText()).isEqualTo("success");
        assertThat(row.path("started_at").asText()).isEqualTo("2026-11-22T03:00:00.100Z");
        assertThat(row.path("completed_at").asText()).isEqualTo("2026-11-22T03:00:01.012Z");
        assertThat(row.path("duration_ms").asLong()).isEqualTo(912);
        assertThat(row.path("stats").path("batches").asLong()).isEqualTo(228);
        assertThat(row.path("error_message").isNull()).isTrue();
    }

    @Test
    void failuresCountUpAndASuccessResetsThem() throws Exception {
        String ns = namespace();
        CronJob cron = deploy(ns, "flaky");
        cluster.run(cron, "flaky-1", 1, "{\"status\":\"failed\",\"executionId\":3,\"stats\":{\"deleted\":10},\"error\":\"deadlock detected\"}");
        RunRecord first = awaitLastRun(ns, "flaky", "flaky-1");
        assertThat(first.result()).isEqualTo("failed");
        assertThat(first.message()).isEqualTo("deadlock detected");
        assertThat(fetch(ns, "flaky").getStatus().getConsecutiveFailures()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !events(ns, "RunFailed").isEmpty());
        assertThat(events(ns, "RunFailed").get(0).getType()).isEqualTo("Warning");

        cluster.run(cron, "flaky-2", 1, "{\"status\":\"failed\",\"error\":\"deadlock detected again\"}");
        awaitLastRun(ns, "flaky", "flaky-2");
        assertThat(fetch(ns, "flaky").getStatus().getConsecutiveFailures()).isEqualTo(2);
        assertThat(Conditions.find(fetch(ns, "flaky").getStatus().getConditions(), "LastRunSucceeded").get().getStatus()).isEqualTo("False");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                JSON.readTree(get("/api/v1/jobs/status?namespace=" + ns)).path("data").get(0).path("status").asText().equals("failed"));
        JsonNode api = JSON.readTree(get("/api/v1/jobs/status?namespace=" + ns));
        assertThat(api.path("data").get(0).path("error_message").asText()).isEqualTo("deadlock detected again");
        assertThat(metric(get("/metrics"), MetricNames.CONSECUTIVE_FAILURES, "name=\"flaky\"")).isEqualTo(2.0);

        cluster.run(cron, "flaky-3", 0, SUCCESS_DOC);
        awaitLastRun(ns, "flaky", "flaky-3");
        assertThat(fetch(ns, "flaky").getStatus().getConsecutiveFailures()).isZero();
        assertThat(fetch(ns, "flaky").getStatus().getLastFailureTime()).isNotNull();
        assertThat(metric(get("/metrics"), MetricNames.RUNS_TOTAL, "name=\"flaky\"", "result=\"failed\"")).isEqualTo(2.0);
    }

    @Test
    void theCauseOfAFailedRunReachesTheStatusAndTheEvent() {
        String ns = namespace();
        CronJob cron = deploy(ns, "cost-update");
        String error = "deepgramCostSync public.transcriptions: updated 0, unchanged 0, skipped 0, failed 50; every request failed: "
                + "UnknownHostException: api.deepgram.com after 5 attempts (all 50)";
        cluster.run(cron, "cost-update-1", 1, "{\"status\":\"failed\",\"executionId\":9,\"stats\":{\"updated\":0,\"failed\":50},"
                + "\"error\":\"" + error + "\"}");

        RunRecord run = awaitLastRun(ns, "cost-update", "cost-update-1");
        assertThat(run.message()).isEqualTo(error);
        assertThat(Conditions.find(fetch(ns, "cost-update").getStatus().getConditions(), "LastRunSucceeded").get().getMessage())
                .contains("UnknownHostException: api.deepgram.com after 5 attempts (all 50)");
        await().atMost(Duration.ofSeconds(10)).until(() -> !events(ns, "RunFailed").isEmpty());
        assertThat(events(ns, "RunFailed").get(0).getMessage()).contains("every request failed: UnknownHostException: api.deepgram.com after 5 attempts");
    }

    @Test
    void aPodKilledForMemoryIsAFailedRunWithKubernetesReason() {
        String ns = namespace();
        CronJob cron = deploy(ns, "hungry");
        Job job = cluster.scheduleJob(cron, "hungry-1", java.time.Instant.now());
        Pod pod = cluster.createPod(job);
        cluster.terminate(pod, 137, "OOMKilled", null);
        cluster.finish(job, false, "BackoffLimitExceeded", "Job has reached the specified backoff limit");

        RunRecord run = awaitLastRun(ns, "hungry", "hungry-1");
        assertThat(run.result()).isEqualTo("failed");
        assertThat(run.reason()).isEqualTo("OOMKilled");
        assertThat(run.message()).contains("exit code 137");
    }

    @Test
    void aRunStoppedAtItsTimeoutSaysSoThoughTheRunnerOnlySawASigterm() {
        String ns = namespace();
        CronJob cron = deploy(ns, "slow");
        Job job = cluster.scheduleJob(cron, "slow-1", java.time.Instant.now());
        Pod pod = cluster.createPod(job);
        cluster.terminate(pod, 1, "Error", "{\"status\":\"failed\",\"executionId\":5,\"stats\":{\"deleted\":4000},"
                + "\"error\":\"terminated before completion: canceling statement due to user request\"}");
        cluster.finish(job, false, "DeadlineExceeded", "Job was active longer than specified deadline");

        RunRecord run = awaitLastRun(ns, "slow", "slow-1");
        assertThat(run.result()).isEqualTo("failed");
        assertThat(run.reason()).isEqualTo("DeadlineExceeded");
        assertThat(run.executionId()).isEqualTo(5);
        assertThat(run.message()).isEqualTo("DeadlineExceeded: Job was active longer than specified deadline; "
                + "terminated before completion: canceling statement due to user request");
    }

    @Test
    void aPodThatCannotStartIsReportedAtOnce() {
        String ns = namespace();
        CronJob cron = deploy(ns, "no-secret");
        Job job = cluster.scheduleJob(cron, "no-secret-1", java.time.Instant.now());
        Pod pod = cluster.createPod(job);
        cluster.waiting(pod, "CreateContainerConfigError", "secret \"app-db\" not found");

        RunRecord run = awaitLastRun(ns, "no-secret", "no-secret-1");
        assertThat(run.result()).isEqualTo("failed");
        assertThat(run.reason()).isEqualTo("CreateContainerConfigError");
        assertThat(run.message()).contains("secret \"app-db\" not found");
        await().atMost(Duration.ofSeconds(10)).until(() -> !events(ns, "RunBlocked").isEmpty());

        // When the deadline finally fails the Job, the run is not recorded a second time.
        cluster.finish(job, false, "DeadlineExceeded", "Job was active longer than specified deadline");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                fetch(ns, "no-secret").getStatus().getRecentRuns().size() == 1);
        assertThat(fetch(ns, "no-secret").getStatus().getConsecutiveFailures()).isEqualTo(1);
    }

    @Test
    void recentRunsKeepTheLastTenNewestFirstAndEachJobOnce() {
        String ns = namespace();
        CronJob cron = deploy(ns, "busy");
        for (int i = 1; i <= 12; i++) {
            cluster.run(cron, "busy-" + i, 0, SUCCESS_DOC.replace("\"executionId\":17", "\"executionId\":" + i)
                    .replace("03:00:01.012Z", "03:%02d:01.012Z".formatted(i)));
            awaitLastRun(ns, "busy", "busy-" + i);
        }
        List<RunRecord> recent = fetch(ns, "busy").getStatus().getRecentRuns();
        assertThat(recent).hasSize(10);
        assertThat(recent.get(0).jobName()).isEqualTo("busy-12");
        assertThat(recent.stream().map(RunRecord::jobName).toList()).containsExactly("busy-12", "busy-11", "busy-10", "busy-9", "busy-8",
                "busy-7", "busy-6", "busy-5", "busy-4", "busy-3");

        // a recorded Job seen again (any update) is not recorded again
        client.batch().v1().jobs().inNamespace(ns).withName("busy-12").edit(j -> {
            j.getMetadata().getLabels().put("touched", "yes");
            return j;
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> fetch(ns, "busy").getStatus().getRecentRuns().stream().filter(r -> r.jobName().equals("busy-12")).count() == 1);
    }

    @Test
    void runNowStartsOneJobPerValue() {
        String ns = namespace();
        deploy(ns, "on-demand");
        annotate(ns, "on-demand", MetadataKeys.RUN_NOW_ANNOTATION, "first");
        await().atMost(Duration.ofSeconds(20)).until(() -> manualJobs(ns).size() == 1);
        Job manual = manualJobs(ns).get(0);
        assertThat(manual.getMetadata().getLabels()).containsEntry("nightshift.io/trigger", "manual");
        assertThat(manual.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly("run");
        await().atMost(Duration.ofSeconds(20)).until(() -> "first".equals(fetch(ns, "on-demand").getStatus().getLastRunNow()));

        // the same value again, and an unrelated change: no new Job
        annotate(ns, "on-demand", "note", "unrelated");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> manualJobs(ns).size() == 1);

        annotate(ns, "on-demand", MetadataKeys.RUN_NOW_ANNOTATION, "second");
        await().atMost(Duration.ofSeconds(20)).until(() -> manualJobs(ns).size() == 2);
    }

    @Test
    void aDeletedJobsSeriesDisappear() throws Exception {
        String ns = namespace();
        deploy(ns, "short-lived");
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(get("/metrics"), MetricNames.SUSPENDED, "name=\"short-lived\"") != null);
        client.resources(MaintenanceJob.class).inNamespace(ns).withName("short-lived").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/metrics").lines()
                .noneMatch(l -> l.startsWith("nightshift_") && l.contains("name=\"short-lived\"")));
    }

    @Test
    void anInvalidSpecIsAWarningEvent() {
        String ns = namespace();
        client.resource(Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: typo, namespace: %s}
                spec:
                  schedule: "0 3 * * *"
                  database: {secretName: app-db}
                  task: {retention: {table: system_logs, timestampColumn: timestamp, olderThan: 2dd}}
                """.formatted(ns))).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> !events(ns, "InvalidSpec").isEmpty());
        Event event = events(ns, "InvalidSpec").get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).startsWith("spec.task.retention.olderThan: '2dd' is not a duration");
        assertThat(event.getInvolvedObject().getName()).isEqualTo("typo");
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertThat(get("/healthz")).isEqualTo("ok\n");
        assertThat(get("/readyz")).isEqualTo("ready\n");
    }

    /** As kubectl annotate --overwrite does it: a merge patch, no resourceVersion. */
    private static void annotate(String ns, String name, String key, String value) {
        client.resources(MaintenanceJob.class).inNamespace(ns).withName(name).patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
    }

    private static List<Job> manualJobs(String ns) {
        return client.batch().v1().jobs().inNamespace(ns).withLabel("nightshift.io/trigger", "manual").list().getItems();
    }
}
