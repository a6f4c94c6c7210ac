package io.nightshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nightshift.operator.Fixtures;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.config.OperatorSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class NamespaceScopingTest {

    KubernetesClient client;

    @Test
    void anOperatorWatchingSomeNamespacesLeavesTheOthersAlone() {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of("WATCH_NAMESPACES", "team-a, team-b",
                "NIGHTSHIFT_RUNNER_IMAGE", "runner:1")::get);
        assertThat(settings.watchNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
        NightshiftOperator operator = NightshiftOperator.create(client, settings, Clock.systemUTC());
        operator.start();
        try {
            client.resource(Fixtures.logCleanup("team-a", "mine")).create();
            client.resource(Fixtures.logCleanup("team-b", "also-mine")).create();
            client.resource(Fixtures.logCleanup("team-c", "theirs")).create();

            await().atMost(Duration.ofSeconds(20)).until(() -> client.batch().v1().cronjobs().inNamespace("team-a").withName("mine").get() != null
                    && client.batch().v1().cronjobs().inNamespace("team-b").withName("also-mine").get() != null);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> client.batch().v1().cronjobs().inNamespace("team-c").list().getItems().isEmpty());
        } finally {
            operator.stop();
        }
    }
}
