package io.nightshift.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.nightshift.operator.examples.ExampleDocuments.Document;
import io.nightshift.operator.reconcile.CronJobRenderer;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.validation.SpecValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * examples/ holds one MaintenanceJob per job of the original systems, each accepted by the CRD's schema
 * and by the operator, and rendered into a CronJob whose Secrets exist in examples/secrets.yaml.
 */
class ExamplesTest {

    private static final Path CRD = Path.of("../crds/maintenancejobs.nightshift.io-v1.yml");
    private static final Path SECRETS = ExampleDocuments.FOLDER.resolve("secrets.yaml");
    private static final String RUNNER_IMAGE = "ghcr.io/nightshift-io/job-runner:test";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The jobs of the original systems: name, schedule (UTC), task kind. */
    private static final List<List<String>> ORIGINAL_JOBS = List.of(
            List.of("log-cleanup", "0 3 * * *", "retention"),
            List.of("request-count-reset", "0 0 * * *", "sql"),
            List.of("rate-limit-cleanup", "30 3 * * *", "retention"),
            List.of("instagram-creator-stats", "0 * * * *", "sql"),
            List.of("proxy-success-rates", "0 */6 * * *", "sql"),
            List.of("user-score-recalculation", "0 4 * * *", "sql"),
            List.of("audio-cleanup", "0 2 * * *", "storageCleanup"),
            List.of("transcription-cost-update", "0 3 * * *", "deepgramCostSync"));
    /** The maintenance DBAs schedule: statements run outside a transaction, and a partitioned table kept up. */
    private static final List<List<String>> DBA_JOBS = List.of(
            List.of("nightly-vacuum", "30 4 * * *", "sql"),
            List.of("weekly-reindex", "0 5 * * 0", "sql"),
            List.of("events-partitions", "30 0 * * *", "partitions"));

    private static StructuralSchema schema;
    private static Map<String, Set<String>> secretKeys;

    @BeforeAll
    static void load() {
        schema = StructuralSchema.fromCrd(CRD);
        secretKeys = new LinkedHashMap<>();
        for (Document secret : ExampleDocuments.ofKind("Secret")) {
            if (secret.file().getFileName().equals(SECRETS.getFileName())) {
                Set<String> keys = new TreeSet<>();
                secret.content().path("stringData").fieldNames().forEachRemaining(keys::add);
                secret.content().path("data").fieldNames().forEachRemaining(keys::add);
                secretKeys.put(secret.name(), keys);
            }
        }
    }

    private static Stream<Document> jobs() {
        return ExampleDocuments.ofKind("MaintenanceJob").stream();
    }

    static Stream<Named<Document>> examples() {
        return jobs().map(j -> Named.of(j.file().getFileName().toString(), j));
    }

    private static Document job(String name) {
        return jobs().filter(j -> j.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no example " + name));
    }

    @Test
    void everyDocumentIsAMaintenanceJobOrASecret() {
        List<Document> documents = ExampleDocuments.all();
        assertThat(documents).isNotEmpty().allSatisfy(d -> {
            assertThat(d.kind()).as("kind of %s", d).isIn("MaintenanceJob", "Secret");
            assertThat(d.content().path("apiVersion").asText()).as("apiVersion of %s", d)
                    .isEqualTo(d.kind().equals("Secret") ? "v1" : "nightshift.io/v1alpha1");
            assertThat(d.content().at("/metadata/namespace").isMissingNode())
                    .as("%s names no namespace: the examples are applied with kubectl apply -n <ns>", d).isTrue();
        });
        assertThat(ExampleDocuments.ofKind("Secret")).as("the Secrets live in secrets.yaml")
                .allSatisfy(s -> assertThat(s.file().getFileName()).isEqualTo(SECRETS.getFileName()));
    }

    @Test
    void everyJobOfTheOriginalSystemsAndTheDbasIsThere() {
        List<List<String>> found = new ArrayList<>();
        jobs().forEach(j -> found.add(List.of(j.name(), j.content().at("/spec/schedule").asText(),
                j.content().at("/spec/task").fieldNames().next())));
        List<List<String>> expected = new ArrayList<>(ORIGINAL_JOBS);
        expected.addAll(DBA_JOBS);
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void followsTheConventionsOfTheExamples(Document job) throws Exception {
        assertThat(job.file().getFileName().toString()).as("file named after the job").isEqualTo(job.name() + ".yaml");
        assertThat(Files.readString(job.file())).as("starts with a comment saying what it does and replaces")
                .startsWith("# " + job.name() + ": ").contains("Replaces");
        JsonNode spec = job.content().path("spec");
        assertThat(spec.at("/database/secretName").asText()).as("%s: spec.database.secretName", job).isEqualTo("app-db");
        assertThat(spec.path("timeZone").asText()).as("%s: spec.timeZone", job).isEqualTo("UTC");
        assertThat(spec.path("timeout").isTextual()).as("%s: spec.timeout is set", job).isTrue();
        assertThat(spec.path("retries").isInt()).as("%s: spec.retries is set", job).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theCrdSchemaAcceptsIt(Document job) {
        assertThat(schema.validate(job.content())).as("schema errors of %s", job).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theOperatorFindsNothingWrongWithIt(Document job) throws Exception {
        assertThat(SpecValidator.validate(resource(job).getSpec())).as("the operator's objections to %s", job).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void itsCronJobRunsTheTaskOnItsScheduleWithSecretsThatExist(Document job) throws Exception {
        CronJob cronJob = CronJobRenderer.render(resource(job), RUNNER_IMAGE);

        assertThat(cronJob.getSpec().getSchedule()).isEqualTo(job.content().at("/spec/schedule").asText());
        assertThat(cronJob.getSpec().getTimeZone()).isEqualTo(job.content().at("/spec/timeZone").asText());
        Container runner = runnerContainer(cronJob);
        List<String> secretRefs = secretKeyRefs(runner);
        assertThat(secretRefs).as("the database URI").contains("app-db/uri");
        assertThat(secretRefs).as("secretKeyRefs of %s", job).allSatisfy(ref -> {
            String[] nameAndKey = ref.split("/", 2);
            assertThat(secretKeys).as("Secrets of secrets.yaml").containsKey(nameAndKey[0]);
            assertThat(secretKeys.get(nameAndKey[0])).as("keys of Secret %s", nameAndKey[0]).contains(nameAndKey[1]);
        });
        if (runner.getEnvFrom() != null) {
            assertThat(runner.getEnvFrom()).extracting(EnvFromSource::getSecretRef).allSatisfy(ref ->
                    assertThat(secretKeys).containsKey(ref.getName()));
        }
        String task = runner.getEnv().stream().filter(e -> e.getName().equals("NIGHTSHIFT_TASK")).findFirst().orElseThrow().getValue();
        assertThat(JSON.readTree(task)).as("NIGHTSHIFT_TASK is spec.task").isEqualTo(job.content().at("/spec/task"));
    }

    @Test
    void everySecretOfSecretsYamlIsUsedByAnExample() throws Exception {
        Set<String> used = new HashSet<>();
        for (Document job : jobs().toList()) {
            used.addAll(secretKeyRefs(runnerContainer(CronJobRenderer.render(resource(job), RUNNER_IMAGE))));
        }
        List<String> defined = new ArrayList<>();
        secretKeys.forEach((name, keys) -> keys.forEach(key -> defined.add(name + "/" + key)));
        assertThat(used).containsExactlyInAnyOrderElementsOf(defined);
    }

    // The schema check itself: a copy of an example with one mistake gets an error naming the field.

    @Test
    void aMisspeltFieldIsRejected() {
        ObjectNode copy = logCleanup();
        assertThat(schema.validate(copy)).as("the example as it is").isEmpty();
        ObjectNode retention = (ObjectNode) copy.at("/spec/task/retention");
        retention.set("batchSise", retention.remove("batchSize"));

        assertThat(schema.validate(copy)).singleElement().asString().contains("/spec/task/retention").contains("batchSise");
    }

    @Test
    void unknownFieldsAreRejectedAtEveryLevel() {
        ObjectNode copy = logCleanup();
        ((ObjectNode) copy.path("metadata")).put("lables", "team=growth");
        ((ObjectNode) copy.path("spec")).put("timezone", "UTC");
        ((ObjectNode) copy.at("/spec/database")).put("key", "uri");
        copy.putObject("Spec");

        assertThat(schema.validate(copy)).hasSize(4);
        assertThat(String.join("\n", schema.validate(copy))).contains("/metadata", "'lables'", "/spec", "'timezone'", "/spec/database", "'key'", "'Spec'");
    }

    @Test
    void aMissingRequiredFieldIsRejected() {
        ObjectNode copy = logCleanup();
        ((ObjectNode) copy.at("/spec/task/retention")).remove("table");
        ((ObjectNode) copy.path("spec")).remove("schedule");

        assertThat(schema.validate(copy)).hasSize(2).anySatisfy(e -> assertThat(e).contains("/spec/task/retention").contains("'table'"))
                .anySatisfy(e -> assertThat(e).contains("/spec").contains("'schedule'"));
    }

    @Test
    void aValueOutsideAnEnumIsRejected() {
        ObjectNode copy = logCleanup();
        ((ObjectNode) copy.path("spec")).put("concurrencyPolicy", "Sometimes");

        assertThat(schema.validate(copy)).singleElement().asString().contains("/spec/concurrencyPolicy");
    }

    @Test
    void patternsAndLimitsAreEnforced() {
        ObjectNode copy = logCleanup();
        ((ObjectNode) copy.path("spec")).put("timeout", "30 minutes");
        ((ObjectNode) copy.path("spec")).put("retries", 21);
        ((ObjectNode) copy.at("/spec/task/retention")).put("batchSize", 0);
        ((ObjectNode) copy.at("/spec/task/retention")).put("table", "public.system_logs; DROP TABLE users");

        assertThat(String.join("\n", schema.validate(copy)))
                .contains("/spec/timeout", "/spec/retries", "/spec/task/retention/batchSize", "/spec/task/retention/table");
        assertThat(schema.validate(copy)).hasSize(4);
    }

    @Test
    void aWrongTypeIsRejected() {
        ObjectNode copy = logCleanup();
        ((ObjectNode) copy.path("spec")).put("retries", "two");

        assertThat(schema.validate(copy)).singleElement().asString().contains("/spec/retries");
    }

    private static ObjectNode logCleanup() {
        return job("log-cleanup").content().deepCopy();
    }

    private static Container runnerContainer(CronJob cronJob) {
        return cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** Every secretKeyRef of the container's environment, as secret/key. */
    private static List<String> secretKeyRefs(Container container) {
        List<String> refs = new ArrayList<>();
        for (EnvVar env : container.getEnv()) {
            SecretKeySelector ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
            if (ref != null) {
                refs.add(ref.getName() + "/" + ref.getKey());
            }
        }
        return refs;
    }

    /** The resource as the operator reads it from the cluster, in the namespace it was applied to. */
    private static MaintenanceJob resource(Document job) throws Exception {
        MaintenanceJob resource = JSON.treeToValue(job.content(), MaintenanceJob.class);
        resource.getMetadata().setNamespace("app");
        return resource;
    }
}
