package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator's Deployment: what it runs, how it is configured (environment only), and how locked down it is. */
class OperatorDeploymentTest {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private static Deployment deployment(String... values) {
        return NightshiftChart.render(values).one("Deployment", Deployment.class);
    }

    private static PodSpec pod(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    private static Container operator(Deployment deployment) {
        return pod(deployment).getContainers().get(0);
    }

    private static Optional<EnvVar> env(Deployment deployment, String name) {
        return operator(deployment).getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    private static String envValue(Deployment deployment, String name) {
        return env(deployment, name).map(EnvVar::getValue).orElse(null);
    }

    @Test
    void imagesComeFromValues() {
        Deployment deployment = deployment("image.repository", "registry.example.com/ops/nightshift-operator", "image.tag", "1.2.3",
                "runner.image.repository", "registry.example.com/ops/job-runner", "runner.image.digest",
                "sha256:" + "a".repeat(64), "image.pullPolicy", "Always", "imagePullSecrets[0].name", "regcred");

        assertThat(operator(deployment).getImage()).isEqualTo("registry.example.com/ops/nightshift-operator:1.2.3");
        assertThat(operator(deployment).getImagePullPolicy()).isEqualTo("Always");
        assertThat(envValue(deployment, "NIGHTSHIFT_RUNNER_IMAGE")).isEqualTo("registry.example.com/ops/job-runner@sha256:" + "a".repeat(64));
        assertThat(pod(deployment).getImagePullSecrets()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("regcred"));
    }

    @Test
    void probesAskTheOperatorOnItsMetricsPort() {
        for (Deployment deployment : new Deployment[] {deployment(), deployment("metrics.port", "9090")}) {
            Container container = operator(deployment);
            int metricsPort = Integer.parseInt(envValue(deployment, "METRICS_PORT"));
            ContainerPort port = container.getPorts().stream().filter(p -> p.getContainerPort() == metricsPort).findFirst()
                    .orElseThrow(() -> new AssertionError("no container port " + metricsPort + " in " + container.getPorts()));
            assertThat(port.getName()).isEqualTo("metrics");

            assertThat(probePort(container.getLivenessProbe())).isEqualTo(port.getName());
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(probePort(container.getStartupProbe())).isEqualTo(port.getName());
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(probePort(container.getReadinessProbe())).isEqualTo(port.getName());
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        }
    }

    private static String probePort(Probe probe) {
        return probe.getHttpGet().getPort().getStrVal();
    }

    @Test
    void runsAsTheImagesUserLockedDown() {
        Deployment deployment = deployment();
        var podContext = pod(deployment).getSecurityContext();
        var containerContext = operator(deployment).getSecurityContext();

        assertThat(podContext.getRunAsNonRoot()).isTrue();
        assertThat(podContext.getRunAsUser()).isEqualTo(10001L);
        assertThat(podContext.getRunAsGroup()).isEqualTo(10001L);
        assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(containerContext.getReadOnlyRootFilesystem()).isTrue();
        assertThat(containerContext.getAllowPrivilegeEscalation()).isFalse();
        assertThat(containerContext.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(containerContext.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(containerContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void tmpIsWritableDespiteTheReadOnlyRootFilesystem() {
        Deployment deployment = deployment();

        var mount = operator(deployment).getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
        assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod(deployment).getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo(mount.getName());
            assertThat(v.getEmptyDir()).isNotNull();
        });
    }

    @Test
    void theOperatorLearnsItsNamespaceAndWhatToWatchFromItsEnvironment() {
        Deployment all = deployment();
        assertThat(env(all, "POD_NAMESPACE").orElseThrow().getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        assertThat(envValue(all, "WATCH_NAMESPACES")).isEmpty();
        assertThat(envValue(all, "METRICS_PORT")).isEqualTo("8080");

        Deployment some = deployment("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b");
        assertThat(envValue(some, "WATCH_NAMESPACES")).isEqualTo("team-a,team-b");
    }

    @Test
    void oneReplicaRunsWithoutLeaderElectionAndIsNeverDoubledDuringARollout() {
        Deployment deployment = deployment();

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(envValue(deployment, "LEADER_ELECTION_ENABLED")).isEqualTo("false");
        assertThat(env(deployment, "LEADER_ELECTION_LEASE_NAME")).isEmpty();
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @Test
    void moreReplicasElectALeader() {
        Deployment deployment = deployment("replicas", "3");

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(envValue(deployment, "LEADER_ELECTION_ENABLED")).isEqualTo("true");
        assertThat(envValue(deployment, "LEADER_ELECTION_LEASE_NAME")).isEqualTo(NightshiftChart.RELEASE);
        assertThat(env(deployment, "LEADER_ELECTION_NAMESPACE")).as("defaults to POD_NAMESPACE, where the Lease Role is").isEmpty();
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(env(deployment, "POD_NAME").orElseThrow().getValueFrom().getFieldRef().getFieldPath())
                .as("the Lease's holder is the pod's name").isEqualTo("metadata.name");
        assertThat(pod(deployment).getTerminationGracePeriodSeconds())
                .as("a rollout ends each old replica by SIGTERM (it stops within 5 s), never by SIGKILL").isGreaterThan(5);
    }

    @Test
    void aGracePeriodShorterThanTheOperatorsShutdownIsRefused() {
        assertThatThrownBy(() -> deployment("replicas", "2", "terminationGracePeriodSeconds", "2")).hasMessageContaining("terminationGracePeriodSeconds");
    }

    @Test
    void leaderElectionCanBeForcedOnForOneReplica() {
        Deployment deployment = deployment("leaderElection.enabled", "true", "leaderElection.leaseName", "ops-nightshift");

        assertThat(envValue(deployment, "LEADER_ELECTION_ENABLED")).isEqualTo("true");
        assertThat(envValue(deployment, "LEADER_ELECTION_LEASE_NAME")).isEqualTo("ops-nightshift");
    }

    @Test
    void severalReplicasWithoutLeaderElectionAreRefused() {
        assertThatThrownBy(() -> deployment("replicas", "2", "leaderElection.enabled", "false"))
                .hasMessageContaining("replicas is 2")
                .hasMessageContaining("leaderElection.enabled is false");
    }

    @Test
    void anAdminsUsualSettingsReachThePod() {
        Deployment deployment = deployment(
                "nodeSelector.kubernetes\\.io/os", "linux",
                "tolerations[0].key", "dedicated", "tolerations[0].operator", "Equal", "tolerations[0].value", "ops",
                "tolerations[0].effect", "NoSchedule",
                "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key", "pool",
                "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", "In",
                "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]", "ops",
                "podAnnotations.example\\.com/owner", "platform",
                "podLabels.team", "platform",
                "priorityClassName", "system-cluster-critical",
                "extraEnv[0].name", "JAVA_TOOL_OPTIONS", "extraEnv[0].value", "-XX:MaxRAMPercentage=75",
                "resources.limits.memory", "1Gi");
        PodSpec pod = pod(deployment);

        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
                .hasSize(1);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("example.com/owner", "platform");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "platform");
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).doesNotContainKey("team");
        assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(envValue(deployment, "JAVA_TOOL_OPTIONS")).isEqualTo("-XX:MaxRAMPercentage=75");
        assertThat(operator(deployment).getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    }

    @Test
    void runsUnderItsOwnServiceAccountOrAGivenOne() {
        var rendered = NightshiftChart.render();
        assertThat(pod(rendered.one("Deployment", Deployment.class)).getServiceAccountName())
                .isEqualTo(rendered.one("ServiceAccount").at("/metadata/name").asText());

        var given = NightshiftChart.render("serviceAccount.create", "false", "serviceAccount.name", "ops-operator");
        assertThat(given.ofKind("ServiceAccount")).isEmpty();
        assertThat(pod(given.one("Deployment", Deployment.class)).getServiceAccountName()).isEqualTo("ops-operator");
        assertThat(given.ofKind("ClusterRoleBinding")).isNotEmpty()
                .allSatisfy(binding -> assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("ops-operator"));

        assertThatThrownBy(() -> NightshiftChart.render("serviceAccount.create", "false"))
                .hasMessageContaining("serviceAccount.name is required");
    }

    @Test
    void everyObjectCarriesTheChartsLabels() {
        for (var object : NightshiftChart.render("serviceMonitor.enabled", "true", "prometheusRule.enabled", "true",
                "grafanaDashboard.enabled", "true", "replicas", "2").objects()) {
            Map<String, String> labels = Serialization.jsonMapper().convertValue(object.at("/metadata/labels"), STRING_MAP);
            assertThat(labels).as("%s", object.at("/metadata/name"))
                    .containsEntry("app.kubernetes.io/instance", NightshiftChart.RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsKey("app.kubernetes.io/version");
        }
    }
}
