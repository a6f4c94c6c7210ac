package io.nightshift.sandbox.examples;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.nightshift.api.DeepgramCostSyncTask;
import io.nightshift.api.SecretReference;
import io.nightshift.api.StorageCleanupTask;
import io.nightshift.api.Task;
import io.nightshift.operator.resource.DatabaseRef;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Points the examples at the sandbox instead of real services: every Secret a job references gets the
 * sandbox's values under the keys the job reads (the database's connection, and the stub Supabase and
 * Deepgram credentials under the keys the task's kind maps to their environment variables), and a
 * Deepgram task calls the stub. Everything else is applied as written.
 */
public final class SandboxWiring {

    /** Where the sandbox's stand-ins are. */
    public record Endpoints(String databaseUri, String supabaseUrl, String supabaseServiceKey, String deepgramUrl, String deepgramKey) {

        /** The stand-ins' credentials by the environment variable a task reads them from. */
        Map<String, String> environment() {
            return Map.of(StorageCleanupTask.URL_ENV, supabaseUrl, StorageCleanupTask.SERVICE_KEY_ENV, supabaseServiceKey,
                    DeepgramCostSyncTask.API_KEY_ENV, deepgramKey);
        }
    }

    private SandboxWiring() {
    }

    /** The examples' Secrets with the sandbox's values, plus any Secret a job references that the examples lack. */
    public static List<Secret> secrets(List<MaintenanceJob> jobs, List<Secret> exampleSecrets, String namespace, Endpoints endpoints) {
        Map<String, Map<String, String>> values = new LinkedHashMap<>();
        for (Secret secret : exampleSecrets) {
            Map<String, String> data = new LinkedHashMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (secret.getStringData() != null) {
                data.putAll(secret.getStringData());
            }
            values.put(secret.getMetadata().getName(), data);
        }
        for (MaintenanceJob job : jobs) {
            MaintenanceJobSpec spec = job.getSpec();
            database(values.computeIfAbsent(spec.database().secretName(), k -> new LinkedHashMap<>()), spec.database(), endpoints);
            Map<String, String> env = endpoints.environment();
            for (SecretReference secret : spec.task().secrets()) {
                Map<String, String> data = values.computeIfAbsent(secret.secretName(), k -> new LinkedHashMap<>());
                secret.keys().stream().filter(key -> env.containsKey(key.env())).forEach(key -> data.put(key.key(), env.get(key.env())));
            }
        }
        List<Secret> secrets = new ArrayList<>();
        values.forEach((name, data) -> secrets.add(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build())
                .withType("Opaque").withStringData(data).build()));
        return secrets;
    }

    private static void database(Map<String, String> secret, DatabaseRef db, Endpoints endpoints) {
        if (!db.usesDiscreteKeys()) {
            secret.put(db.urlKeyOrDefault(), endpoints.databaseUri());
            return;
        }
        URI uri = URI.create(endpoints.databaseUri());
        String[] userInfo = uri.getUserInfo().split(":", 2);
        secret.put(db.hostKeyOrDefault(), uri.getHost());
        secret.put(db.portKeyOrDefault(), String.valueOf(uri.getPort()));
        secret.put(db.dbnameKeyOrDefault(), uri.getPath().substring(1));
        secret.put(db.userKeyOrDefault(), userInfo[0]);
        secret.put(db.passwordKeyOrDefault(), userInfo.length > 1 ? userInfo[1] : "");
    }

    /** The job in the sandbox's namespace; a Deepgram task calls the stub instead of api.deepgram.com. */
    public static MaintenanceJob job(MaintenanceJob example, String namespace, Endpoints endpoints) {
        MaintenanceJob job = new MaintenanceJob();
        job.setMetadata(new ObjectMetaBuilder(example.getMetadata()).withNamespace(namespace).build());
        MaintenanceJobSpec spec = example.getSpec();
        DeepgramCostSyncTask deepgram = spec.task().deepgramCostSync();
        if (deepgram != null) {
            Task task = Task.of(new DeepgramCostSyncTask(deepgram.secretName(), endpoints.deepgramUrl(), deepgram.table(),
                    deepgram.requestIdColumn(), deepgram.costColumn(), deepgram.concurrency(), deepgram.maxRequestsPerSecond(),
                    deepgram.where(), deepgram.limit(), deepgram.countExistingAsUnchanged()));
            spec = withTask(spec, task);
        }
        job.setSpec(spec);
        return job;
    }

    private static MaintenanceJobSpec withTask(MaintenanceJobSpec s, Task task) {
        return new MaintenanceJobSpec(s.schedule(), s.timeZone(), s.suspend(), s.concurrencyPolicy(), s.startingDeadlineSeconds(), s.timeout(),
                s.retries(), s.successfulJobsHistoryLimit(), s.failedJobsHistoryLimit(), s.database(), s.ledger(), task, s.image(),
                s.imagePullPolicy(), s.resources(), s.serviceAccountName(), s.nodeSelector(), s.tolerations(), s.affinity(), s.labels(),
                s.annotations());
    }
}
