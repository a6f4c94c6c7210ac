package io.nightshift.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nightshift.api.contract.MetadataKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LocalCronJobControllerTest {

    private static final String NS = "cron";

    KubernetesClient client;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private LocalCronJobController controller;

    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.close();
        }
    }

    private CronJob cronJob(String name, String schedule, Boolean suspend, Long startingDeadlineSeconds, String concurrencyPolicy) {
        return client.resource(new CronJobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedule(schedule).withTimeZone("UTC").withSuspend(suspend)
                    .withStartingDeadlineSeconds(startingDeadlineSeconds).withConcurrencyPolicy(concurrencyPolicy)
                    .withSuccessfulJobsHistoryLimit(2)
                    .withNewJobTemplate().withNewMetadata().withLabels(Map.of(MetadataKeys.MAINTENANCE_JOB_LABEL, name))
                        .withAnnotations(Map.of(MetadataKeys.MAINTENANCE_JOB_NAME_ANNOTATION, name)).endMetadata()
                        .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                            .addNewContainer().withName("runner").withImage("runner:1").endContainer()
                        .endSpec().endTemplate().endSpec()
                    .endJobTemplate()
                .endSpec().build()).create();
    }

    private void startAt(Instant time) {
        now.set(time);
        controller = new LocalCronJobController(client, clock);
        controller.start();
    }

    private List<Job> jobsOf(String cronJob) {
        return client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith(cronJob + "-")).toList();
    }

    private static Instant created(CronJob cron) {
        return Instant.parse(cron.getMetadata().getCreationTimestamp());
    }

    @Test
    void aDueSlotBecomesOneJobNamedAndAnnotatedAsKubernetesDoes() throws Exception {
        CronJob cron = cronJob("stats", "*/5 * * * *", null, null, "Forbid");
        Instant slot = Instant.ofEpochSecond((created(cron).getEpochSecond() / 300 + 1) * 300);
        startAt(slot.plusSeconds(20));

        await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf("stats").size() == 1);
        Job job = jobsOf("stats").get(0);
        assertThat(job.getMetadata().getName()).isEqualTo("stats-" + slot.getEpochSecond() / 60);
        assertThat(job.getMetadata().getAnnotations()).containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", slot.toString())
                .containsEntry("nightshift.io/maintenance-job-name", "stats");
        assertThat(job.getMetadata().getLabels()).containsEntry("nightshift.io/maintenance-job", "stats");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("stats"));
        await().atMost(Duration.ofSeconds(10)).until(() -> slot.toString().equals(
                client.batch().v1().cronjobs().inNamespace(NS).withName("stats").get().getStatus().getLastScheduleTime()));

        Thread.sleep(2500);
        assertThat(jobsOf("stats")).as("a slot runs once").hasSize(1);
    }

    @Test
    void nothingStartsBeforeTheFirstSlotWhileSuspendedOrPastTheStartingDeadline() throws Exception {
        cronJob("later", "0 0 1 1 *", null, null, "Forbid");
        cronJob("paused", "* * * * *", true, null, "Forbid");
        CronJob missed = cronJob("missed", "0 * * * *", null, 60L, "Forbid");
        Instant base = created(missed);
        startAt(base.plus(Duration.ofMinutes(61)).truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofMinutes(30)));

        Thread.sleep(3000);
        assertThat(jobsOf("later")).isEmpty();
        assertThat(jobsOf("paused")).isEmpty();
        assertThat(jobsOf("missed")).as("30 minutes late, with a 60 s starting deadline").isEmpty();
    }

    @Test
    void forbidSkipsASlotWhileARunIsActive() throws Exception {
        CronJob cron = cronJob("busy", "* * * * *", null, null, "Forbid");
        client.resource(new JobBuilder().withNewMetadata().withName("busy-manual").withNamespace(NS)
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName("busy")
                    .withUid(cron.getMetadata().getUid()).endOwnerReference().endMetadata()
                .withSpec(cron.getSpec().getJobTemplate().getSpec()).build()).create();
        startAt(created(cron).plus(Duration.ofMinutes(2)));

        await().atMost(Duration.ofSeconds(10)).until(() -> client.batch().v1().cronjobs().inNamespace(NS).withName("busy").get()
                .getStatus() != null && client.batch().v1().cronjobs().inNamespace(NS).withName("busy").get().getStatus().getLastScheduleTime() != null);
        assertThat(jobsOf("busy")).extracting(j -> j.getMetadata().getName()).containsExactly("busy-manual");
        assertThat(client.batch().v1().cronjobs().inNamespace(NS).withName("busy").get().getStatus().getActive())
                .extracting(r -> r.getName()).containsExactly("busy-manual");
    }

    @Test
    void finishedJobsBeyondTheHistoryLimitAreRemovedOldestFirst() throws Exception {
        CronJob cron = cronJob("tidy", "0 0 1 1 *", null, null, "Allow");
        for (int i = 1; i <= 4; i++) {
            Job job = client.resource(new JobBuilder().withNewMetadata().withName("tidy-" + i).withNamespace(NS)
                    .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName("tidy")
                        .withUid(cron.getMetadata().getUid()).endOwnerReference().endMetadata()
                    .withSpec(cron.getSpec().getJobTemplate().getSpec()).build()).create();
            client.batch().v1().jobs().resource(job).editStatus(j -> {
                j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withCompletionTime(Instant.now().toString())
                        .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
                return j;
            });
            Thread.sleep(1100); // creation timestamps have one-second resolution
        }
        startAt(Instant.now());

        await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf("tidy").size() == 2);
        assertThat(jobsOf("tidy")).extracting(j -> j.getMetadata().getName()).containsExactlyInAnyOrder("tidy-3", "tidy-4");
    }
}
