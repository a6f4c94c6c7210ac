package io.nightshift.operator.runnow;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.operator.reconcile.Names;
import io.nightshift.operator.resource.MaintenanceJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code nightshift.io/run-now: "<value>"}: one Job from the CronJob's template per distinct value.
 * The Job's name is derived from the value, so however often the operator sees the value (restarts, a
 * second replica), Kubernetes holds at most one such Job; the value is then recorded in status.
 */
public final class RunNow {

    private RunNow() {
    }

    /** The annotation's value when it asks for a run not yet started. */
    public static Optional<String> requested(MaintenanceJob job) {
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(MetadataKeys.RUN_NOW_ANNOTATION);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String done = job.getStatus() == null ? null : job.getStatus().getLastRunNow();
        return value.equals(done) ? Optional.empty() : Optional.of(value);
    }

    /** The Job for this value: the CronJob's template, labelled as a manual run, owned by the CronJob. */
    public static Job job(CronJob cron, String value) {
        Map<String, String> labels = new LinkedHashMap<>(cron.getSpec().getJobTemplate().getMetadata().getLabels());
        labels.put(MetadataKeys.TRIGGER_LABEL, MetadataKeys.TRIGGER_MANUAL);
        Map<String, String> annotations = new LinkedHashMap<>(cron.getSpec().getJobTemplate().getMetadata().getAnnotations());
        annotations.put(MetadataKeys.RUN_NOW_ANNOTATION, value);
        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName(cron.getMetadata().getName(), value))
                    .withNamespace(cron.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
                            .withName(cron.getMetadata().getName()).withUid(cron.getMetadata().getUid()).withController(false)
                            .withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(cron.getSpec().getJobTemplate().getSpec())
                .build();
    }

    /** {@code <cronjob>-m<hash of value>}: at most 62 characters, so pods' job-name labels fit in 63. */
    public static String jobName(String cronJobName, String value) {
        return cronJobName + "-m" + Names.hash(value, 4);
    }
}
