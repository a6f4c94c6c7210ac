package io.nightshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.RealApiServer;
import io.nightshift.operator.resource.MaintenanceJob;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CronJobMatchTest {

    private static final String ENV = "spec.jobTemplate.spec.template.spec.containers[].env";
    /** As captured: before the runner got its slot (NIGHTSHIFT_CRONJOB, NIGHTSHIFT_KUBERNETES_JOB). */
    private static final Map<String, CronJob> CAPTURED = RealApiServer.cronJobs().stream()
            .collect(Collectors.toMap(c -> c.getMetadata().getName(), Function.identity()));
    /** As the server stores them after the one update that gives their pods today's environment. */
    private static final Map<String, CronJob> STORED = RealApiServer.cronJobs().stream()
            .map(CronJobMatchTest::withTodaysEnvironment)
            .collect(Collectors.toMap(c -> c.getMetadata().getName(), Function.identity()));

    private static CronJob withTodaysEnvironment(CronJob captured) {
        MaintenanceJob job = RealApiServer.maintenanceJobs().stream()
                .filter(j -> j.getMetadata().getName().equals(captured.getMetadata().getName())).findFirst().orElseThrow();
        CronJob desired = CronJobRenderer.render(job, RealApiServer.RUNNER_IMAGE);
        captured.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0)
                .setEnv(desired.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
        return captured;
    }

    @Test
    void theCronJobsARealServerStoredAreWhatTheOperatorWants() {
        List<MaintenanceJob> jobs = RealApiServer.maintenanceJobs();
        assertThat(jobs).hasSize(9);
        for (MaintenanceJob job : jobs) {
            CronJob stored = STORED.get(job.getMetadata().getName());
            assertThat(stored).as(job.getMetadata().getName()).isNotNull();
            assertThat(stored.getMetadata().getManagedFields()).isNotEmpty();
            CronJob desired = CronJobRenderer.render(job, RealApiServer.RUNNER_IMAGE);
            assertThat(CronJobMatch.differences(desired, stored)).as(job.getMetadata().getName()).isEmpty();
        }
    }

    @Test
    void aCronJobMadeBeforeTheSlotWasPassedOnIsUpdatedOnceForIt() {
        for (MaintenanceJob job : RealApiServer.maintenanceJobs()) {
            CronJob desired = CronJobRenderer.render(job, RealApiServer.RUNNER_IMAGE);
            assertThat(CronJobMatch.differences(desired, CAPTURED.get(job.getMetadata().getName())))
                    .as(job.getMetadata().getName()).containsExactly(ENV);
        }
    }

    @Test
    void canonicalQuantitiesAreTheSameAmounts() {
        MaintenanceJob quantities = RealApiServer.maintenanceJobs().stream().filter(j -> j.getMetadata().getName().equals("quantities"))
                .findFirst().orElseThrow();
        CronJob desired = CronJobRenderer.render(quantities, RealApiServer.RUNNER_IMAGE);
        Map<String, Quantity> requests = desired.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getResources().getRequests();
        assertThat(requests.get("cpu").toString()).isEqualTo("0.5");
        assertThat(STORED.get("quantities").getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getResources().getRequests().get("cpu").toString()).isEqualTo("500m");
        assertThat(CronJobMatch.differences(desired, STORED.get("quantities"))).isEmpty();

        requests.put("cpu", new Quantity("0.6"));
        assertThat(CronJobMatch.differences(desired, STORED.get("quantities")))
                .containsExactly("spec.jobTemplate.spec.template.spec.containers[].resources.requests.cpu");
    }

    @Test
    void aCronJobMadeBeforeTheTimeoutDefaultGetsTheDefaultDeadline() {
        MaintenanceJob quantities = RealApiServer.maintenanceJobs().stream().filter(j -> j.getMetadata().getName().equals("quantities"))
                .findFirst().orElseThrow();
        KubernetesSerialization json = new KubernetesSerialization();
        @SuppressWarnings("unchecked")
        Map<String, Object> object = json.convertValue(quantities, Map.class);
        ((Map<String, Object>) object.get("spec")).remove("timeout");
        CronJob desired = CronJobRenderer.render(json.convertValue(object, MaintenanceJob.class), RealApiServer.RUNNER_IMAGE);
        assertThat(desired.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
        assertThat(CronJobMatch.differences(desired, STORED.get("quantities"))).containsExactly("spec.jobTemplate.spec.activeDeadlineSeconds");
    }

    @Test
    void aChangedFieldIsADifference() {
        MaintenanceJob logCleanup = Fixtures.logCleanup("fixtures", "log-cleanup");
        CronJob stored = STORED.get("log-cleanup");
        assertThat(CronJobMatch.differences(CronJobRenderer.render(logCleanup, RealApiServer.RUNNER_IMAGE), stored)).isEmpty();

        CronJob otherSchedule = new CronJobBuilder(CronJobRenderer.render(logCleanup, RealApiServer.RUNNER_IMAGE))
                .editSpec().withSchedule("0 0 * * 0").endSpec().build();
        assertThat(CronJobMatch.differences(otherSchedule, stored)).containsExactly("spec.schedule");
        assertThat(CronJobMatch.differences(CronJobRenderer.render(logCleanup, "ghcr.io/nightshift-io/job-runner:0.2.0"), stored))
                .containsExactly("spec.jobTemplate.spec.template.spec.containers[].image");
    }

    @Test
    void aFieldTheSpecNoLongerSetsIsADifference() {
        MaintenanceJob full = Fixtures.job(CronJobRendererTest.FULL);
        MaintenanceJob bare = Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: user-scores, namespace: app}
                spec:
                  schedule: "30 4 * * 1-5"
                  timeZone: Europe/Berlin
                  suspend: true
                  concurrencyPolicy: Replace
                  retries: 4
                  successfulJobsHistoryLimit: 5
                  failedJobsHistoryLimit: 7
                  database: {secretName: cluster-app, hostKey: host, userKey: user, sslMode: require}
                  ledger: {schema: ops, table: runs}
                  task:
                    sql:
                      statement: "UPDATE users SET score = 1 WHERE id IN (SELECT id FROM users WHERE score IS NULL LIMIT 10000)"
                      repeatUntilNoRows: true
                  image: registry.example/runner:9
                  imagePullPolicy: Always
                """);
        List<String> differences = CronJobMatch.differences(CronJobRenderer.render(bare, "default/runner:1"),
                CronJobRenderer.render(full, "default/runner:1"));
        String pod = "spec.jobTemplate.spec.template.spec";
        assertThat(differences).contains("spec.startingDeadlineSeconds", "spec.jobTemplate.spec.activeDeadlineSeconds",
                pod + ".serviceAccountName", pod + ".nodeSelector", pod + ".tolerations", pod + ".affinity",
                pod + ".containers[].resources", "spec.jobTemplate.metadata.labels.team", "spec.jobTemplate.metadata.annotations.owner");
    }

    @Test
    void whatTheServerFillsInIsNoDifference() {
        CronJob desired = CronJobRenderer.render(Fixtures.logCleanup("fixtures", "log-cleanup"), RealApiServer.RUNNER_IMAGE);
        CronJob defaulted = new CronJobBuilder(desired).editSpec().editJobTemplate().editSpec().withCompletions(1).withParallelism(1)
                .withCompletionMode("NonIndexed").editTemplate().editSpec().withDnsPolicy("ClusterFirst").withSchedulerName("default-scheduler")
                .withTerminationGracePeriodSeconds(30L).endSpec().endTemplate().endSpec().endJobTemplate().endSpec()
                .editMetadata().addToAnnotations("javaoperatorsdk.io/previous", "x").addToLabels("team", "ops").endMetadata().build();
        assertThat(CronJobMatch.differences(desired, defaulted)).isEmpty();
    }

    @Test
    void theDefaultPullPolicyIsWrittenAsTheServerWouldFillItIn() {
        assertThat(CronJobRenderer.defaultPullPolicy("ghcr.io/nightshift-io/job-runner:0.1.0")).isEqualTo("IfNotPresent");
        assertThat(CronJobRenderer.defaultPullPolicy("ghcr.io/nightshift-io/job-runner")).isEqualTo("Always");
        assertThat(CronJobRenderer.defaultPullPolicy("localhost:5000/runner:latest")).isEqualTo("Always");
        assertThat(CronJobRenderer.defaultPullPolicy("localhost:5000/runner")).isEqualTo("Always");
        assertThat(CronJobRenderer.defaultPullPolicy("runner@sha256:abc")).isEqualTo("IfNotPresent");
    }
}
