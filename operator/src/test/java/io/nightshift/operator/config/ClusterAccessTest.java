package io.nightshift.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.nightshift.operator.RestartableApiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the operator says instead of starting when the cluster will not let it watch MaintenanceJobs, and when it waits. */
@EnableKubernetesMockClient
class ClusterAccessTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void aClusterWithoutTheCrdIsToldHowToInstallIt() {
        server.expect().get().withPath("/apis/nightshift.io/v1alpha1/maintenancejobs?limit=1").andReturn(404, "").once();
        assertThat(ClusterAccess.problem(client.getConfiguration(), Set.of())).hasValueSatisfying(line -> assertThat(line)
                .startsWith("the MaintenanceJob CRD is not installed on " + client.getConfiguration().getMasterUrl())
                .endsWith("install it with  kubectl apply --server-side --force-conflicts -f crds/"));
    }

    @Test
    void anAccountWithoutPermissionGetsTheServersReason() {
        server.expect().get().withPath("/apis/nightshift.io/v1alpha1/namespaces/app/maintenancejobs?limit=1").andReturn(403,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,\"message\":"
                        + "\"maintenancejobs.nightshift.io is forbidden: User \\\"dev\\\" cannot list resource \\\"maintenancejobs\\\" in the namespace \\\"app\\\"\"}")
                .once();
        assertThat(ClusterAccess.problem(client.getConfiguration(), Set.of("app"))).hasValueSatisfying(line -> assertThat(line)
                .contains("does not let this account list MaintenanceJobs: maintenancejobs.nightshift.io is forbidden: User \"dev\" cannot list"));
    }

    @Test
    void inAPodAServerThatIsAwayAtTheStartIsWaitedFor() throws Exception {
        try (RestartableApiServer api = new RestartableApiServer(); KubernetesClient admin = new KubernetesClientBuilder().withConfig(api.config()).build()) {
            admin.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
            api.stop();
            Config config = api.config();
            config.setRequestRetryBackoffLimit(0);
            assertThat(ClusterAccess.problem(config, Set.of())).hasValueSatisfying(line -> assertThat(line).startsWith("cannot reach"));

            List<String> lines = new CopyOnWriteArrayList<>();
            CompletableFuture.runAsync(api::start, CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
            assertThat(ClusterAccess.problem(config, Set.of(), Duration.ofSeconds(60), lines::add)).isEmpty();
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("cannot reach the Kubernetes API server "
                    + config.getMasterUrl()).contains("connection refused; asking again in "));
        }
    }

    @Test
    void aServerAwayForLongerThanTheWaitIsReportedInOneLine() {
        try (RestartableApiServer api = new RestartableApiServer()) {
            api.stop();
            Config config = api.config();
            config.setRequestRetryBackoffLimit(0);
            List<String> lines = new CopyOnWriteArrayList<>();
            assertThat(ClusterAccess.problem(config, Set.of(), Duration.ofSeconds(2), lines::add)).hasValueSatisfying(line ->
                    assertThat(line).startsWith("cannot reach the Kubernetes API server").endsWith("connection refused"));
            assertThat(lines).hasSize(1);
        }
    }

    @Test
    void aClusterThatAnswersIsNoProblem() {
        server.expect().get().withPath("/apis/nightshift.io/v1alpha1/maintenancejobs?limit=1")
                .andReturn(200, "{\"apiVersion\":\"nightshift.io/v1alpha1\",\"kind\":\"MaintenanceJobList\",\"items\":[]}").once();
        assertThat(ClusterAccess.problem(client.getConfiguration(), Set.of())).isEmpty();
    }
}
