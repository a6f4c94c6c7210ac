package io.nightshift.operator.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.nightshift.api.SecretReference;
import io.nightshift.api.Task;
import io.nightshift.api.contract.ExitCodes;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.api.contract.RunnerEnvironment;
import io.nightshift.operator.resource.DatabaseRef;
import io.nightshift.operator.resource.LedgerRef;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a valid MaintenanceJob into the CronJob that runs it: a pure function of the resource and the
 * operator's runner image. The pod follows the runner's contract and Kubernetes' restricted security profile.
 */
public final class CronJobRenderer {

    public static final String CONTAINER = "runner";
    static final long RUNNER_UID = 10001;

    private static final ObjectMapper TASK_JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private CronJobRenderer() {
    }

    public static CronJob render(MaintenanceJob job, String defaultRunnerImage) {
        MaintenanceJobSpec spec = job.getSpec();
        String name = job.getMetadata().getName();
        Map<String, String> labels = labels(name, spec);
        Map<String, String> jobLabels = new LinkedHashMap<>(labels);
        jobLabels.put(MetadataKeys.TRIGGER_LABEL, MetadataKeys.TRIGGER_SCHEDULE);
        Map<String, String> jobAnnotations = new LinkedHashMap<>(userMap(spec.annotations()));
        jobAnnotations.put(MetadataKeys.MAINTENANCE_JOB_NAME_ANNOTATION, name);
        return new CronJobBuilder()
                .withNewMetadata()
                    .withName(Names.cronJobName(name))
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(new LinkedHashMap<>(userMap(spec.annotations())))
                .endMetadata()
                .withNewSpec()
                    .withSchedule(spec.schedule().trim())
                    .withTimeZone(spec.timeZoneOrDefault())
                    .withSuspend(spec.suspended())
                    .withConcurrencyPolicy(spec.concurrencyPolicyOrDefault().name())
                    .withStartingDeadlineSeconds(spec.startingDeadlineSeconds())
                    .withSuccessfulJobsHistoryLimit(spec.successfulJobsHistoryLimit() == null ? 3 : spec.successfulJobsHistoryLimit())
                    .withFailedJobsHistoryLimit(spec.failedJobsHistoryLimit() == null ? 3 : spec.failedJobsHistoryLimit())
                    .withNewJobTemplate()
                        .withNewMetadata().withLabels(jobLabels).withAnnotations(jobAnnotations).endMetadata()
                        .withNewSpec()
                            .withActiveDeadlineSeconds(spec.timeoutOrDefault().map(Duration::toSeconds).orElse(null))
                            .withBackoffLimit(spec.retries() == null ? 0 : spec.retries())
                            .withPodFailurePolicy(new PodFailurePolicyBuilder()
                                    .addNewRule().withAction("FailJob").withNewOnExitCodes().withContainerName(CONTAINER)
                                        .withOperator("In").withValues(ExitCodes.CONFIGURATION).endOnExitCodes().endRule()
                                    .addNewRule().withAction("Ignore").addNewOnPodCondition().withType("DisruptionTarget")
                                        .withStatus("True").endOnPodCondition().endRule()
                                    .build())
                            .withNewTemplate()
                                .withNewMetadata().withLabels(labels).withAnnotations(jobAnnotations).endMetadata()
                                .withSpec(pod(job, defaultRunnerImage))
                            .endTemplate()
                        .endSpec()
                    .endJobTemplate()
                .endSpec()
                .build();
    }

    private static Map<String, String> labels(String name, MaintenanceJobSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>(userMap(spec.labels()));
        labels.put(MetadataKeys.NAME_LABEL, MetadataKeys.NAME);
        labels.put(MetadataKeys.MANAGED_BY_LABEL, MetadataKeys.MANAGED_BY);
        labels.put(MetadataKeys.MAINTENANCE_JOB_LABEL, Names.maintenanceJobLabelValue(name));
        return labels;
    }

    private static PodSpec pod(MaintenanceJob job, String defaultRunnerImage) {
        MaintenanceJobSpec spec = job.getSpec();
        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false)
                .withServiceAccountName(spec.serviceAccountName())
                .withNodeSelector(spec.nodeSelector() == null || spec.nodeSelector().isEmpty() ? null : spec.nodeSelector())
                .withTolerations(spec.tolerations() == null || spec.tolerations().isEmpty() ? null : spec.tolerations())
                .withAffinity(spec.affinity())
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(RUNNER_UID)
                    .withRunAsGroup(RUNNER_UID)
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(job, defaultRunnerImage))
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .build();
    }

    private static Container container(MaintenanceJob job, String defaultRunnerImage) {
        MaintenanceJobSpec spec = job.getSpec();
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image(spec, defaultRunnerImage))
                .withImagePullPolicy(spec.imagePullPolicy() != null ? spec.imagePullPolicy() : defaultPullPolicy(image(spec, defaultRunnerImage)))
                .withArgs("run")
                .withEnv(env(job))
                .withEnvFrom(envFrom(spec.task()))
                .withResources(spec.resources())
                .withTerminationMessagePath(RunnerEnvironment.DEFAULT_TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withRunAsNonRoot(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
    }

    private static String image(MaintenanceJobSpec spec, String defaultRunnerImage) {
        return spec.image() == null || spec.image().isBlank() ? defaultRunnerImage : spec.image();
    }

    /** What the API server would fill in (Always for :latest or no tag), written out so the CronJob matches as stored. */
    static String defaultPullPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int colon = image.lastIndexOf(':');
        String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
        return "latest".equals(tag) ? "Always" : "IfNotPresent";
    }

    private static List<EnvVar> env(MaintenanceJob job) {
        MaintenanceJobSpec spec = job.getSpec();
        List<EnvVar> env = new ArrayList<>();
        env.add(value(RunnerEnvironment.JOB_NAME, job.getMetadata().getName()));
        env.add(value(RunnerEnvironment.NAMESPACE, job.getMetadata().getNamespace()));
        env.add(value(RunnerEnvironment.TASK, taskJson(spec.task())));
        env.add(value(RunnerEnvironment.LEDGER_TABLE, LedgerRef.qualified(spec.ledger())));
        if (spec.ledger() != null && spec.ledger().keep() != null) {
            env.add(value(RunnerEnvironment.LEDGER_KEEP, spec.ledger().keep().trim()));
        }
        env.add(value(RunnerEnvironment.TERMINATION_LOG, RunnerEnvironment.DEFAULT_TERMINATION_LOG));
        env.add(field(RunnerEnvironment.POD_NAME, "metadata.name"));
        // The slot: the CronJob controller names each Job <cronjob>-<scheduled minute since the epoch>. Its
        // cronjob-scheduled-timestamp annotation is on the Job only, never on the pod, so the downward API
        // cannot pass that; the pod's job-name label can.
        env.add(value(RunnerEnvironment.CRONJOB, Names.cronJobName(job.getMetadata().getName())));
        env.add(field(RunnerEnvironment.KUBERNETES_JOB, "metadata.labels['" + MetadataKeys.JOB_NAME_LABEL + "']"));
        // A Job succeeds at most once even when Kubernetes starts its pod again: the runner knows the Job by its uid.
        env.add(field(RunnerEnvironment.KUBERNETES_JOB_UID, "metadata.labels['" + MetadataKeys.CONTROLLER_UID_LABEL + "']"));
        DatabaseRef db = spec.database();
        if (db.usesDiscreteKeys()) {
            env.add(secret(RunnerEnvironment.PGHOST, db.secretName(), db.hostKeyOrDefault()));
            env.add(secret(RunnerEnvironment.PGPORT, db.secretName(), db.portKeyOrDefault()));
            env.add(secret(RunnerEnvironment.PGDATABASE, db.secretName(), db.dbnameKeyOrDefault()));
            env.add(secret(RunnerEnvironment.PGUSER, db.secretName(), db.userKeyOrDefault()));
            env.add(secret(RunnerEnvironment.PGPASSWORD, db.secretName(), db.passwordKeyOrDefault()));
            if (db.sslMode() != null) {
                env.add(value(RunnerEnvironment.PGSSLMODE, db.sslMode()));
            }
        } else {
            env.add(secret(RunnerEnvironment.DATABASE_URL, db.secretName(), db.urlKeyOrDefault()));
        }
        for (SecretReference secret : spec.task().secrets()) {
            secret.keys().forEach(key -> env.add(secret(key.env(), secret.secretName(), key.key())));
        }
        return env;
    }

    /** The task's Secrets whose every key is an environment variable; null when there are none (as the API server stores it). */
    private static List<EnvFromSource> envFrom(Task task) {
        List<EnvFromSource> envFrom = task.secrets().stream().filter(SecretReference::everyKey)
                .map(secret -> new EnvFromSourceBuilder().withNewSecretRef().withName(secret.secretName()).endSecretRef().build())
                .toList();
        return envFrom.isEmpty() ? null : envFrom;
    }

    /** The task exactly as written in spec.task, as JSON: the runner's NIGHTSHIFT_TASK. */
    public static String taskJson(Task task) {
        try {
            return TASK_JSON.writeValueAsString(task);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the task cannot be written as JSON", e);
        }
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar field(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withApiVersion("v1").withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    private static EnvVar secret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
                .endSecretKeyRef().endValueFrom().build();
    }

    private static Map<String, String> userMap(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
