package io.nightshift.operator.cache;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the informer caches keep of each object: what the operator reads, nothing more. Objects from a
 * real API server carry {@code managedFields} and every defaulted field; kept whole, 10,000
 * MaintenanceJobs with their CronJobs, Jobs and pods fill the chart's 512 MiB.
 *
 * <ul>
 * <li>MaintenanceJobs: whole, without {@code managedFields} and kubectl's last-applied-configuration
 * annotation (a second copy of the spec).</li>
 * <li>CronJobs: the same, with the spec held as compact JSON ({@link CompactCronJobStore}): the
 * matcher compares it and run-now copies its job template, once a reconcile.</li>
 * <li>Jobs: metadata and status (how a run went); their spec (a copy of the pod template) is not read.</li>
 * <li>Pods: metadata, phase and the container statuses (why a run is blocked or how it ended).</li>
 * </ul>
 */
public final class CachePruning {

    /**
     * Informers list in pages of this many objects: a list of 10,000 CronJobs in one answer would be
     * deserialised whole, managedFields and all, before any of it is pruned.
     */
    public static final long LIST_PAGE = 500;

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private CachePruning() {
    }

    public static <R extends HasMetadata> ItemStore<R> whole() {
        return new TransformingItemStore<>(CachePruning::withoutBookkeeping);
    }

    public static ItemStore<CronJob> cronJobs() {
        return new CompactCronJobStore();
    }

    public static ItemStore<Job> jobs() {
        return new TransformingItemStore<>((UnaryOperator<Job>) CachePruning::job);
    }

    public static ItemStore<Pod> pods() {
        return new TransformingItemStore<>((UnaryOperator<Pod>) CachePruning::pod);
    }

    static <R extends HasMetadata> R withoutBookkeeping(R resource) {
        resource.setMetadata(metadata(resource.getMetadata()));
        return resource;
    }

    static Job job(Job job) {
        Job pruned = new Job();
        pruned.setMetadata(metadata(job.getMetadata()));
        pruned.setStatus(job.getStatus());
        return pruned;
    }

    static Pod pod(Pod pod) {
        Pod pruned = new Pod();
        pruned.setMetadata(metadata(pod.getMetadata()));
        PodStatus status = pod.getStatus();
        if (status != null) {
            pruned.setStatus(new PodStatusBuilder().withPhase(status.getPhase()).withReason(status.getReason()).withMessage(status.getMessage())
                    .withConditions(status.getConditions())
                    .withContainerStatuses(containers(status.getContainerStatuses()))
                    .withInitContainerStatuses(containers(status.getInitContainerStatuses())).build());
        }
        return pruned;
    }

    private static List<ContainerStatus> containers(List<ContainerStatus> statuses) {
        if (statuses == null) {
            return null;
        }
        return statuses.stream().map(s -> new ContainerStatusBuilder().withName(s.getName()).withState(s.getState())
                .withLastState(s.getLastState()).withReady(s.getReady()).withRestartCount(s.getRestartCount()).build()).toList();
    }

    private static ObjectMeta metadata(ObjectMeta meta) {
        if (meta == null) {
            return null;
        }
        Map<String, String> annotations = meta.getAnnotations();
        if (annotations != null) {
            annotations.remove(LAST_APPLIED);
        }
        meta.setManagedFields(null);
        return meta;
    }
}
