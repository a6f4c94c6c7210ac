package io.nightshift.operator.harvest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nightshift.operator.ClusterSimulator;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.metrics.MetricNames;
import io.nightshift.operator.reconcile.Conditions;
import io.nightshift.operator.resource.MaintenanceJob;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The dead man's switch, and run-now across an operator restart. */
@EnableKubernetesMockClient(crud = true)
class OverdueAndRestartTest {

    KubernetesClient client;

    private void crd() {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
    }

    private Condition overdue(String ns, String name) {
        MaintenanceJob mj = client.resources(MaintenanceJob.class).inNamespace(ns).withName(name).get();
        return mj.getStatus() == null ? null : Conditions.find(mj.getStatus().getConditions(), "Overdue").orElse(null);
    }

    @Test
    void aMissedScheduleIsOverdueUntilARunForItStarts() {
        crd();
        // The operator's clock reads half past an hour, two hours on: the hourly slot of that hour, 30 minutes
        // ago, is past its 10 minutes' grace and no run started for it.
        Instant now = Instant.now();
        Instant halfPast = now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofMinutes(150));
        Clock later = Clock.offset(Clock.systemUTC(), Duration.between(now, halfPast));
        NightshiftOperator operator = NightshiftOperator.create(client, OperatorSettings.defaults("runner:1"), later);
        operator.start();
        try {
            MaintenanceJob job = Fixtures.job("""
                    apiVersion: nightshift.io/v1alpha1
                    kind: MaintenanceJob
                    metadata: {name: hourly-rollup, namespace: stats}
                    spec:
                      schedule: "@hourly"
                      timeout: 3h
                      database: {secretName: app-db}
                      task: {sql: {statement: "SELECT refresh_creator_stats()"}}
                    """);
            client.resource(job).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> overdue("stats", "hourly-rollup") != null
                    && "True".equals(overdue("stats", "hourly-rollup").getStatus()));
            assertThat(overdue("stats", "hourly-rollup").getReason()).isEqualTo("MissedSchedule");
            assertThat(operator.scrape()).containsPattern(MetricNames.OVERDUE + "\\{[^}]*name=\"hourly-rollup\"[^}]*} 1\\.0");

            // The CronJob controller starts the run of the last slot: no longer overdue. (Its start time is read
            // from the real clock, 2.5 hours before the operator's: the 3h timeout keeps it from running past it.)
            CronJob cron = client.batch().v1().cronjobs().inNamespace("stats").withName("hourly-rollup").get();
            Instant slot = later.instant().atOffset(ZoneOffset.UTC).withMinute(0).withSecond(0).withNano(0).toInstant();
            new ClusterSimulator(client).scheduleJob(cron, "hourly-rollup-1", slot);
            await().atMost(Duration.ofSeconds(20)).until(() -> "False".equals(overdue("stats", "hourly-rollup").getStatus()));
        } finally {
            operator.stop();
        }
    }

    @Test
    void aRunStillGoingPastItsTimeoutIsOverdue() {
        crd();
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(45));
        NightshiftOperator operator = NightshiftOperator.create(client, OperatorSettings.defaults("runner:1"), later);
        operator.start();
        try {
            client.resource(Fixtures.logCleanup("ops", "slow-cleanup")).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.batch().v1().cronjobs().inNamespace("ops").withName("slow-cleanup").get() != null);
            CronJob cron = client.batch().v1().cronjobs().inNamespace("ops").withName("slow-cleanup").get();
            // started now by the real clock: 45 minutes ago by the operator's, past the 30m timeout
            Job run = new ClusterSimulator(client).scheduleJob(cron, "slow-cleanup-1", Instant.now());
            await().atMost(Duration.ofSeconds(20)).until(() -> overdue("ops", "slow-cleanup") != null
                    && "RunningPastTimeout".equals(overdue("ops", "slow-cleanup").getReason()));
            assertThat(overdue("ops", "slow-cleanup").getStatus()).isEqualTo("True");
            assertThat(operator.scrape()).containsPattern(MetricNames.RUNNING + "\\{[^}]*name=\"slow-cleanup\"[^}]*} 1\\.0");
            double started = Instant.parse(run.getStatus().getStartTime()).toEpochMilli() / 1000.0;
            assertThat(operator.scrape().lines().filter(l -> l.startsWith(MetricNames.RUN_STARTED_TIMESTAMP_SECONDS + "{")
                    && l.contains("name=\"slow-cleanup\"")).map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))
                    .containsExactly(started);
        } finally {
            operator.stop();
        }
    }

    @Test
    void aRunNowValueStartsOneJobEvenAcrossARestart() {
        crd();
        NightshiftOperator first = NightshiftOperator.create(client, OperatorSettings.defaults("runner:1"), Clock.systemUTC());
        first.start();
        client.resource(Fixtures.logCleanup("ops", "log-cleanup")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.batch().v1().cronjobs().inNamespace("ops").withName("log-cleanup").get() != null);
        client.resources(MaintenanceJob.class).inNamespace("ops").withName("log-cleanup").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"nightshift.io/run-now\":\"2026-11-22T10:00\"}}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> manualJobs() == 1);
        first.stop();

        NightshiftOperator second = NightshiftOperator.create(client, OperatorSettings.defaults("runner:1"), Clock.systemUTC());
        second.start();
        try {
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> manualJobs() == 1);
            assertThat(client.resources(MaintenanceJob.class).inNamespace("ops").withName("log-cleanup").get().getStatus().getLastRunNow())
                    .isEqualTo("2026-11-22T10:00");
        } finally {
            second.stop();
        }
    }

    @Test
    void twoReplicasSeeingTheSameValueStartOneJob() {
        crd();
        NightshiftOperator a = NightshiftOperator.create(client, OperatorSettings.defaults("runner:1"), Clock.systemUTC());
        NightshiftOperator b = NightshiftOperator.create(client, OperatorSettings.defaults("runner:1"), Clock.systemUTC());
        a.start();
        b.start();
        try {
            client.resource(Fixtures.logCleanup("ops", "twice")).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.batch().v1().cronjobs().inNamespace("ops").withName("twice").get() != null);
            client.resources(MaintenanceJob.class).inNamespace("ops").withName("twice").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"nightshift.io/run-now\":\"once\"}}}");
            await().atMost(Duration.ofSeconds(20)).until(() -> manualJobs() == 1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> manualJobs() == 1);
        } finally {
            a.stop();
            b.stop();
        }
    }

    private int manualJobs() {
        return client.batch().v1().jobs().inNamespace("ops").withLabel("nightshift.io/trigger", "manual").list().getItems().size();
    }
}
