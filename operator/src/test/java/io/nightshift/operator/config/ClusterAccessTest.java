package io.nightshift.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the operator says instead of starting when the cluster will not let it watch MaintenanceJobs. */
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
    void aClusterThatAnswersIsNoProblem() {
        server.expect().get().withPath("/apis/nightshift.io/v1alpha1/maintenancejobs?limit=1")
                .andReturn(200, "{\"apiVersion\":\"nightshift.io/v1alpha1\",\"kind\":\"MaintenanceJobList\",\"items\":[]}").once();
        assertThat(ClusterAccess.problem(client.getConfiguration(), Set.of())).isEmpty();
    }
}
