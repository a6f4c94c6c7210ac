package io.nightshift.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nightshift.api.contract.ExitCodes;
import io.nightshift.api.contract.MetadataKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class LocalJobControllerTest {

    private static final String NS = "jobs";

    KubernetesClient client;

    @TempDir
    Path work;

    private LocalJobController controller;

    @BeforeEach
    void start() {
        LocalKubelet kubelet = new LocalKubelet(client, List.of(LocalKubelet.javaExecutable(), "-cp",
                System.getProperty("java.class.path"), FakeRunner.class.getName()), work);
        controller = new LocalJobController(client, kubelet);
        controller.start();
        client.secrets().resource(new SecretBuilder().withNewMetadata().withName("db").withNamespace(NS).endMetadata()
                .withStringData(Map.of("uri", "postgresql://u:p@h/db")).build()).create();
    }

    @AfterEach
    void stop() {
        controller.close();
    }

    private Job job(String name, String mode, Long deadline, Integer backoffLimit, String secretKey) {
        Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(NS).withUid(name + "-uid").endMetadata()
                .withNewSpec().withActiveDeadlineSeconds(deadline).withBackoffLimit(backoffLimit)
                    .withNewPodFailurePolicy().addNewRule().withAction("FailJob").withNewOnExitCodes()
                        .withContainerName("runner").withOperator("In").withValues(ExitCodes.CONFIGURATION).endOnExitCodes().endRule()
                    .endPodFailurePolicy()
                    .withNewTemplate().withNewMetadata().withLabels(Map.of(MetadataKeys.MAINTENANCE_JOB_LABEL, name)).endMetadata()
                    .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("runner").withArgs("run")
                        .withTerminationMessagePolicy("FallbackToLogsOnError")
                        .addNewEnv().withName("FAKE_MODE").withValue(mode).endEnv()
                        .addNewEnv().withName("DB_URL").withNewValueFrom().withNewSecretKeyRef(secretKey, "db", false)
                            .endValueFrom().endEnv()
                        .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                            .endFieldRef().endValueFrom().endEnv()
                    .endContainer().endSpec().endTemplate()
                .endSpec().build();
        return client.batch().v1().jobs().resource(job).create();
    }

    private Optional<JobCondition> condition(String name, String type) {
        Job job = client.batch().v1().jobs().inNamespace(NS).withName(name).get();
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private List<Pod> pods(String job) {
        return client.pods().inNamespace(NS).withLabel(MetadataKeys.LEGACY_JOB_NAME_LABEL, job).list().getItems();
    }

    private ContainerStateTerminated terminated(Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    }

    @Test
    void aSuccessfulPodCompletesTheJobWithItsResultDocument() {
        job("good", "ok", null, 0, "uri");
        await().atMost(Duration.ofSeconds(30)).until(() -> condition("good", "Complete").isPresent());
        Pod pod = pods("good").get(0);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(pod.getMetadata().getLabels()).containsEntry("nightshift.io/maintenance-job", "good");
        assertThat(terminated(pod).getExitCode()).isZero();
        assertThat(terminated(pod).getMessage()).isEqualTo("{\"status\":\"success\",\"stats\":{\"rows\":3}}");
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("good").get().getStatus().getSucceeded()).isEqualTo(1);
    }

    @Test
    void exitCodeTwoFailsTheJobAtOnceThroughThePodFailurePolicy() {
        job("misconfigured", "config", null, 5, "uri");
        await().atMost(Duration.ofSeconds(30)).until(() -> condition("misconfigured", "Failed").isPresent());
        assertThat(condition("misconfigured", "Failed").get().getReason()).isEqualTo("PodFailurePolicy");
        assertThat(pods("misconfigured")).hasSize(1);
    }

    @Test
    void failuresAreRetriedUpToTheBackoffLimitWithLogsAsTheMessage() {
        job("crashing", "crash", null, 1, "uri");
        await().atMost(Duration.ofSeconds(40)).until(() -> condition("crashing", "Failed").isPresent());
        assertThat(condition("crashing", "Failed").get().getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(pods("crashing")).hasSize(2).allSatisfy(p -> {
            assertThat(terminated(p).getExitCode()).isEqualTo(1);
            assertThat(terminated(p).getMessage()).contains("something went badly wrong");
        });
    }

    @Test
    void aRunPastItsDeadlineIsTerminatedAndTheJobFails() {
        job("slow", "sleep", 3L, 0, "uri");
        await().atMost(Duration.ofSeconds(40)).until(() -> condition("slow", "Failed").isPresent());
        assertThat(condition("slow", "Failed").get().getReason()).isEqualTo("DeadlineExceeded");
        assertThat(terminated(pods("slow").get(0)).getMessage()).contains("terminated before completion");
    }

    @Test
    void aMissingSecretKeyLeavesThePodPendingWithCreateContainerConfigError() {
        job("nokey", "ok", 3L, 0, "no-such-key");
        await().atMost(Duration.ofSeconds(20)).until(() -> pods("nokey").stream().anyMatch(p -> p.getStatus()
                .getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()));
        Pod pod = pods("nokey").get(0);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
                .isEqualTo("CreateContainerConfigError");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
                .isEqualTo("couldn't find key no-such-key in Secret jobs/db");
        await().atMost(Duration.ofSeconds(20)).until(() -> condition("nokey", "Failed").isPresent());
        assertThat(condition("nokey", "Failed").get().getReason()).isEqualTo("DeadlineExceeded");
    }
}
