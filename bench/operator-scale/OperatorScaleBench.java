import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator scale with objects shaped like a real API server's (bench/operator-scale/fixtures: managedFields,
 * every defaulted field, canonical quantities). Kubernetes' API mock (CRUD mode) runs in this JVM; the
 * operator runs as its own process with the given JVM flags, like in its container.
 *
 * <p>Mode {@code restart}: N MaintenanceJobs with their CronJobs, and a Job and a pod for 10 % of them,
 * exist before the operator starts; measures the time from the operator's start until every one is
 * Ready=True. Mode {@code create}: the operator runs first, then N MaintenanceJobs are created; measures
 * the time from the last create until every CronJob exists and every one is Ready=True. Then, in both, the
 * operator settles for 30 s and the benchmark reads, with jcmd and /proc: live heap after a full GC, RSS,
 * threads and the share of those 30 s spent in GC.
 */
public final class OperatorScaleBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NAMESPACES = 20;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path crd = Path.of(args[1]);
        Path fixtures = Path.of(args[2]);
        String mode = args[3];
        int count = Integer.parseInt(args[4]);
        List<String> jvmFlags = List.of(args[5].trim().split("\\s+"));

        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesClient client = server.createClient();
        client.apiextensions().v1().customResourceDefinitions().load(crd.toFile()).create();
        Templates templates = new Templates(fixtures);

        long populateStart = System.nanoTime();
        if (mode.equals("restart")) {
            parallel(count, i -> templates.create(client, i, true));
        }
        double populatedS = (System.nanoTime() - populateStart) / 1e9;

        Process operator = startOperator(client, jar, jvmFlags);
        long operatorStart = System.nanoTime();
        double createdS = 0;
        if (mode.equals("create")) {
            waitForReadyz(operator, 60);
            long start = System.nanoTime();
            parallel(count, i -> templates.create(client, i, false));
            createdS = (System.nanoTime() - start) / 1e9;
            operatorStart = System.nanoTime();
        }
        int[] seen = waitUntilReady(client, count, operatorStart);
        double readyS = (System.nanoTime() - operatorStart) / 1e9;

        long pid = operator.pid();
        double gcBefore = gcSeconds(pid);
        Thread.sleep(30_000);
        double gcShare = (gcSeconds(pid) - gcBefore) / 30.0;
        run("jcmd", String.valueOf(pid), "GC.run");
        long liveKb = liveHeapKb(run("jcmd", String.valueOf(pid), "GC.heap_info"));
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        System.out.printf(Locale.ROOT, "%s %,d MaintenanceJobs (populated in %.0f s, created in %.0f s): %d CronJobs, %d Ready=True after %.1f s;"
                        + " live heap after full GC %d MB (%.1f KB per MaintenanceJob); RSS %d MB (peak %d MB); threads %d; GC %.1f %% of 30 s settled%n",
                mode, count, populatedS, createdS, seen[0], seen[1], readyS, liveKb / 1024, liveKb / (double) count,
                field(status, "VmRSS") / 1024, field(status, "VmHWM") / 1024, field(status, "Threads"), gcShare * 100);
        operator.destroy();
        operator.waitFor();
        server.destroy();
    }

    private static Process startOperator(KubernetesClient client, Path jar, List<String> jvmFlags) throws Exception {
        Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: mock, context: {cluster: mock, user: u}}]
                current-context: mock
                """.formatted(client.getMasterUrl()));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toString()));
        Path log = Files.createTempFile("operator", ".log");
        System.out.println("operator: " + String.join(" ", command) + " (log " + log + ")");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("METRICS_PORT", "18080");
        pb.environment().put("METRICS_BIND_ADDRESS", "127.0.0.1");
        return pb.start();
    }

    private static void waitForReadyz(Process operator, int seconds) throws Exception {
        for (int i = 0; i < seconds * 4; i++) {
            try {
                var conn = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:18080/readyz").openConnection();
                if (conn.getResponseCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("operator not ready after " + seconds + " s");
    }

    /** [CronJobs, MaintenanceJobs with Ready=True], polled until both reach count or 15 minutes pass. */
    private static int[] waitUntilReady(KubernetesClient client, int count, long since) throws Exception {
        int cronJobs = 0;
        int ready = 0;
        while ((cronJobs < count || ready < count) && (System.nanoTime() - since) / 1e9 < 900) {
            Thread.sleep(1000);
            cronJobs = client.batch().v1().cronjobs().inAnyNamespace().list().getItems().size();
            ready = (int) client.genericKubernetesResources("nightshift.io/v1alpha1", "MaintenanceJob").inAnyNamespace().list().getItems()
                    .stream().filter(OperatorScaleBench::isReady).count();
        }
        return new int[] {cronJobs, ready};
    }

    @SuppressWarnings("unchecked")
    private static boolean isReady(GenericKubernetesResource mj) {
        Object status = mj.getAdditionalProperties().get("status");
        if (!(status instanceof java.util.Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        Object generation = mj.getMetadata().getGeneration();
        return generation != null && String.valueOf(generation).equals(String.valueOf(s.get("observedGeneration")))
                && conditions.stream().anyMatch(c -> c instanceof java.util.Map<?, ?> m && "Ready".equals(m.get("type")) && "True".equals(m.get("status")));
    }

    interface Each {
        void run(int i) throws Exception;
    }

    private static void parallel(int count, Each each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                for (int i = first; i < count; i += 4) {
                    each.run(i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static double gcSeconds(long pid) throws Exception {
        String[] lines = run("jstat", "-gcutil", String.valueOf(pid)).trim().split("\n");
        String[] header = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals("GCT")) {
                return Double.parseDouble(values[i]);
            }
        }
        return 0;
    }

    /** The used KB of every heap generation (not metaspace) in jcmd GC.heap_info's answer. */
    static long liveHeapKb(String heapInfo) {
        long kb = 0;
        Matcher m = Pattern.compile("(?m)^\\s*(def new generation|tenured generation|garbage-first heap|PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K")
                .matcher(heapInfo);
        while (m.find()) {
            kb += Long.parseLong(m.group(2));
        }
        return kb;
    }

    private static long field(String procStatus, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\d+)").matcher(procStatus);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The fixture objects, renamed for MaintenanceJob i: fresh uids, owner references and labels that point at each other. */
    static final class Templates {
        private final String mj;
        private final String cronJob;
        private final String job;
        private final String pod;

        Templates(Path dir) throws Exception {
            mj = Files.readString(dir.resolve("maintenancejob.json"));
            cronJob = Files.readString(dir.resolve("cronjob.json"));
            job = Files.readString(dir.resolve("job.json"));
            pod = Files.readString(dir.resolve("pod.json"));
        }

        void create(KubernetesClient client, int i, boolean withChildren) throws Exception {
            String name = "job-" + i;
            String namespace = "ns-" + (i % NAMESPACES);
            String mjUid = UUID.randomUUID().toString();
            ObjectNode m = fresh(mj.replace("log-cleanup", name), name, namespace, mjUid);
            ((ObjectNode) m.path("spec")).put("schedule", (i % 60) + " 3 * * *");
            // The operator is to write the status: Ready=True must be its answer, not the fixture's.
            m.remove("status");
            if (withChildren) {
                client.resource(JSON.writeValueAsString(m)).create();
                String cronUid = UUID.randomUUID().toString();
                ObjectNode c = fresh(cronJob.replace("log-cleanup", name).replace("a300b7fa-2061-481a-9006-34e144eab954", mjUid), name, namespace, cronUid);
                ((ObjectNode) c.path("spec")).put("schedule", (i % 60) + " 3 * * *");
                c.remove("status");
                client.resource(JSON.writeValueAsString(c)).create();
                if (i % 10 == 0) {
                    String jobName = name + "-29936564";
                    String jobUid = UUID.randomUUID().toString();
                    client.resource(JSON.writeValueAsString(fresh(job.replace("quantities-29936564", jobName).replace("quantities", name)
                            .replace("15678cee-fafd-4113-8cb6-3d5d91dad2de", cronUid), jobName, namespace, jobUid))).create();
                    client.resource(JSON.writeValueAsString(fresh(pod.replace("quantities-29936564", jobName).replace("quantities", name)
                            .replace("636c09d1-b5e3-4b5f-95fb-e35587c2510a", jobUid), jobName + "-8pkt8", namespace, UUID.randomUUID().toString())))
                            .create();
                }
            } else {
                client.resource(JSON.writeValueAsString(m)).create();
            }
        }

        private static ObjectNode fresh(String json, String name, String namespace, String uid) throws Exception {
            ObjectNode o = (ObjectNode) JSON.readTree(json);
            ObjectNode meta = (ObjectNode) o.path("metadata");
            meta.put("name", name).put("namespace", namespace).put("uid", uid);
            meta.remove("resourceVersion");
            return o;
        }
    }
}
