package io.nightshift.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nightshift.api.SqlTask;
import io.nightshift.api.Task;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.operator.resource.DatabaseRef;
import io.nightshift.operator.resource.LedgerRef;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobSpec;
import io.nightshift.operator.resource.RunRecord;
import io.nightshift.sandbox.examples.SandboxWiring;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One scheduled slot started four times: the CronJob's Job, whose first attempt fails and whose retry
 * does the work; the same Job deleted and created again; a Job made by hand that names the slot; and a
 * run now, which has no slot. The job's ledger is its own table, created by the runner.
 */
final class SlotScenario {

    static final String NAMESPACE = "slots";
    static final String NAME = "slot-rollup";
    static final Instant SLOT = Instant.parse("2026-12-02T05:00:00Z");
    static final String SCHEDULED_JOB = NAME + "-" + SLOT.getEpochSecond() / 60;
    static final String BY_HAND_JOB = NAME + "-by-hand";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** What each start of the slot came to. */
    record Outcome(Optional<RunRecord> scheduled, JsonNode recreated, Optional<RunRecord> byHand, Optional<RunRecord> runNow) {
    }

    private SlotScenario() {
    }

    static Outcome run(Sandbox sandbox) throws Exception {
        KubernetesClient client = sandbox.client();
        sandbox.database().runSql("CREATE TABLE slot_work (at timestamptz DEFAULT now()); CREATE SEQUENCE slot_attempts;"
                + "CREATE FUNCTION slot_work() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
                + "IF nextval('slot_attempts') = 1 THEN RAISE EXCEPTION 'the first attempt fails'; END IF; "
                + "INSERT INTO slot_work DEFAULT VALUES; END $$");
        MaintenanceJob job = new MaintenanceJob();
        job.getMetadata().setName(NAME);
        job.getMetadata().setNamespace(NAMESPACE);
        job.setSpec(new MaintenanceJobSpec("0 5 * * *", "UTC", null, null, null, null, 1, null, null,
                new DatabaseRef("app-db", null, null, null, null, null, null, null), new LedgerRef("public", "slot_runs", null),
                Task.of(new SqlTask("SELECT slot_work()", null, null, null, null, null)),
                null, null, null, null, null, null, null, null, null));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        SandboxWiring.secrets(List.of(job), List.of(), NAMESPACE, sandbox.endpoints()).forEach(s -> client.resource(s).create());
        sandbox.apply(job);
        CronJob cron = await(() -> Optional.ofNullable(client.batch().v1().cronjobs().inNamespace(NAMESPACE).withName(NAME).get()));

        client.resource(scheduledJob(cron, SCHEDULED_JOB, null)).create();
        Optional<RunRecord> scheduled = sandbox.awaitRun(NAMESPACE, NAME, SCHEDULED_JOB, WAIT);

        // the slot's Job gone (history limit, a restore) and made again under its name
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(SCHEDULED_JOB).delete();
        client.pods().inNamespace(NAMESPACE).withLabel(MetadataKeys.JOB_NAME_LABEL, SCHEDULED_JOB).delete();
        await(() -> client.pods().inNamespace(NAMESPACE).withLabel(MetadataKeys.JOB_NAME_LABEL, SCHEDULED_JOB).list().getItems().isEmpty()
                && client.batch().v1().jobs().inNamespace(NAMESPACE).withName(SCHEDULED_JOB).get() == null ? Optional.of(true) : Optional.empty());
        client.resource(scheduledJob(cron, SCHEDULED_JOB, null)).create();
        JsonNode recreated = JSON.readTree(await(() -> terminationMessage(client, SCHEDULED_JOB)));

        client.resource(scheduledJob(cron, BY_HAND_JOB, SLOT)).create();
        Optional<RunRecord> byHand = sandbox.awaitRun(NAMESPACE, NAME, BY_HAND_JOB, WAIT);

        Optional<RunRecord> runNow = sandbox.awaitRun(NAMESPACE, NAME, sandbox.runNow(NAMESPACE, NAME, "after-the-slot"), WAIT);
        return new Outcome(scheduled, recreated, byHand, runNow);
    }

    /** The CronJob's Job for {@link #SLOT}, as the CronJob controller makes it; with {@code slotEnv}, a copy by hand that names the slot. */
    private static Job scheduledJob(CronJob cron, String name, Instant slotEnv) {
        Map<String, String> annotations = new HashMap<>(cron.getSpec().getJobTemplate().getMetadata().getAnnotations());
        annotations.put(MetadataKeys.CRONJOB_SCHEDULED_TIMESTAMP, SLOT.toString());
        Job job = new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                    .withLabels(cron.getSpec().getJobTemplate().getMetadata().getLabels()).withAnnotations(annotations)
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                            .withName(cron.getMetadata().getName()).withUid(cron.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withSpec(cron.getSpec().getJobTemplate().getSpec())
                .build();
        if (slotEnv != null) {
            job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().add(new EnvVar("NIGHTSHIFT_SLOT", slotEnv.toString(), null));
        }
        return job;
    }

    private static Optional<String> terminationMessage(KubernetesClient client, String jobName) {
        for (Pod pod : client.pods().inNamespace(NAMESPACE).withLabel(MetadataKeys.JOB_NAME_LABEL, jobName).list().getItems()) {
            if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
                for (var status : pod.getStatus().getContainerStatuses()) {
                    if (status.getState() != null && status.getState().getTerminated() != null && status.getState().getTerminated().getMessage() != null) {
                        return Optional.of(status.getState().getTerminated().getMessage());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static <T> T await(java.util.function.Supplier<Optional<T>> condition) throws InterruptedException {
        Instant until = Instant.now().plus(WAIT);
        while (true) {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("gave up waiting after " + WAIT);
            }
            Thread.sleep(200);
        }
    }
}
