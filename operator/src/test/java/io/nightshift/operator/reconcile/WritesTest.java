package io.nightshift.operator.reconcile;

import static io.nightshift.operator.RequestLog.writesTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.nightshift.operator.ClusterSimulator;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.RealApiServer;
import io.nightshift.operator.RequestLog;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.resource.MaintenanceJob;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writes that change nothing are not made: none at rest, one status write per real change, each Event once. */
@EnableKubernetesMockClient(crud = true)
class WritesTest {

    static KubernetesMockServer server;
    static KubernetesClient client;
    static RequestLog requests;

    @BeforeAll
    static void crd() {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        requests = new RequestLog(server);
    }

    /** Waits until no request matching {@code which} has come for two seconds. */
    private static void settled(Predicate<RequestLog.Request> which) {
        AtomicLong last = new AtomicLong(-1);
        await().pollInterval(Duration.ofMillis(250)).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                .until(() -> last.getAndSet(requests.count(which)) == requests.count(which));
    }

    @Test
    void theExamplesAsARealServerStoredThemCauseNoWritesAtRest() {
        String ns = "fixtures";
        Map<String, MaintenanceJob> created = new HashMap<>();
        for (MaintenanceJob stored : RealApiServer.maintenanceJobs()) {
            MaintenanceJob job = new MaintenanceJob();
            job.setMetadata(stored.getMetadata());
            job.setSpec(stored.getSpec());
            job.getMetadata().setResourceVersion(null);
            job.getMetadata().setUid(null);
            job.getMetadata().setManagedFields(null);
            MaintenanceJob made = client.resource(job).create();
            made.setStatus(stored.getStatus());
            created.put(made.getMetadata().getName(), client.resource(made).updateStatus());
        }
        for (CronJob stored : RealApiServer.cronJobs()) {
            MaintenanceJob owner = created.get(stored.getMetadata().getName());
            stored.getMetadata().setResourceVersion(null);
            stored.getMetadata().setUid(null);
            OwnerReference ref = stored.getMetadata().getOwnerReferences().get(0);
            ref.setUid(owner.getMetadata().getUid());
            client.resource(stored).create();
        }
        Predicate<RequestLog.Request> cronJobWrites = writesTo(RequestLog.cronJobs(ns));
        Predicate<RequestLog.Request> statusWrites = r -> !r.method().equals("GET") && r.path().endsWith("/status")
                && r.path().startsWith("/apis/nightshift.io/v1alpha1/namespaces/" + ns + "/");
        long cronJobWritesBefore = requests.count(cronJobWrites);

        // a still clock: nextScheduleTime (every minute for one of them) does not move during the test
        Clock still = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        for (int start = 1; start <= 4; start++) {
            long statusWritesBefore = requests.count(statusWrites);
            NightshiftOperator operator = NightshiftOperator.create(client, OperatorSettings.defaults(RealApiServer.RUNNER_IMAGE), still);
            operator.start();
            try {
                await().atMost(Duration.ofSeconds(20)).until(operator::ready);
                settled(statusWrites);
            } finally {
                operator.stop();
            }
            // The captured CronJobs predate the slot's environment (NIGHTSHIFT_CRONJOB, NIGHTSHIFT_KUBERNETES_JOB): the first
            // start updates each of them once for it, and nothing after that.
            assertThat(requests.count(cronJobWrites)).as("CronJob writes after start %d", start)
                    .isEqualTo(cronJobWritesBefore + RealApiServer.cronJobs().size());
            if (start > 1) {
                // the first start brings the stored statuses up to date (their next runs were a day old)
                assertThat(requests.count(statusWrites)).as("status writes at start %d", start).isEqualTo(statusWritesBefore);
            }
        }
        assertThat(client.resources(MaintenanceJob.class).inNamespace(ns).list().getItems()).allSatisfy(j ->
                assertThat(Conditions.find(j.getStatus().getConditions(), Conditions.READY).orElseThrow().getStatus()).isEqualTo("True"));
    }

    @Test
    void aRunIsOneStatusWriteWhenItStartsAndOneWhenItEndsAndEachEventIsSentOnce() {
        String ns = "one-run";
        NightshiftOperator operator = NightshiftOperator.create(client, OperatorSettings.defaults("runner:test"), Clock.systemUTC());
        operator.start();
        try {
            client.resource(Fixtures.logCleanup(ns, "log-cleanup")).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                MaintenanceJob j = client.resources(MaintenanceJob.class).inNamespace(ns).withName("log-cleanup").get();
                return j.getStatus() != null && j.getStatus().getCronJobName() != null;
            });
            Predicate<RequestLog.Request> statusWrites = writesTo(RequestLog.status(ns, "log-cleanup"));
            Predicate<RequestLog.Request> eventPosts = r -> r.method().equals("POST") && r.path().equals(RequestLog.events(ns));
            settled(statusWrites);
            long statusBefore = requests.count(statusWrites);
            long eventsBefore = requests.count(eventPosts);

            ClusterSimulator cluster = new ClusterSimulator(client);
            CronJob cron = client.batch().v1().cronjobs().inNamespace(ns).withName("log-cleanup").get();
            Job job = cluster.scheduleJob(cron, "log-cleanup-1", Instant.now());
            await().atMost(Duration.ofSeconds(20)).until(() -> active(ns) != null);
            Pod pod = cluster.createPod(job);
            cluster.terminate(pod, 0, "Completed", "{\"status\":\"success\",\"executionId\":1,\"stats\":{\"deleted\":3}}");
            // more updates of the running Job and its pod: nothing new to record
            client.batch().v1().jobs().inNamespace(ns).withName("log-cleanup-1").edit(j -> {
                j.getMetadata().getLabels().put("seen", "twice");
                return j;
            });
            settled(statusWrites);
            cluster.finish(client.batch().v1().jobs().inNamespace(ns).withName("log-cleanup-1").get(), true, "CompletionsReached", "Reached expected number of succeeded pods");
            await().atMost(Duration.ofSeconds(20)).until(() -> active(ns) == null && lastRun(ns) != null);
            settled(statusWrites);
            settled(eventPosts);

            assertThat(requests.count(statusWrites) - statusBefore).as("status writes during the run").isEqualTo(2);
            assertThat(requests.count(eventPosts) - eventsBefore).as("Event POSTs during the run").isEqualTo(2);
            assertThat(client.v1().events().inNamespace(ns).list().getItems()).extracting(e -> e.getReason())
                    .containsExactlyInAnyOrder("RunStarted", "RunSucceeded");
        } finally {
            operator.stop();
        }
    }

    private static Object active(String ns) {
        MaintenanceJob j = client.resources(MaintenanceJob.class).inNamespace(ns).withName("log-cleanup").get();
        return j.getStatus().getActive();
    }

    private static Object lastRun(String ns) {
        MaintenanceJob j = client.resources(MaintenanceJob.class).inNamespace(ns).withName("log-cleanup").get();
        return j.getStatus().getLastRun();
    }
}
