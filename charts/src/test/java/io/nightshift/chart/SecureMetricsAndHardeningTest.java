package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Secure mode as the chart wires it (the operator's environment, its probes, the ServiceMonitor's auth), and the
 * chart's hardening: NetworkPolicy, PodDisruptionBudget, spreading replicas across nodes.
 */
class SecureMetricsAndHardeningTest {

    private static PodSpec pod(RenderedChart chart) {
        return chart.one("Deployment", Deployment.class).getSpec().getTemplate().getSpec();
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void secureByDefaultWithASelfSignedCertificateAndProbesOverHttps() {
        PodSpec pod = pod(NightshiftChart.render());
        Container operator = pod.getContainers().get(0);

        assertThat(env(operator)).containsEntry("METRICS_SECURE", "true").doesNotContainKey("METRICS_CERT_DIR");
        assertThat(operator.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(operator.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(operator.getStartupProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp");
    }

    @Test
    void aCertificateSecretIsMountedWhereTheOperatorReadsIt() {
        PodSpec pod = pod(NightshiftChart.render("metrics.tls.secretName", "nightshift-metrics-tls"));
        Container operator = pod.getContainers().get(0);

        String dir = env(operator).get("METRICS_CERT_DIR");
        assertThat(operator.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo(dir);
            assertThat(mount.getReadOnly()).isTrue();
            assertThat(pod.getVolumes()).anySatisfy(volume -> {
                assertThat(volume.getName()).isEqualTo(mount.getName());
                assertThat(volume.getSecret().getSecretName()).isEqualTo("nightshift-metrics-tls");
            });
        });
    }

    @Test
    void plainHttpWhenSecureModeIsOff() {
        PodSpec pod = pod(NightshiftChart.render("metrics.secure", "false", "metrics.tls.secretName", "ignored"));
        Container operator = pod.getContainers().get(0);

        assertThat(env(operator)).containsEntry("METRICS_SECURE", "false").doesNotContainKey("METRICS_CERT_DIR");
        assertThat(operator.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
        JsonNode endpoint = NightshiftChart.render("metrics.secure", "false", "serviceMonitor.enabled", "true").one("ServiceMonitor")
                .at("/spec/endpoints/0");
        assertThat(endpoint.path("scheme").asText()).isEqualTo("http");
        assertThat(endpoint.has("bearerTokenFile")).isFalse();
        assertThat(endpoint.has("tlsConfig")).isFalse();
    }

    @Test
    void theServiceMonitorSendsItsTokenOverTlsInSecureMode() {
        JsonNode selfSigned = NightshiftChart.render("serviceMonitor.enabled", "true").one("ServiceMonitor").at("/spec/endpoints/0");
        assertThat(selfSigned.path("scheme").asText()).isEqualTo("https");
        assertThat(selfSigned.path("bearerTokenFile").asText()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
        assertThat(selfSigned.at("/tlsConfig/insecureSkipVerify").asBoolean()).as("nothing to verify a self-signed certificate against").isTrue();

        JsonNode verified = NightshiftChart.render("serviceMonitor.enabled", "true", "metrics.tls.secretName", "nightshift-metrics-tls")
                .one("ServiceMonitor").at("/spec/endpoints/0/tlsConfig");
        assertThat(verified.has("insecureSkipVerify")).isFalse();
        assertThat(verified.at("/ca/secret/name").asText()).isEqualTo("nightshift-metrics-tls");
        assertThat(verified.at("/ca/secret/key").asText()).isEqualTo("ca.crt");
        assertThat(verified.path("serverName").asText()).isEqualTo("nightshift-metrics.nightshift-system.svc");

        JsonNode custom = NightshiftChart.render("serviceMonitor.enabled", "true", "serviceMonitor.tlsConfig.serverName", "metrics.example")
                .one("ServiceMonitor").at("/spec/endpoints/0/tlsConfig");
        assertThat(custom.path("serverName").asText()).isEqualTo("metrics.example");
        assertThat(custom.has("insecureSkipVerify")).isFalse();
    }

    @Test
    void theNetworkPolicyLetsOnlyTheGivenPeersReachTheMetricsPortAndTheOperatorReachOnlyTheApiServerAndDns() {
        assertThat(NightshiftChart.render().ofKind("NetworkPolicy")).isEmpty();

        NetworkPolicy policy = NightshiftChart.render("networkPolicy.enabled", "true",
                "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name", "monitoring",
                "networkPolicy.apiServer.cidrs[0]", "10.0.0.10/32", "networkPolicy.apiServer.ports[0]", "6443")
                .one("NetworkPolicy", NetworkPolicy.class);
        Deployment deployment = NightshiftChart.render().one("Deployment", Deployment.class);

        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getStrVal()).isEqualTo("metrics"));
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector().getMatchLabels()).containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
                assertThat(peer.getPodSelector()).isNull();
            });
        });
        assertThat(policy.getSpec().getEgress()).hasSize(2);
        assertThat(policy.getSpec().getEgress().get(0).getTo()).singleElement()
                .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("10.0.0.10/32"));
        assertThat(policy.getSpec().getEgress().get(0).getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(6443));
        assertThat(policy.getSpec().getEgress().get(1).getPorts()).extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
                .containsExactlyInAnyOrder("53/UDP", "53/TCP");
        assertThat(policy.getSpec().getEgress().get(1).getTo()).singleElement().satisfies(peer -> {
            assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "kube-system");
            assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns");
        });

        NetworkPolicy closed = NightshiftChart.render("networkPolicy.enabled", "true").one("NetworkPolicy", NetworkPolicy.class);
        assertThat(closed.getSpec().getIngress()).as("no peers given: nobody reaches the metrics port").isEmpty();
        assertThat(closed.getSpec().getEgress().get(0).getTo()).as("no CIDR given: the API server's ports anywhere").isNullOrEmpty();
        assertThat(closed.getSpec().getEgress().get(0).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(443, 6443);
    }

    @Test
    void withSeveralReplicasADrainEvictsOneAtATimeAndReplicasSpreadAcrossNodes() {
        RenderedChart one = NightshiftChart.render();
        assertThat(one.ofKind("PodDisruptionBudget")).isEmpty();
        assertThat(pod(one).getTopologySpreadConstraints()).isNullOrEmpty();

        RenderedChart two = NightshiftChart.render("replicas", "2");
        PodDisruptionBudget budget = two.one("PodDisruptionBudget", PodDisruptionBudget.class);
        Deployment deployment = two.one("Deployment", Deployment.class);
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getMinAvailable()).isNull();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(pod(two).getTopologySpreadConstraints()).singleElement().satisfies(spread -> {
            assertThat(spread.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(spread.getMaxSkew()).isEqualTo(1);
            assertThat(spread.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(spread.getLabelSelector().getMatchLabels());
        });

        RenderedChart given = NightshiftChart.render("replicas", "3", "topologySpreadConstraints[0].maxSkew", "1",
                "topologySpreadConstraints[0].topologyKey", "topology.kubernetes.io/zone",
                "topologySpreadConstraints[0].whenUnsatisfiable", "DoNotSchedule");
        assertThat(pod(given).getTopologySpreadConstraints()).singleElement()
                .satisfies(spread -> assertThat(spread.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
    }
}
