package io.nightshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.resource.MaintenanceJob;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server refuses the CronJob (the mock's expectations answer as a real server would): the status
 * says so with the server's message, one Warning Event, and never Ready=True for that generation.
 */
@EnableKubernetesMockClient(crud = true)
class RefusalTest {

    static KubernetesMockServer server;
    static KubernetesClient client;
    static NightshiftOperator operator;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @BeforeAll
    static void start() {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        operator = NightshiftOperator.create(client, OperatorSettings.defaults("runner:test"), Clock.systemUTC());
        operator.start();
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(422, "Invalid", "CronJob.batch \"%s\" is invalid: spec.jobTemplate.spec.template.spec.containers[0].image: Required value",
                        "CronJobRejected"),
                Arguments.of(403, "Forbidden", "cronjobs.batch \"%s\" is forbidden: User \"system:serviceaccount:nightshift:nightshift\" cannot "
                        + "create resource \"cronjobs\" in API group \"batch\"", "Forbidden"),
                Arguments.of(403, "Forbidden", "cronjobs.batch \"%s\" is forbidden: exceeded quota: batch-quota, requested: count/cronjobs.batch=1, "
                        + "used: count/cronjobs.batch=10, limited: count/cronjobs.batch=10", "QuotaExceeded"),
                Arguments.of(409, "Conflict", "Operation cannot be fulfilled on cronjobs.batch \"%s\": the object has been modified; please apply "
                        + "your changes to the latest version and try again", "Conflict"),
                Arguments.of(500, "InternalError", "Internal error occurred: etcdserver: request timed out", "ApiServerError"));
    }

    private static Status status(int code, String reason, String message) {
        return new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Failure").withCode(code).withReason(reason)
                .withMessage(message).build();
    }

    private static MaintenanceJob fetch(String ns, String name) {
        return client.resources(MaintenanceJob.class).inNamespace(ns).withName(name).get();
    }

    private static Condition ready(String ns, String name) {
        MaintenanceJob job = fetch(ns, name);
        return job.getStatus() == null ? null : Conditions.find(job.getStatus().getConditions(), Conditions.READY).orElse(null);
    }

    private static List<Event> warnings(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
    }

    @ParameterizedTest(name = "{0} {3} on create")
    @MethodSource("refusals")
    void aRefusedCreateIsReadyFalseWithTheServersMessage(int code, String statusReason, String message, String reason) {
        String ns = "create-" + NAMESPACES.incrementAndGet();
        String said = message.formatted("nightly");
        server.expect().post().withPath("/apis/batch/v1/namespaces/" + ns + "/cronjobs").andReturn(code, status(code, statusReason, said)).always();

        client.resource(Fixtures.logCleanup(ns, "nightly")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> ready(ns, "nightly") != null);
        Condition ready = ready(ns, "nightly");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo(reason);
        assertThat(ready.getMessage()).isEqualTo("the API server refused to create CronJob nightly (" + code + "): " + said);
        assertThat(ready.getObservedGeneration()).isEqualTo(1L);
        MaintenanceJob job = fetch(ns, "nightly");
        assertThat(job.getStatus().getObservedGeneration()).isNull();
        assertThat(job.getStatus().getCronJobName()).isNull();
        assertThat(job.getStatus().getNextScheduleTime()).isNull();
        assertThat(client.batch().v1().cronjobs().inNamespace(ns).list().getItems()).isEmpty();

        await().atMost(Duration.ofSeconds(10)).until(() -> warnings(ns, reason).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> warnings(ns, reason).size() == 1);
        assertThat(warnings(ns, reason).get(0).getMessage()).isEqualTo(ready.getMessage());
    }

    @ParameterizedTest(name = "{0} {3} on update")
    @MethodSource("refusals")
    void aRefusedScheduleChangeIsNotClaimed(int code, String statusReason, String message, String reason) {
        String ns = "update-" + NAMESPACES.incrementAndGet();
        client.resource(Fixtures.logCleanup(ns, "nightly")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> ready(ns, "nightly") != null && "True".equals(ready(ns, "nightly").getStatus()));
        String said = message.formatted("nightly");
        server.expect().put().withPath("/apis/batch/v1/namespaces/" + ns + "/cronjobs/nightly").andReturn(code, status(code, statusReason, said))
                .always();

        client.resources(MaintenanceJob.class).inNamespace(ns).withName("nightly").edit(j -> {
            j.getMetadata().setManagedFields(null);
            return Fixtures.job("""
                    apiVersion: nightshift.io/v1alpha1
                    kind: MaintenanceJob
                    metadata: {name: nightly, namespace: %s, resourceVersion: "%s"}
                    spec:
                      schedule: "0 0 * * 1"
                      timeZone: UTC
                      database: {secretName: app-db}
                      task: {retention: {table: public.system_logs, timestampColumn: timestamp, olderThan: 2d}}
                    """.formatted(ns, j.getMetadata().getResourceVersion()));
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> "False".equals(ready(ns, "nightly").getStatus()));
        Condition ready = ready(ns, "nightly");
        assertThat(ready.getReason()).isEqualTo(reason);
        assertThat(ready.getObservedGeneration()).isEqualTo(2L);
        assertThat(ready.getMessage()).isEqualTo("the API server refused to update CronJob nightly (" + code + "): " + said
                + "; CronJob nightly is unchanged, on schedule \"0 3 * * *\"");
        MaintenanceJob job = fetch(ns, "nightly");
        assertThat(job.getStatus().getObservedGeneration()).isEqualTo(1L);
        // the next run is the one the CronJob in the cluster will start: 03:00, not Monday 00:00
        assertThat(Instant.parse(job.getStatus().getNextScheduleTime()).atOffset(ZoneOffset.UTC).getHour()).isEqualTo(3);
        CronJob cron = client.batch().v1().cronjobs().inNamespace(ns).withName("nightly").get();
        assertThat(cron.getSpec().getSchedule()).isEqualTo("0 3 * * *");

        await().atMost(Duration.ofSeconds(10)).until(() -> warnings(ns, reason).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> warnings(ns, reason).size() == 1
                && "False".equals(ready(ns, "nightly").getStatus()));
    }
}
