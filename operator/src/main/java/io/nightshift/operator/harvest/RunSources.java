package io.nightshift.operator.harvest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.operator.cache.CachePruning;
import io.nightshift.operator.resource.MaintenanceJob;
import java.util.Map;
import java.util.Set;

/**
 * The Jobs and pods of MaintenanceJobs, watched as secondary resources. Jobs made by the CronJob are
 * owned by the CronJob, not the MaintenanceJob: they are mapped back through the annotation
 * {@code nightshift.io/maintenance-job-name} that the CronJob's templates put on every Job and pod.
 */
public final class RunSources {

    private RunSources() {
    }

    public static InformerEventSource<Job, MaintenanceJob> jobs(EventSourceContext<MaintenanceJob> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, MaintenanceJob.class)
                .withName("jobs")
                .withItemStore(CachePruning.jobs())
                .withInformerListLimit(CachePruning.LIST_PAGE)
                .withLabelSelector(MetadataKeys.MANAGED_BY_LABEL + "=" + MetadataKeys.MANAGED_BY)
                .withSecondaryToPrimaryMapper(RunSources.<Job>byAnnotation())
                .build(), context);
    }

    public static InformerEventSource<Pod, MaintenanceJob> pods(EventSourceContext<MaintenanceJob> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, MaintenanceJob.class)
                .withName("pods")
                .withItemStore(CachePruning.pods())
                .withInformerListLimit(CachePruning.LIST_PAGE)
                .withLabelSelector(MetadataKeys.MANAGED_BY_LABEL + "=" + MetadataKeys.MANAGED_BY)
                .withSecondaryToPrimaryMapper(RunSources.<Pod>byAnnotation())
                .build(), context);
    }

    private static <R extends HasMetadata> SecondaryToPrimaryMapper<R> byAnnotation() {
        return resource -> {
            Map<String, String> annotations = resource.getMetadata().getAnnotations();
            String name = annotations == null ? null : annotations.get(MetadataKeys.MAINTENANCE_JOB_NAME_ANNOTATION);
            return name == null ? Set.of() : Set.of(new ResourceID(name, resource.getMetadata().getNamespace()));
        };
    }

    /** The pods of one Job, by the label the Job controller puts on them. */
    public static boolean belongsTo(Pod pod, Job job) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels == null) {
            return false;
        }
        String name = labels.getOrDefault(MetadataKeys.JOB_NAME_LABEL, labels.get(MetadataKeys.LEGACY_JOB_NAME_LABEL));
        return job.getMetadata().getName().equals(name);
    }
}
