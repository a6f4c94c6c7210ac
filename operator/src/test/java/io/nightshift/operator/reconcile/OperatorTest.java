package io.nightshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.metrics.MetricNames;
import io.nightshift.operator.resource.MaintenanceJob;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator in-process against Kubernetes' API mock: what it does to real CronJob objects. */
@EnableKubernetesMockClient(crud = true)
class OperatorTest {

    static KubernetesMockServer server;
    static KubernetesClient client;
    static NightshiftOperator operator;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @BeforeAll
    static void start() {
        client.apiextensions().v1().customResourceDefinitions()
                .load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        operator = NightshiftOperator.create(client, OperatorSettings.defaults("ghcr.io/nightshift-io/job-runner:test"), Clock.systemUTC());
        operator.start();
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    private static String namespace() {
        return "test-" + NAMESPACES.incrementAndGet();
    }

    private static MaintenanceJob apply(MaintenanceJob job) {
        return client.resource(job).create();
    }

    private static CronJob cronJob(String namespace, String name) {
        return client.batch().v1().cronjobs().inNamespace(namespace).withName(name).get();
    }

    private static MaintenanceJob fetch(String namespace, String name) {
        return client.resources(MaintenanceJob.class).inNamespace(namespace).withName(name).get();
    }

    private static Condition ready(MaintenanceJob job) {
        return Conditions.find(job.getStatus() == null ? null : job.getStatus().getConditions(), "Ready").orElse(null);
    }

    @Test
    void aNewMaintenanceJobGetsItsCronJobAndAReadyStatus() {
        String ns = namespace();
        apply(Fixtures.logCleanup(ns, "log-cleanup"));

        await().atMost(Duration.ofSeconds(20)).until(() -> cronJob(ns, "log-cleanup") != null);
        CronJob cron = cronJob(ns, "log-cleanup");
        assertThat(cron.getSpec().getSchedule()).isEqualTo("0 3 * * *");
        assertThat(cron.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds()).isEqualTo(1800);
        assertThat(cron.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isEqualTo(2);
        assertThat(cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/nightshift-io/job-runner:test");
        assertThat(cron.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("MaintenanceJob");
            assertThat(o.getName()).isEqualTo("log-cleanup");
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> ready(fetch(ns, "log-cleanup")) != null);
        MaintenanceJob job = fetch(ns, "log-cleanup");
        assertThat(ready(job).getStatus()).isEqualTo("True");
        assertThat(ready(job).getReason()).isEqualTo("CronJobReady");
        assertThat(job.getStatus().getObservedGeneration()).isEqualTo(job.getMetadata().getGeneration());
        assertThat(job.getStatus().getCronJobName()).isEqualTo("log-cleanup");
        assertThat(job.getStatus().getTask()).isEqualTo("retention");
        Instant next = Instant.parse(job.getStatus().getNextScheduleTime());
        assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(24).plusMinutes(1)));
        assertThat(next.atZone(java.time.ZoneOffset.UTC).getHour()).isEqualTo(3);
    }

    @Test
    void aSpecChangeUpdatesTheCronJobAndTheNextRunFollowsTheTimeZone() {
        String ns = namespace();
        apply(Fixtures.logCleanup(ns, "nightly"));
        await().atMost(Duration.ofSeconds(20)).until(() -> cronJob(ns, "nightly") != null);

        client.resources(MaintenanceJob.class).inNamespace(ns).withName("nightly").edit(j -> {
            return Fixtures.job("""
                    apiVersion: nightshift.io/v1alpha1
                    kind: MaintenanceJob
                    metadata: {name: nightly, namespace: %s, resourceVersion: "%s"}
                    spec:
                      schedule: "30 1 * * *"
                      timeZone: America/New_York
                      database: {secretName: app-db}
                      task: {sql: {statement: "SELECT reset_daily_request_counts()"}}
                    """.formatted(ns, j.getMetadata().getResourceVersion()));
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> "30 1 * * *".equals(cronJob(ns, "nightly").getSpec().getSchedule()));
        CronJob cron = cronJob(ns, "nightly");
        assertThat(cron.getSpec().getTimeZone()).isEqualTo("America/New_York");
        assertThat(cron.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds()).as("the default timeout, 1h").isEqualTo(3600);
        assertThat(cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("{\"sql\":{\"statement\":\"SELECT reset_daily_request_counts()\"}}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "sql".equals(fetch(ns, "nightly").getStatus().getTask()));
        Instant next = Instant.parse(fetch(ns, "nightly").getStatus().getNextScheduleTime());
        assertThat(next.atZone(java.time.ZoneId.of("America/New_York")).getHour()).isEqualTo(1);
        assertThat(next.atZone(java.time.ZoneId.of("America/New_York")).getMinute()).isEqualTo(30);
        await("the default timeout in the metric the timeout alert reads").atMost(Duration.ofSeconds(20)).until(() -> operator.scrape()
                .lines().anyMatch(l -> l.startsWith(MetricNames.TIMEOUT_SECONDS + "{") && l.contains("name=\"nightly\"")
                        && l.contains("namespace=\"" + ns + "\"") && l.endsWith(" 3600.0")));
    }

    @Test
    void aDeletedCronJobIsRecreated() {
        String ns = namespace();
        apply(Fixtures.logCleanup(ns, "keeper"));
        await().atMost(Duration.ofSeconds(20)).until(() -> cronJob(ns, "keeper") != null);
        String firstUid = cronJob(ns, "keeper").getMetadata().getUid();

        client.batch().v1().cronjobs().inNamespace(ns).withName("keeper").delete();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            CronJob again = cronJob(ns, "keeper");
            return again != null && !again.getMetadata().getUid().equals(firstUid);
        });
    }

    @Test
    void suspendingStopsTheScheduleAndClearsTheNextRun() {
        String ns = namespace();
        apply(Fixtures.logCleanup(ns, "pausable"));
        await().atMost(Duration.ofSeconds(20)).until(() -> fetch(ns, "pausable").getStatus() != null
                && fetch(ns, "pausable").getStatus().getNextScheduleTime() != null);

        client.resources(MaintenanceJob.class).inNamespace(ns).withName("pausable").edit(j -> {
            return Fixtures.job("""
                    apiVersion: nightshift.io/v1alpha1
                    kind: MaintenanceJob
                    metadata: {name: pausable, namespace: %s, resourceVersion: "%s"}
                    spec:
                      schedule: "0 3 * * *"
                      suspend: true
                      database: {secretName: app-db}
                      task: {retention: {table: system_logs, timestampColumn: timestamp, olderThan: 2d}}
                    """.formatted(ns, j.getMetadata().getResourceVersion()));
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(cronJob(ns, "pausable").getSpec().getSuspend()));
        await().atMost(Duration.ofSeconds(20)).until(() -> fetch(ns, "pausable").getStatus().getNextScheduleTime() == null);
        assertThat(ready(fetch(ns, "pausable")).getMessage()).contains("suspended");
    }

    @Test
    void anInvalidSpecCreatesNothingAndSaysWhy() {
        String ns = namespace();
        apply(Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: broken, namespace: %s}
                spec:
                  schedule: "every night"
                  timeZone: Mars/Olympus_Mons
                  timeout: 30 minutes
                  database: {secretName: app-db}
                  task: {retention: {table: "logs; DROP TABLE users", timestampColumn: ts, olderThan: 2d}}
                """.formatted(ns)));

        await().atMost(Duration.ofSeconds(20)).until(() -> ready(fetch(ns, "broken")) != null);
        Condition ready = ready(fetch(ns, "broken"));
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.schedule: 'every night' is not a valid cron schedule: expected exactly 5 fields, found 2")
                .contains("spec.timeZone: 'Mars/Olympus_Mons' is not an IANA time zone")
                .contains("spec.timeout: '30 minutes' is not a duration")
                .contains("spec.task.retention.table: 'logs; DROP TABLE users' is not a table name");
        assertThat(client.batch().v1().cronjobs().inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void aNameTooLongForTheLedgerAndAnIgnoredDatabaseFieldAreRefusedUpFront() {
        String ns = namespace();
        String name = "recalculate-the-score-of-every-user-for-the-leaderboard-the-weekly-digest-email-and-the-partners-reports";
        assertThat(name).hasSize(104);
        apply(Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: %s, namespace: %s}
                spec:
                  schedule: "0 3 * * *"
                  database: {secretName: pgd, sslMode: require}
                  task: {sql: {statement: "SELECT recalculate_scores()"}}
                """.formatted(name, ns)));

        await().atMost(Duration.ofSeconds(20)).until(() -> ready(fetch(ns, name)) != null);
        Condition ready = ready(fetch(ns, name));
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).startsWith("metadata.name: is 104 characters long, at most 100 are allowed")
                .contains("spec.database.sslMode: applies only to the discrete keys");
        assertThat(client.batch().v1().cronjobs().inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void breakingAValidSpecLeavesTheExistingCronJobAsItWas() {
        String ns = namespace();
        apply(Fixtures.logCleanup(ns, "steady"));
        await().atMost(Duration.ofSeconds(20)).until(() -> cronJob(ns, "steady") != null);
        CronJob before = cronJob(ns, "steady");

        client.resources(MaintenanceJob.class).inNamespace(ns).withName("steady").edit(j -> Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: steady, namespace: %s, resourceVersion: "%s"}
                spec:
                  schedule: "61 3 * * *"
                  database: {secretName: app-db}
                  task: {retention: {table: system_logs, timestampColumn: timestamp, olderThan: 2d}}
                """.formatted(ns, j.getMetadata().getResourceVersion())));

        await().atMost(Duration.ofSeconds(20)).until(() -> "InvalidSpec".equals(ready(fetch(ns, "steady")).getReason()));
        assertThat(ready(fetch(ns, "steady")).getMessage()).startsWith("spec.schedule: '61 3 * * *' is not a valid cron schedule");
        CronJob after = cronJob(ns, "steady");
        assertThat(after.getSpec()).isEqualTo(before.getSpec());
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    }

    @Test
    void aLongNameGetsAShortStableCronJobName() {
        String ns = namespace();
        String name = "recalculate-every-user-score-for-the-leaderboard-and-the-weekly-digest-email";
        apply(Fixtures.logCleanup(ns, name));
        await().atMost(Duration.ofSeconds(20)).until(() -> !client.batch().v1().cronjobs().inNamespace(ns).list().getItems().isEmpty());
        CronJob cron = client.batch().v1().cronjobs().inNamespace(ns).list().getItems().get(0);
        assertThat(cron.getMetadata().getName()).hasSizeLessThanOrEqualTo(52).isEqualTo(Names.cronJobName(name));
        await().atMost(Duration.ofSeconds(20)).until(() -> fetch(ns, name).getStatus() != null
                && cron.getMetadata().getName().equals(fetch(ns, name).getStatus().getCronJobName()));
    }

    @Test
    void theLastScheduleTimeComesFromTheCronJob() {
        String ns = namespace();
        apply(Fixtures.logCleanup(ns, "scheduled"));
        await().atMost(Duration.ofSeconds(20)).until(() -> cronJob(ns, "scheduled") != null);

        client.batch().v1().cronjobs().inNamespace(ns).withName("scheduled").editStatus(c -> {
            c.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder().withLastScheduleTime("2026-11-22T03:00:00Z").build());
            return c;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> "2026-11-22T03:00:00Z".equals(fetch(ns, "scheduled").getStatus().getLastScheduleTime()));
    }
}
