package io.nightshift.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
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
        return operatorLoggingTo("operator.log", args);
    }

    private ProcessBuilder operatorLoggingTo(String log, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
    }

    private Path kubeconfig() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: tester, user: {token: test}}]
                contexts: [{name: mock, context: {cluster: mock, user: tester, namespace: default}}]
                current-context: mock
                """.formatted(client.getMasterUrl().toString()));
        return kubeconfig;
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
    void withoutAReachableClusterItSaysWhichServerItTriedInOneLineAndExits() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: laptop, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
                users: [{name: me, user: {token: test}}]
                contexts: [{name: kind-laptop, context: {cluster: laptop, user: me}}]
                current-context: kind-laptop
                """.formatted(closedPort));
        ProcessBuilder pb = operator();
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("METRICS_PORT", "0");
        Process process = pb.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("gives up at once").isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("operator.log")).lines().toList()).singleElement().isEqualTo(
                "cannot reach the Kubernetes API server https://127.0.0.1:%d/ (context kind-laptop of kubeconfig %s): connection refused"
                        .formatted(closedPort, kubeconfig));
    }

    @Test
    void theProcessReconcilesTheClusterOfItsKubeconfigAndStopsOnSigterm() throws Exception {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        Path kubeconfig = kubeconfig();
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
        assertThat(process.waitFor(5, TimeUnit.SECONDS)).as("stops within 5 s of SIGTERM").isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
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

    @Test
    void withLeaderElectionSigtermEndsTheProcessAndTheStandbyTakesTheLeaseAtOnce() throws Exception {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        allowLeases();
        Path kubeconfig = kubeconfig();
        Process first = leaderElecting(kubeconfig, "nightshift-operator-7d9f-a").start();
        Process second = null;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> "nightshift-operator-7d9f-a".equals(leaseHolder()));
            second = leaderElecting(kubeconfig, "nightshift-operator-7d9f-b").start();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(dir.resolve("nightshift-operator-7d9f-b.log")).contains("watching app"));
            assertThat(leaseHolder()).as("the second replica stands by").isEqualTo("nightshift-operator-7d9f-a");

            long sigterm = System.nanoTime();
            first.destroy();
            assertThat(first.waitFor(5, TimeUnit.SECONDS)).as("the leader ends within 5 s of SIGTERM").isTrue();
            assertThat(first.exitValue()).as("exit status of a JVM ended by SIGTERM, neither halted nor exited on a lost Lease").isEqualTo(143);
            await().atMost(Duration.ofSeconds(5)).until(() -> "nightshift-operator-7d9f-b".equals(leaseHolder()));
            assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).as("the standby leads within 5 s of the leader's SIGTERM")
                    .isLessThan(Duration.ofSeconds(5));

            client.resource(Fixtures.logCleanup("app", "log-cleanup")).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.batch().v1().cronjobs().inNamespace("app").withName("log-cleanup").get() != null);

            second.destroy();
            assertThat(second.waitFor(5, TimeUnit.SECONDS)).as("the last replica ends within 5 s of SIGTERM too").isTrue();
            assertThat(second.exitValue()).isEqualTo(143);
            assertThat(leaseHolder()).as("released on the way out").isNull();
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
            }
        }
    }

    @Test
    void aLeaderThatLosesItsLeaseExitsSoThatOnlyOneReplicaReconciles() throws Exception {
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        allowLeases();
        Process leader = leaderElecting(kubeconfig(), "nightshift-operator-7d9f-a").start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> "nightshift-operator-7d9f-a".equals(leaseHolder()));
            // Another replica took the Lease (say, this one's renewals did not get through in time).
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                Lease lease = client.resources(Lease.class).inNamespace("nightshift-system").withName("nightshift-operator").get();
                lease.getSpec().setHolderIdentity("nightshift-operator-7d9f-b");
                lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
                return client.resource(lease).update() != null; // 409 while a renewal lands in between: read again
            });

            assertThat(leader.waitFor(15, TimeUnit.SECONDS)).as("the former leader stops").isTrue();
            assertThat(leader.exitValue()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("nightshift-operator-7d9f-a.log"))).contains("lost Lease nightshift-system/nightshift-operator");
            assertThat(leaseHolder()).as("the new leader's Lease is left alone").isEqualTo("nightshift-operator-7d9f-b");
        } finally {
            leader.destroyForcibly();
        }
    }

    /** What the chart's Role grants; the operator checks it before it campaigns for the Lease. */
    private void allowLeases() {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201, new SelfSubjectRulesReviewBuilder()
                .withNewStatus().withIncomplete(false).addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                .withVerbs("get", "create", "update").endResourceRule().endStatus().build()).always();
    }

    private ProcessBuilder leaderElecting(Path kubeconfig, String podName) {
        ProcessBuilder pb = operatorLoggingTo(podName + ".log");
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("WATCH_NAMESPACES", "app");
        pb.environment().put("METRICS_PORT", "0");
        pb.environment().put("METRICS_BIND_ADDRESS", "127.0.0.1");
        pb.environment().put("LEADER_ELECTION_ENABLED", "true");
        pb.environment().put("LEADER_ELECTION_NAMESPACE", "nightshift-system");
        pb.environment().put("POD_NAME", podName);
        return pb;
    }

    private String leaseHolder() {
        Lease lease = client.resources(Lease.class).inNamespace("nightshift-system").withName("nightshift-operator").get();
        String holder = lease == null ? null : lease.getSpec().getHolderIdentity();
        return holder == null || holder.isEmpty() ? null : holder;
    }
}
