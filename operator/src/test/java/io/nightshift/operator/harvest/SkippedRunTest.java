package io.nightshift.operator.harvest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nightshift.operator.ClusterSimulator;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.metrics.MetricNames;
import io.nightshift.operator.reconcile.Conditions;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.RunRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run the runner skipped (its slot was already done, another run held the lock, or its Job's run had
 * already succeeded) is listed, counted and announced like any other, and changes no success.
 */
@EnableKubernetesMockClient(crud = true)
class SkippedRunTest {

    static KubernetesClient client;
    static NightshiftOperator operator;
    static ClusterSimulator cluster;
    private static final String SUCCESS_DOC = "{\"status\":\"success\",\"executionId\":17,\"startedAt\":\"2026-12-02T06:44:01Z\","
            + "\"completedAt\":\"2026-12-02T06:44:02Z\",\"durationMs\":1000,\"stats\":{\"deleted\":12},\"slot\":\"2026-12-02T06:44:00Z\"}";
    private static final String SKIPPED_DOC = "{\"status\":\"skipped\",\"startedAt\":\"2026-12-02T06:45:01Z\","
            + "\"completedAt\":\"2026-12-02T06:45:01.2Z\",\"durationMs\":200,\"stats\":{},\"reason\":\"slot already done\","
            + "\"slot\":\"2026-12-02T06:44:00Z\"}";

    @BeforeAll
    static void start() {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        operator = NightshiftOperator.create(client, OperatorSettings.defaults("runner:test"), Clock.systemUTC());
        operator.start();
        cluster = new ClusterSimulator(client);
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    private static MaintenanceJob fetch(String ns) {
        return client.resources(MaintenanceJob.class).inNamespace(ns).withName("log-cleanup").get();
    }

    private static RunRecord awaitLastRun(String ns, String jobName) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            MaintenanceJob mj = fetch(ns);
            return mj.getStatus() != null && mj.getStatus().getLastRun() != null && jobName.equals(mj.getStatus().getLastRun().jobName());
        });
        return fetch(ns).getStatus().getLastRun();
    }

    private static List<Event> events(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    private static Double metric(String name, String... labels) {
        for (String line : operator.scrape().lines().toList()) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return null;
    }

    @Test
    void aSkippedDuplicateOfADoneSlotIsListedCountedAndAnnouncedAndLeavesTheSuccessStanding() {
        String ns = "skipped-slot";
        client.resource(Fixtures.logCleanup(ns, "log-cleanup")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("log-cleanup").get() != null);
        CronJob cron = client.batch().v1().cronjobs().inNamespace(ns).withName("log-cleanup").get();

        cluster.run(cron, "log-cleanup-29936564", 0, SUCCESS_DOC);
        awaitLastRun(ns, "log-cleanup-29936564");
        cluster.run(cron, "log-cleanup-29936564-again", 0, SKIPPED_DOC);
        RunRecord skipped = awaitLastRun(ns, "log-cleanup-29936564-again");

        assertThat(skipped.result()).isEqualTo("skipped");
        assertThat(skipped.reason()).isEqualTo("SlotAlreadyDone");
        assertThat(skipped.message()).isEqualTo("slot already done (slot 2026-12-02T06:44:00Z)");
        MaintenanceJob mj = fetch(ns);
        assertThat(mj.getStatus().getRecentRuns()).extracting(RunRecord::result).containsExactly("skipped", "success");
        assertThat(mj.getStatus().getLastSuccessfulTime()).isEqualTo("2026-12-02T06:44:02Z");
        assertThat(mj.getStatus().getConsecutiveFailures()).isZero();
        assertThat(Conditions.find(mj.getStatus().getConditions(), "LastRunSucceeded").get().getStatus()).isEqualTo("True");

        await().atMost(Duration.ofSeconds(10)).until(() -> !events(ns, "RunSkipped").isEmpty());
        Event event = events(ns, "RunSkipped").get(0);
        assertThat(event.getType()).isEqualTo("Normal");
        assertThat(event.getMessage()).isEqualTo("run log-cleanup-29936564-again skipped: slot already done (slot 2026-12-02T06:44:00Z)");
        assertThat(events(ns, "RunSucceeded")).hasSize(1);

        String job = "name=\"log-cleanup\"";
        String inNs = "namespace=\"" + ns + "\"";
        await().atMost(Duration.ofSeconds(10)).until(() -> Double.valueOf(1.0).equals(metric(MetricNames.RUNS_TOTAL, job, inNs, "result=\"skipped\"")));
        assertThat(metric(MetricNames.RUNS_TOTAL, job, inNs, "result=\"success\"")).isEqualTo(1.0);
        assertThat(metric(MetricNames.RUNS_TOTAL, job, inNs, "result=\"failed\"")).isZero();
        assertThat(metric(MetricNames.CONSECUTIVE_FAILURES, job, inNs)).isZero();
    }

    @Test
    void aRunSkippedBecauseAnotherHeldTheLockSaysSo() {
        String ns = "skipped-lock";
        client.resource(Fixtures.logCleanup(ns, "log-cleanup")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("log-cleanup").get() != null);
        CronJob cron = client.batch().v1().cronjobs().inNamespace(ns).withName("log-cleanup").get();

        cluster.run(cron, "log-cleanup-1", 0, "{\"status\":\"skipped\",\"stats\":{},\"reason\":\"another run holds the job's lock\"}");
        RunRecord skipped = awaitLastRun(ns, "log-cleanup-1");

        assertThat(skipped.result()).isEqualTo("skipped");
        assertThat(skipped.reason()).isEqualTo("LockHeld");
        assertThat(skipped.message()).isEqualTo("another run holds the job's lock");
        await().atMost(Duration.ofSeconds(10)).until(() -> !events(ns, "RunSkipped").isEmpty());
        assertThat(events(ns, "RunSucceeded")).isEmpty();
    }

    @Test
    void aSecondPodOfAJobThatSucceededIsASkippedRunOfItsOwnAndTheJobsSuccessStands() {
        String ns = "skipped-job";
        client.resource(Fixtures.logCleanup(ns, "log-cleanup")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.batch().v1().cronjobs().inNamespace(ns).withName("log-cleanup").get() != null);
        CronJob cron = client.batch().v1().cronjobs().inNamespace(ns).withName("log-cleanup").get();

        // Kubernetes started the Job's pod again after the first had succeeded; the runner found the Job's run done.
        Job job = cluster.scheduleJob(cron, "log-cleanup-m1a2b3c4d", java.time.Instant.now());
        cluster.terminate(cluster.createPod(job), 0, "Completed", SUCCESS_DOC);
        cluster.terminate(cluster.createPod(job, "fghij"), 0, "Completed", "{\"status\":\"skipped\",\"startedAt\":\"2026-12-02T06:44:05Z\","
                + "\"completedAt\":\"2026-12-02T06:44:05.3Z\",\"durationMs\":300,\"stats\":{},\"reason\":\"job already succeeded\"}");
        cluster.finish(job, true, "CompletionsReached", "Reached expected number of succeeded pods");
        await().atMost(Duration.ofSeconds(20)).until(() -> fetch(ns).getStatus() != null && fetch(ns).getStatus().getRecentRuns() != null
                && fetch(ns).getStatus().getRecentRuns().size() == 2);

        MaintenanceJob mj = fetch(ns);
        RunRecord skipped = mj.getStatus().getRecentRuns().get(0);
        RunRecord done = mj.getStatus().getRecentRuns().get(1);
        assertThat(done.jobName()).isEqualTo("log-cleanup-m1a2b3c4d");
        assertThat(done.result()).isEqualTo("success");
        assertThat(done.executionId()).isEqualTo(17);
        assertThat(skipped.jobName()).isEqualTo("log-cleanup-m1a2b3c4d-fghij");
        assertThat(skipped.result()).isEqualTo("skipped");
        assertThat(skipped.reason()).isEqualTo("JobAlreadySucceeded");
        assertThat(skipped.message()).isEqualTo("job already succeeded");
        assertThat(mj.getStatus().getLastSuccessfulTime()).isEqualTo("2026-12-02T06:44:02Z");
        assertThat(Conditions.find(mj.getStatus().getConditions(), "LastRunSucceeded").get().getStatus()).isEqualTo("True");

        await().atMost(Duration.ofSeconds(10)).until(() -> !events(ns, "RunSkipped").isEmpty());
        assertThat(events(ns, "RunSkipped")).singleElement().extracting(Event::getMessage)
                .isEqualTo("run log-cleanup-m1a2b3c4d-fghij skipped: job already succeeded");
        String inNs = "namespace=\"" + ns + "\"";
        await().atMost(Duration.ofSeconds(10)).until(() -> Double.valueOf(1.0).equals(metric(MetricNames.RUNS_TOTAL, inNs, "result=\"skipped\"")));
        assertThat(metric(MetricNames.RUNS_TOTAL, inNs, "result=\"success\"")).isEqualTo(1.0);
    }
}
