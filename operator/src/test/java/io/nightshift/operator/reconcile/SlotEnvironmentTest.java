package io.nightshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.operator.RealApiServer;
import io.nightshift.operator.resource.MaintenanceJob;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The runner learns its scheduled slot from what a real pod has: the Job's
 * {@code batch.kubernetes.io/cronjob-scheduled-timestamp} annotation does not reach the pod, but the
 * Job's name (the slot's minute since the epoch) does, in the pod's {@code batch.kubernetes.io/job-name} label.
 */
class SlotEnvironmentTest {

    private static final Pattern FIELD = Pattern.compile("metadata\\.(labels|annotations)\\['([^']+)'\\]|metadata\\.name");

    /** What the kubelet puts into the container's environment, for plain values and the pod's own fields. */
    private static Map<String, String> resolve(List<EnvVar> env, Pod pod) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar e : env) {
            if (e.getValue() != null) {
                out.put(e.getName(), e.getValue());
            } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
                Matcher m = FIELD.matcher(e.getValueFrom().getFieldRef().getFieldPath());
                assertThat(m.matches()).as(e.getName()).isTrue();
                Map<String, String> source = m.group(1) == null ? Map.of("", pod.getMetadata().getName())
                        : m.group(1).equals("labels") ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
                out.put(e.getName(), source.getOrDefault(m.group(2) == null ? "" : m.group(2), ""));
            }
        }
        return out;
    }

    @Test
    void theSlotOfARealJobReachesTheRunnerThroughItsPod() {
        Job job = RealApiServer.jobs().get(0);
        Pod pod = RealApiServer.pods().get(0);
        String scheduled = job.getMetadata().getAnnotations().get(MetadataKeys.CRONJOB_SCHEDULED_TIMESTAMP);
        assertThat(scheduled).isEqualTo("2026-12-02T06:44:00Z");
        assertThat(pod.getMetadata().getAnnotations()).as("the pod has no slot annotation").doesNotContainKey(MetadataKeys.CRONJOB_SCHEDULED_TIMESTAMP);

        MaintenanceJob quantities = RealApiServer.maintenanceJobs().stream().filter(j -> j.getMetadata().getName().equals("quantities"))
                .findFirst().orElseThrow();
        List<EnvVar> env = CronJobRenderer.render(quantities, RealApiServer.RUNNER_IMAGE).getSpec().getJobTemplate().getSpec().getTemplate()
                .getSpec().getContainers().get(0).getEnv();
        Map<String, String> seen = resolve(env, pod);

        String cronJob = seen.get("NIGHTSHIFT_CRONJOB");
        String kubernetesJob = seen.get("NIGHTSHIFT_KUBERNETES_JOB");
        assertThat(kubernetesJob).isEqualTo(job.getMetadata().getName()).startsWith(cronJob + "-");
        long minutes = Long.parseLong(kubernetesJob.substring(cronJob.length() + 1));
        assertThat(Instant.ofEpochSecond(minutes * 60)).isEqualTo(Instant.parse(scheduled));
    }
}
