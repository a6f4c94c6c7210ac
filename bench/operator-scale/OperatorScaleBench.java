import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * Operator scale: N MaintenanceJobs created against Kubernetes' API mock (CRUD mode, in this JVM); the
 * operator runs as its own process (java -jar, like in a pod). Measures the time until every one has its
 * CronJob and Ready=True, and the operator process's peak RSS. Run by bench/operator-scale/run.sh.
 */
public final class OperatorScaleBench {

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path crd = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesClient client = server.createClient();
        client.apiextensions().v1().customResourceDefinitions().load(crd.toFile()).create();
        Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: mock, context: {cluster: mock, user: u}}]
                current-context: mock
                """.formatted(client.getMasterUrl()));
        Path rss = Files.createTempFile("rss", ".txt");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/time", "-f", "%M", "-o", rss.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("operator", ".log").toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("METRICS_PORT", "0");
        pb.environment().put("METRICS_BIND_ADDRESS", "127.0.0.1");
        Process operator = pb.start();
        Thread.sleep(3000);

        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String yaml = """
                    apiVersion: nightshift.io/v1alpha1
                    kind: MaintenanceJob
                    metadata: {name: job-%d, namespace: ns-%d}
                    spec:
                      schedule: "%d * * * *"
                      database: {secretName: app-db}
                      task: {retention: {table: public.system_logs, timestampColumn: timestamp, olderThan: 2d}}
                    """.formatted(i, i % 20, i % 60);
            client.resource(yaml).create();
        }
        double createdS = (System.nanoTime() - start) / 1e9;
        int ready = 0;
        int cronJobs = 0;
        while (ready < count || cronJobs < count) {
            Thread.sleep(500);
            cronJobs = client.batch().v1().cronjobs().inAnyNamespace().list().getItems().size();
            ready = (int) client.genericKubernetesResources("nightshift.io/v1alpha1", "MaintenanceJob").inAnyNamespace().list().getItems()
                    .stream().filter(r -> String.valueOf(r.getAdditionalProperties().get("status")).contains("CronJobReady")).count();
            if ((System.nanoTime() - start) / 1e9 > 900) {
                break;
            }
        }
        double allReadyS = (System.nanoTime() - start) / 1e9;
        // Stop the JVM under /usr/bin/time, so time reports its peak RSS.
        operator.toHandle().descendants().forEach(ProcessHandle::destroy);
        operator.waitFor();
        String peak = Files.readString(rss).trim().lines().reduce((a, b) -> b).orElse("0");
        System.out.printf(Locale.ROOT, "%d MaintenanceJobs: created in %.1f s; all %d CronJobs and %d Ready=True after %.1f s; operator peak RSS %d MB%n",
                count, createdS, cronJobs, ready, allReadyS, Long.parseLong(peak) / 1024);
        server.destroy();
    }
}
