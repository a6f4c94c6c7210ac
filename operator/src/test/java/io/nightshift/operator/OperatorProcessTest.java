package io.nightshift.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator as a process: reads the kubeconfig, reconciles, stops cleanly on SIGTERM. */
@EnableKubernetesMockClient(crud = true)
class OperatorProcessTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private ProcessBuilder operator(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("operator.log").toFile());
    }

    @Test
    void helpAndVersionNeedNoCluster() throws Exception {
        Process help = operator("--help").start();
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("operator.log"))).contains("WATCH_NAMESPACES").contains("NIGHTSHIFT_RUNNER_IMAGE");
        Process version = operator("--version").start();
        assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("operator.log"))).startsWith("nightshift-operator ");
    }

    @Test
    void theProcessReconcilesTheClusterOfItsKubeconfigAndStopsOnSigterm() throws Exception {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: tester, user: {token: test}}]
                contexts: [{name: mock, context: {cluster: mock, user: tester, namespace: default}}]
                current-context: mock
                """.formatted(client.getMasterUrl().toString()));
        ProcessBuilder pb = operator();
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("NIGHTSHIFT_RUNNER_IMAGE", "example/runner:7");
        pb.environment().put("WATCH_NAMESPACES", "app");
        pb.environment().put("METRICS_PORT", "0");
        pb.environment().put("METRICS_BIND_ADDRESS", "127.0.0.1");
        Process process = pb.start();
        try {
            client.resource(Fixtures.logCleanup("app", "log-cleanup")).create();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.batch().v1().cronjobs().inNamespace("app").withName("log-cleanup").get() != null);
            assertThat(client.batch().v1().cronjobs().inNamespace("app").withName("log-cleanup").get().getSpec().getJobTemplate().getSpec()
                    .getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("example/runner:7");
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        assertThat(Files.readString(dir.resolve("operator.log"))).contains("watching app")
                .contains("HTTPS with a self-signed certificate, bearer tokens reviewed by the API server");
    }

    @Test
    void aSecureMetricsFlagThatIsNeitherTrueNorFalseStopsTheStartByName() throws Exception {
        Process process = operator("--secure-metrics=off").start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("operator.log"))).contains("--secure-metrics must be true or false, got 'off'");
    }
}
