package io.nightshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.resource.MaintenanceJob;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CronJobRendererTest {

    static final String FULL = """
            apiVersion: nightshift.io/v1alpha1
            kind: MaintenanceJob
            metadata: {name: user-scores, namespace: app}
            spec:
              schedule: "30 4 * * 1-5"
              timeZone: Europe/Berlin
              suspend: true
              concurrencyPolicy: Replace
              startingDeadlineSeconds: 300
              timeout: 1h30m
              retries: 4
              successfulJobsHistoryLimit: 5
              failedJobsHistoryLimit: 7
              database: {secretName: cluster-app, hostKey: host, portKey: port, dbnameKey: dbname, userKey: user, passwordKey: password,
                sslMode: require}
              ledger: {schema: ops, table: runs, keep: 30d}
              task:
                sql:
                  statement: "UPDATE users SET score = 1 WHERE id IN (SELECT id FROM users WHERE score IS NULL LIMIT 10000)"
                  repeatUntilNoRows: true
              image: registry.example/runner:9
              imagePullPolicy: Always
              resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
              serviceAccountName: maintenance
              nodeSelector: {pool: batch}
              tolerations: [{key: batch, operator: Exists, effect: NoSchedule}]
              affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}}}
              labels: {team: growth}
              annotations: {owner: growth@example.com}
            """;

    private static Map<String, EnvVar> env(Container c) {
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    @Test
    void everySpecFieldLandsInTheCronJob() {
        MaintenanceJob job = Fixtures.job(FULL);
        CronJob cron = CronJobRenderer.render(job, "default/runner:1");

        assertThat(cron.getMetadata().getName()).isEqualTo("user-scores");
        assertThat(cron.getMetadata().getNamespace()).isEqualTo("app");
        assertThat(cron.getMetadata().getLabels()).containsEntry("team", "growth")
                .containsEntry("app.kubernetes.io/managed-by", "nightshift").containsEntry("nightshift.io/maintenance-job", "user-scores");
        assertThat(cron.getMetadata().getAnnotations()).containsEntry("owner", "growth@example.com");
        assertThat(cron.getSpec().getSchedule()).isEqualTo("30 4 * * 1-5");
        assertThat(cron.getSpec().getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(cron.getSpec().getSuspend()).isTrue();
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Replace");
        assertThat(cron.getSpec().getStartingDeadlineSeconds()).isEqualTo(300);
        assertThat(cron.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(5);
        assertThat(cron.getSpec().getFailedJobsHistoryLimit()).isEqualTo(7);

        assertThat(cron.getSpec().getJobTemplate().getMetadata().getLabels()).containsEntry("nightshift.io/maintenance-job", "user-scores")
                .containsEntry("nightshift.io/trigger", "schedule").containsEntry("team", "growth");
        assertThat(cron.getSpec().getJobTemplate().getMetadata().getAnnotations())
                .containsEntry("nightshift.io/maintenance-job-name", "user-scores");
        JobSpec jobSpec = cron.getSpec().getJobTemplate().getSpec();
        assertThat(jobSpec.getActiveDeadlineSeconds()).isEqualTo(5400);
        assertThat(jobSpec.getBackoffLimit()).isEqualTo(4);
        assertThat(jobSpec.getPodFailurePolicy().getRules().get(0).getAction()).isEqualTo("FailJob");
        assertThat(jobSpec.getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues()).containsExactly(2);
        assertThat(jobSpec.getPodFailurePolicy().getRules().get(0).getOnExitCodes().getContainerName()).isEqualTo("runner");

        assertThat(jobSpec.getTemplate().getMetadata().getLabels()).containsEntry("nightshift.io/maintenance-job", "user-scores");
        PodSpec pod = jobSpec.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName()).isEqualTo("maintenance");
        assertThat(pod.getNodeSelector()).containsEntry("pool", "batch");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("batch"));
        assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());

        Container c = pod.getContainers().get(0);
        assertThat(c.getName()).isEqualTo("runner");
        assertThat(c.getImage()).isEqualTo("registry.example/runner:9");
        assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        assertThat(c.getArgs()).containsExactly("run");
        assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("256Mi"));
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));

        Map<String, EnvVar> env = env(c);
        assertThat(env.get("NIGHTSHIFT_JOB_NAME").getValue()).isEqualTo("user-scores");
        assertThat(env.get("NIGHTSHIFT_NAMESPACE").getValue()).isEqualTo("app");
        assertThat(env.get("NIGHTSHIFT_LEDGER_TABLE").getValue()).isEqualTo("ops.runs");
        assertThat(env.get("NIGHTSHIFT_LEDGER_KEEP").getValue()).isEqualTo("30d");
        assertThat(env.get("NIGHTSHIFT_TERMINATION_LOG").getValue()).isEqualTo("/dev/termination-log");
        assertThat(env.get("NIGHTSHIFT_TASK").getValue()).isEqualTo("{\"sql\":{\"statement\":\"UPDATE users SET score = 1 WHERE id IN "
                + "(SELECT id FROM users WHERE score IS NULL LIMIT 10000)\",\"repeatUntilNoRows\":true}}");
        assertThat(env.get("NIGHTSHIFT_POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get("NIGHTSHIFT_CRONJOB").getValue()).isEqualTo("user-scores");
        assertThat(env.get("NIGHTSHIFT_KUBERNETES_JOB").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.labels['batch.kubernetes.io/job-name']");
        assertThat(env.get("NIGHTSHIFT_KUBERNETES_JOB_UID").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.labels['batch.kubernetes.io/controller-uid']");
        assertThat(env.get("PGHOST").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("host");
        assertThat(env.get("PGUSER").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("user");
        assertThat(env.get("PGPASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("cluster-app");
        assertThat(env.get("PGPASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        assertThat(env.get("PGDATABASE").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("dbname");
        assertThat(env.get("PGSSLMODE").getValue()).isEqualTo("require");
        assertThat(env).doesNotContainKey("NIGHTSHIFT_DATABASE_URL");
        assertThat(c.getEnv()).allSatisfy(e -> assertThat(e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null
                || e.getValue() == null).isTrue());
    }

    @Test
    void defaultsFollowKubernetesAndTheDesign() {
        CronJob cron = CronJobRenderer.render(Fixtures.logCleanup("app", "log-cleanup"), "default/runner:1");
        assertThat(cron.getSpec().getTimeZone()).isEqualTo("UTC");
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cron.getSpec().getSuspend()).isFalse();
        Container c = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("default/runner:1");
        Map<String, EnvVar> env = env(c);
        assertThat(env.get("NIGHTSHIFT_DATABASE_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("app-db");
        assertThat(env.get("NIGHTSHIFT_DATABASE_URL").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("uri");
        assertThat(env.get("NIGHTSHIFT_LEDGER_TABLE").getValue()).isEqualTo("public.job_executions");
        assertThat(env).as("the runner picks the default keep: it knows who made the table").doesNotContainKey("NIGHTSHIFT_LEDGER_KEEP");
        assertThat(env.get("NIGHTSHIFT_TASK").getValue()).isEqualTo(
                "{\"retention\":{\"table\":\"public.system_logs\",\"timestampColumn\":\"timestamp\",\"olderThan\":\"2d\",\"batchSize\":5000}}");
    }

    @Test
    void withoutATimeoutARunStopsAfterOneHourAndZeroMeansNoDeadline() {
        String job = """
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: reset, namespace: app}
                spec:
                  schedule: "0 0 * * *"
                  %s
                  database: {secretName: app-db}
                  task: {sql: {statement: "SELECT reset_daily_request_counts()"}}
                """;
        assertThat(activeDeadline(Fixtures.job(job.formatted("")))).isEqualTo(3600);
        assertThat(activeDeadline(Fixtures.job(job.formatted("timeout: \"0\"")))).isNull();
        assertThat(activeDeadline(Fixtures.job(job.formatted("timeout: 0s")))).isNull();
        assertThat(activeDeadline(Fixtures.job(job.formatted("timeout: 2h")))).isEqualTo(7200);
    }

    private static Long activeDeadline(MaintenanceJob job) {
        return CronJobRenderer.render(job, "r").getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds();
    }

    @Test
    void serviceTasksGetTheirCredentialsOnlyAsSecretReferences() {
        MaintenanceJob storage = Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: audio-cleanup, namespace: app}
                spec:
                  schedule: "0 2 * * *"
                  database: {secretName: app-db}
                  task: {storageCleanup: {secretName: supabase, bucket: audio, table: transcriptions, pathColumn: audio_path, timestampColumn: created_at}}
                """);
        Map<String, EnvVar> env = env(CronJobRenderer.render(storage, "r").getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                .getContainers().get(0));
        assertThat(env.get("SUPABASE_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("supabase");
        assertThat(env.get("SUPABASE_URL").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("url");
        assertThat(env.get("SUPABASE_SERVICE_KEY").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("serviceKey");

        MaintenanceJob deepgram = Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: cost-update, namespace: app}
                spec:
                  schedule: "0 3 * * *"
                  database: {secretName: app-db}
                  task: {deepgramCostSync: {secretName: deepgram}}
                """);
        Map<String, EnvVar> dg = env(CronJobRenderer.render(deepgram, "r").getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                .getContainers().get(0));
        assertThat(dg.get("DEEPGRAM_API_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("deepgram");
        assertThat(dg.get("DEEPGRAM_API_KEY").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("apiKey");

        MaintenanceJob http = Fixtures.job("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: admin-cleanup, namespace: app}
                spec:
                  schedule: "0 3 * * *"
                  database: {secretName: app-db}
                  task: {http: {method: POST, url: "https://api.example.com/admin/cleanup-logs", headersSecretName: admin-api}}
                """);
        Container c = CronJobRenderer.render(http, "r").getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getEnvFrom()).singleElement().satisfies(f -> assertThat(f.getSecretRef().getName()).isEqualTo("admin-api"));
    }

    @Test
    void longNamesGetShortStableNamesAndLabels() {
        String name = "nightly-recalculation-of-every-user-score-for-the-leaderboard-and-the-weekly-digest";
        CronJob cron = CronJobRenderer.render(Fixtures.logCleanup("app", name), "r");
        assertThat(cron.getMetadata().getName()).hasSizeLessThanOrEqualTo(52).startsWith("nightly-recalculation-of-every-user-score");
        assertThat(cron.getMetadata().getName()).isEqualTo(CronJobRenderer.render(Fixtures.logCleanup("app", name), "r").getMetadata().getName());
        assertThat(cron.getMetadata().getName()).isNotEqualTo(Names.cronJobName(name + "-2"));
        assertThat(cron.getMetadata().getLabels().get("nightshift.io/maintenance-job")).hasSizeLessThanOrEqualTo(63);
        assertThat(cron.getSpec().getJobTemplate().getMetadata().getAnnotations()).containsEntry("nightshift.io/maintenance-job-name", name);
        assertThat(Names.cronJobName("short")).isEqualTo("short");
    }
}
