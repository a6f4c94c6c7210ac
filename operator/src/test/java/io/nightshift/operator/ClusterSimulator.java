package io.nightshift.operator;

import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nightshift.api.contract.MetadataKeys;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Does in tests what the CronJob controller, the Job controller and the kubelet do in a cluster. */
public final class ClusterSimulator {

    private final KubernetesClient client;

    public ClusterSimulator(KubernetesClient client) {
        this.client = client;
    }

    /** The CronJob controller starting a scheduled run. */
    public Job scheduleJob(CronJob cron, String name, Instant slot) {
        Map<String, String> annotations = new HashMap<>(cron.getSpec().getJobTemplate().getMetadata().getAnnotations());
        annotations.put(MetadataKeys.CRONJOB_SCHEDULED_TIMESTAMP, slot.toString());
        Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(cron.getMetadata().getNamespace())
                .withLabels(cron.getSpec().getJobTemplate().getMetadata().getLabels()).withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                        .withName(cron.getMetadata().getName()).withUid(cron.getMetadata().getUid()).withController(true).build())
                .endMetadata().withSpec(cron.getSpec().getJobTemplate().getSpec()).build();
        Job created = client.resource(job).create();
        return client.batch().v1().jobs().resource(created).editStatus(j -> {
            j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withStartTime(Instant.now().toString())
                    .withActive(1).build());
            return j;
        });
    }

    /** The Job controller creating the run's pod (pending). */
    public Pod createPod(Job job) {
        return createPod(job, "abcde");
    }

    /** The Job controller creating another pod of the same Job, named {@code <job>-<suffix>}. */
    public Pod createPod(Job job, String suffix) {
        Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put(MetadataKeys.JOB_NAME_LABEL, job.getMetadata().getName());
        labels.put(MetadataKeys.LEGACY_JOB_NAME_LABEL, job.getMetadata().getName());
        Pod pod = new PodBuilder().withNewMetadata().withName(job.getMetadata().getName() + "-" + suffix)
                .withNamespace(job.getMetadata().getNamespace()).withLabels(labels)
                .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations()).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec()).withNewStatus().withPhase("Pending").endStatus().build();
        return client.resource(pod).create();
    }

    /** The kubelet: the runner container ended. */
    public void terminate(Pod pod, int exitCode, String reason, String message) {
        client.pods().resource(pod).editStatus(p -> {
            p.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("runner").withNewState()
                    .withTerminated(new ContainerStateTerminatedBuilder().withExitCode(exitCode).withReason(reason).withMessage(message)
                            .withStartedAt(Instant.now().minusSeconds(2).toString()).withFinishedAt(Instant.now().toString()).build())
                    .endState().build()));
            return p;
        });
    }

    /** The kubelet: the container cannot be created (a missing Secret or key). */
    public void waiting(Pod pod, String reason, String message) {
        client.pods().resource(pod).editStatus(p -> {
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("runner").withNewState().withNewWaiting()
                    .withReason(reason).withMessage(message).endWaiting().endState().build()));
            return p;
        });
    }

    /** The Job controller: the Job's final condition. */
    public void finish(Job job, boolean complete, String reason, String message) {
        String now = Instant.now().toString();
        client.batch().v1().jobs().resource(job).editStatus(j -> {
            j.getStatus().setActive(0);
            if (complete) {
                j.getStatus().setSucceeded(1);
                j.getStatus().setCompletionTime(now);
            } else {
                j.getStatus().setFailed(1);
            }
            j.getStatus().setConditions(List.of(new JobConditionBuilder().withType(complete ? "Complete" : "Failed").withStatus("True")
                    .withReason(reason).withMessage(message).withLastTransitionTime(now).build()));
            return j;
        });
    }

    /** A whole run: scheduled Job, pod, runner's result document, Job condition. */
    public Job run(CronJob cron, String name, int exitCode, String resultDocument) {
        Job job = scheduleJob(cron, name, Instant.now());
        Pod pod = createPod(job);
        terminate(pod, exitCode, exitCode == 0 ? "Completed" : "Error", resultDocument);
        finish(job, exitCode == 0, exitCode == 0 ? "CompletionsReached" : "BackoffLimitExceeded",
                exitCode == 0 ? "Reached expected number of succeeded pods" : "Job has reached the specified backoff limit");
        return job;
    }
}
