package io.nightshift.operator.harvest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.nightshift.operator.reconcile.CronJobRenderer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A finished Job is read with its pod as the operator's caches hold them, which may lag one behind the other. */
class RunHarvesterTest {

    private static final String DOC = "{\"status\":\"success\",\"executionId\":41,\"stats\":{\"deleted\":700}}";

    private static Job job(String condition, String reason) {
        return new JobBuilder().withNewMetadata().withName("log-cleanup-29000000").withNamespace("ops").endMetadata()
                .withNewStatus().withStartTime("2026-12-07T03:00:00Z").withCompletionTime("Complete".equals(condition) ? "2026-12-07T03:00:41Z" : null)
                .withConditions(new JobConditionBuilder().withType(condition).withStatus("True").withReason(reason)
                        .withLastTransitionTime("2026-12-07T03:00:41Z").build())
                .endStatus().build();
    }

    private static Pod pending() {
        return new PodBuilder().withNewMetadata().withName("log-cleanup-29000000-abcde").withCreationTimestamp("2026-12-07T03:00:00Z")
                .endMetadata().withNewStatus().withPhase("Pending").endStatus().build();
    }

    private static Pod running() {
        return new PodBuilder(pending()).editStatus().withPhase("Running").endStatus().build();
    }

    private static Pod succeeded() {
        return new PodBuilder(pending()).editStatus().withPhase("Succeeded").withContainerStatuses(new ContainerStatusBuilder()
                .withName(CronJobRenderer.CONTAINER).withNewState().withTerminated(new ContainerStateTerminatedBuilder().withExitCode(0)
                        .withReason("Completed").withMessage(DOC).build()).endState().build()).endStatus().build();
    }

    @Test
    void aCompleteJobWhosePodTheCacheHasNotSeenEndIsStillRunning() {
        assertThat(RunHarvester.observe(job("Complete", "CompletionsReached"), List.of(pending())))
                .isInstanceOf(RunObservation.Running.class);
        assertThat(RunHarvester.observe(job("Complete", "CompletionsReached"), List.of(running())))
                .isInstanceOf(RunObservation.Running.class);
    }

    @Test
    void onceThePodHasEndedTheRunIsRecordedWithItsResultDocument() {
        RunObservation seen = RunHarvester.observe(job("Complete", "CompletionsReached"), List.of(succeeded()));
        assertThat(seen).isInstanceOfSatisfying(RunObservation.Finished.class, finished -> {
            assertThat(finished.run().executionId()).isEqualTo(41);
            assertThat(finished.run().stats().get("deleted").asInt()).isEqualTo(700);
        });
    }

    @Test
    void aCompleteJobWhosePodIsGoneIsRecordedWithoutOne() {
        RunObservation seen = RunHarvester.observe(job("Complete", "CompletionsReached"), List.of());
        assertThat(seen).isInstanceOfSatisfying(RunObservation.Finished.class, finished -> {
            assertThat(finished.run().executionId()).isNull();
            assertThat(finished.run().message()).isEqualTo("the run succeeded but left no result document");
        });
    }

    @Test
    void aFailedJobIsRecordedAtOnceEvenWhileItsPodIsStillBeingStopped() {
        assertThat(RunHarvester.observe(job("Failed", "DeadlineExceeded"), List.of(running())))
                .isInstanceOf(RunObservation.Finished.class);
    }
}
