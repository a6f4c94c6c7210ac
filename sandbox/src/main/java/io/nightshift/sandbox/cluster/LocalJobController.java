package io.nightshift.sandbox.cluster;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.nightshift.api.contract.MetadataKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for Kubernetes' Job controller: for every new Job it creates a pod from the Job's template,
 * has the {@link LocalKubelet} run it, retries within {@code backoffLimit}, applies the
 * {@code podFailurePolicy} and {@code activeDeadlineSeconds}, and sets the Job's conditions the way
 * Kubernetes does ({@code Complete}, or {@code FailureTarget} then {@code Failed} with its reason).
 */
public final class LocalJobController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJobController.class);
    private static final int DEFAULT_BACKOFF_LIMIT = 6;
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    private static final Duration CONFIG_RETRY = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final LocalKubelet kubelet;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-job");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private SharedIndexInformer<Job> informer;

    public LocalJobController(KubernetesClient client, LocalKubelet kubelet) {
        this.client = client;
        this.kubelet = kubelet;
    }

    public void start() {
        informer = client.batch().v1().jobs().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                maybeRun(job);
            }

            @Override
            public void onUpdate(Job oldJob, Job job) {
                maybeRun(job);
            }

            @Override
            public void onDelete(Job job, boolean unknown) {
                // a deleted Job's process is left to finish; nothing else refers to it
            }
        });
    }

    private void maybeRun(Job job) {
        if (finished(job) || !started.add(job.getMetadata().getUid())) {
            return;
        }
        workers.submit(() -> {
            try {
                run(job);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("job {}/{} could not be run", job.getMetadata().getNamespace(), job.getMetadata().getName(), e);
            }
        });
    }

    static boolean finished(Job job) {
        return hasCondition(job, "Complete") || hasCondition(job, "Failed");
    }

    static boolean succeeded(Job job) {
        return hasCondition(job, "Complete");
    }

    private static boolean hasCondition(Job job, String type) {
        return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void run(Job job) throws InterruptedException {
        Instant start = Instant.now();
        Long deadlineSeconds = job.getSpec().getActiveDeadlineSeconds();
        Instant deadline = deadlineSeconds == null ? null : start.plusSeconds(deadlineSeconds);
        int backoffLimit = job.getSpec().getBackoffLimit() == null ? DEFAULT_BACKOFF_LIMIT : job.getSpec().getBackoffLimit();
        updateJob(job, j -> {
            j.getStatus().setStartTime(start.toString());
            j.getStatus().setActive(1);
            return j;
        });
        int failed = 0;
        while (true) {
            Pod pod = createPod(job);
            LocalKubelet.Running container = startContainer(pod, deadline);
            if (container == null) {
                finishFailed(job, failed, "DeadlineExceeded", "Job was active longer than specified deadline");
                return;
            }
            setPodStatus(pod, "Running", new ContainerStatusBuilder().withName(containerName(pod)).withReady(true)
                    .withNewState().withNewRunning().withStartedAt(container.startedAt().toString()).endRunning().endState().build());
            boolean ended = container.await(deadline == null ? Duration.ofDays(365) : remaining(deadline));
            if (!ended) {
                container.kill();
                terminate(pod, container.terminated());
                finishFailed(job, failed + 1, "DeadlineExceeded", "Job was active longer than specified deadline");
                return;
            }
            ContainerStateTerminated terminated = container.terminated();
            terminate(pod, terminated);
            if (terminated.getExitCode() == 0) {
                finishSucceeded(job, failed);
                return;
            }
            failed++;
            if (failJobRuleMatches(job, terminated.getExitCode())) {
                finishFailed(job, failed, "PodFailurePolicy", "Container " + containerName(pod) + " for pod "
                        + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + " failed with exit code "
                        + terminated.getExitCode() + " matching FailJob rule");
                return;
            }
            if (failed > backoffLimit) {
                finishFailed(job, failed, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
                return;
            }
            int failedSoFar = failed;
            updateJob(job, j -> {
                j.getStatus().setFailed(failedSoFar);
                return j;
            });
            Thread.sleep(RETRY_DELAY.toMillis());
        }
    }

    /** Starts the container, waiting as the kubelet does while its configuration can't be resolved; null at the deadline. */
    private LocalKubelet.Running startContainer(Pod pod, Instant deadline) throws InterruptedException {
        while (true) {
            try {
                return kubelet.start(pod);
            } catch (ContainerConfigException e) {
                setPodStatus(pod, "Pending", new ContainerStatusBuilder().withName(containerName(pod)).withReady(false)
                        .withNewState().withNewWaiting().withReason("CreateContainerConfigError").withMessage(e.getMessage())
                        .endWaiting().endState().build());
                if (deadline != null && !Instant.now().isBefore(deadline)) {
                    client.pods().resource(pod).delete();
                    return null;
                }
                Thread.sleep(CONFIG_RETRY.toMillis());
            }
        }
    }

    private static Duration remaining(Instant deadline) {
        Duration d = Duration.between(Instant.now(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static boolean failJobRuleMatches(Job job, int exitCode) {
        if (job.getSpec().getPodFailurePolicy() == null) {
            return false;
        }
        for (PodFailurePolicyRule rule : job.getSpec().getPodFailurePolicy().getRules()) {
            if ("FailJob".equals(rule.getAction()) && rule.getOnExitCodes() != null) {
                boolean in = rule.getOnExitCodes().getValues().contains(exitCode);
                boolean matches = "In".equals(rule.getOnExitCodes().getOperator()) == in;
                if (matches) {
                    return true;
                }
            }
        }
        return false;
    }

    private Pod createPod(Job job) {
        String suffix = UUID.randomUUID().toString().substring(0, 5);
        Map<String, String> labels = new HashMap<>();
        if (job.getSpec().getTemplate().getMetadata() != null && job.getSpec().getTemplate().getMetadata().getLabels() != null) {
            labels.putAll(job.getSpec().getTemplate().getMetadata().getLabels());
        }
        labels.put(MetadataKeys.JOB_NAME_LABEL, job.getMetadata().getName());
        labels.put(MetadataKeys.LEGACY_JOB_NAME_LABEL, job.getMetadata().getName());
        labels.put(MetadataKeys.CONTROLLER_UID_LABEL, job.getMetadata().getUid());
        labels.put("controller-uid", job.getMetadata().getUid());
        Pod pod = new PodBuilder()
                .withNewMetadata()
                    .withName(job.getMetadata().getName() + "-" + suffix)
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(job.getSpec().getTemplate().getMetadata() == null ? null
                            : job.getSpec().getTemplate().getMetadata().getAnnotations())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                            .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
        return client.pods().resource(pod).create();
    }

    private static String containerName(Pod pod) {
        return pod.getSpec().getContainers().get(0).getName();
    }

    private void setPodStatus(Pod pod, String phase, ContainerStatus status) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.getStatus().setPhase(phase);
            p.getStatus().setContainerStatuses(List.of(status));
            if (p.getStatus().getStartTime() == null) {
                p.getStatus().setStartTime(Instant.now().toString());
            }
            return p;
        });
    }

    private void terminate(Pod pod, ContainerStateTerminated terminated) {
        setPodStatus(pod, terminated.getExitCode() == 0 ? "Succeeded" : "Failed", new ContainerStatusBuilder()
                .withName(containerName(pod)).withReady(false).withNewState().withTerminated(terminated).endState().build());
    }

    private void finishSucceeded(Job job, int failed) {
        String now = Instant.now().toString();
        updateJob(job, j -> {
            j.getStatus().setActive(0);
            j.getStatus().setSucceeded(1);
            j.getStatus().setFailed(failed == 0 ? null : failed);
            j.getStatus().setCompletionTime(now);
            j.getStatus().setConditions(conditions(j, condition("SuccessCriteriaMet", "CompletionsReached",
                    "Reached expected number of succeeded pods", now), condition("Complete", "CompletionsReached",
                    "Reached expected number of succeeded pods", now)));
            return j;
        });
    }

    private void finishFailed(Job job, int failed, String reason, String message) {
        String now = Instant.now().toString();
        updateJob(job, j -> {
            j.getStatus().setActive(0);
            j.getStatus().setFailed(failed);
            j.getStatus().setConditions(conditions(j, condition("FailureTarget", reason, message, now),
                    condition("Failed", reason, message, now)));
            return j;
        });
    }

    private static List<JobCondition> conditions(Job job, JobCondition... added) {
        List<JobCondition> all = new ArrayList<>(job.getStatus().getConditions() == null ? List.of() : job.getStatus().getConditions());
        all.addAll(List.of(added));
        return all;
    }

    private static JobCondition condition(String type, String reason, String message, String now) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(now).withLastTransitionTime(now).build();
    }

    private void updateJob(Job job, UnaryOperator<Job> change) {
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .editStatus(j -> {
                    if (j.getStatus() == null) {
                        j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
                    }
                    return change.apply(j);
                });
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        workers.shutdownNow();
    }
}
