import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator scale with objects shaped like a real API server's (bench/operator-scale/fixtures: managedFields,
 * every defaulted field, canonical quantities). Kubernetes' API mock (CRUD mode) runs in this JVM; each
 * operator to compare runs as its own process with its JVM flags, like in its container, alternately.
 *
 * <p>Mode {@code restart}: N MaintenanceJobs with their CronJobs, and a Job and a pod for 10 % of them,
 * exist before the operator starts (as after a night of runs); time from the operator's start until it has
 * reconciled N. Mode {@code create}: each operator starts on an empty mock, then N MaintenanceJobs are
 * created; time from the last create until every CronJob exists and every one is Ready=True. Then the
 * operator settles and the benchmark reads, with jcmd and /proc: the share of the first 30 s spent in GC,
 * RSS after 30 s and after 120 s, then live heap after a full GC, RSS again and threads.
 */
public final class OperatorScaleBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Path> LOGS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path crd = Path.of(args[0]);
        Path fixtures = Path.of(args[1]);
        String mode = args[2];
        int count = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        // Then one or more operators to compare, each "label|jar|jvm flags"; they run alternately, each on a fresh copy of the same objects.
        List<String[]> operators = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            operators.add(args[i].split("\\|", 3));
        }

        KubernetesMockServer server = null;
        Templates templates = new Templates(fixtures);

        for (int round = 1; round <= rounds; round++) {
            for (String[] op : operators) {
                // Each operator starts from its own cluster: empty, or as the night left it (no status yet: the
                // operator is to write it, which is how the benchmark sees each MaintenanceJob reconciled).
                if (server != null) {
                    server.destroy();
                }
                PagingDispatcher dispatcher = new PagingDispatcher();
                server = server(dispatcher, crd);
                if (mode.equals("restart")) {
                    seed(dispatcher, templates, count);
                }
                KubernetesClient client = server.createClient();
                PagingDispatcher.CRONJOB_WRITES.set(0);
                Process operator = startOperator(client, Path.of(op[1]), List.of(op[2].trim().split("\\s+")));
                long start = System.nanoTime();
                Duration benchCpu = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
                double createdS = 0;
                if (mode.equals("create")) {
                    waitForReadyz(60);
                    long creating = System.nanoTime();
                    parallel(count, i -> templates.create(json -> client.resource(json).create(), i, false));
                    createdS = (System.nanoTime() - creating) / 1e9;
                    start = System.nanoTime();
                    waitUntilReady(client, count, start);
                } else {
                    waitUntilReconciled(operator, count, start);
                }
                double readyS = (System.nanoTime() - start) / 1e9;
                if (operator.isAlive()) {
                    // Who had the two cores until then: the operator, or the mock API server in this JVM.
                    System.out.printf(Locale.ROOT, "cpu until done: operator %.0f s, mock API server and benchmark %.0f s%n",
                            operator.info().totalCpuDuration().orElse(Duration.ZERO).toMillis() / 1e3,
                            ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).minus(benchCpu).toMillis() / 1e3);
                }
                if (!operator.isAlive()) {
                    System.out.printf(Locale.ROOT, "%-7s %s %,d: the operator died after %.0f s: %s%n", op[0], mode, count, readyS, lastLine(op[0]));
                    continue;
                }
                report(op[0], mode, count, createdS, readyS, operator.pid());
                operator.destroy();
                operator.waitFor();
            }
        }
        server.destroy();
    }

    /** N MaintenanceJobs with their CronJobs, and a Job and a pod for 10 % of them, straight into the mock's store. */
    private static void seed(PagingDispatcher dispatcher, Templates templates, int count) throws Exception {
        // Not through the mock's API: each create there scans every stored object, and 22,000 take many minutes.
        Templates.Sink direct = json -> {
            ObjectNode o = (ObjectNode) JSON.readTree(json);
            ((ObjectNode) o.path("metadata")).put("resourceVersion", String.valueOf(dispatcher.requestResourceVersion()));
            String stored = JSON.writeValueAsString(o);
            String apiVersion = o.path("apiVersion").asText();
            String collection = (apiVersion.contains("/") ? "/apis/" : "/api/") + apiVersion + "/namespaces/"
                    + o.path("metadata").path("namespace").asText() + "/" + o.path("kind").asText().toLowerCase(Locale.ROOT) + "s";
            // The attributes the mock gives an object created through its API: those of the collection's path and of the object.
            dispatcher.getMap().put(AttributeSet.merge(dispatcher.getAttributeExtractor().fromPath(collection),
                    dispatcher.getAttributeExtractor().fromResource(stored)), stored);
        };
        for (int i = 0; i < count; i++) {
            templates.create(direct, i, true);
        }
    }

    private static String lastLine(String label) throws Exception {
        List<String> lines = Files.readAllLines(LOGS.get(LOGS.size() - 1));
        return lines.stream().filter(l -> l.contains("OutOfMemoryError") || l.contains("Exception")).findFirst()
                .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1));
    }

    private static KubernetesMockServer server(PagingDispatcher dispatcher, Path crd) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        server.createClient().apiextensions().v1().customResourceDefinitions().load(crd.toFile()).create();
        return server;
    }

    private static void report(String label, String mode, int count, double createdS, double readyS, long pid) throws Exception {
        double gcBefore = gcSeconds(pid);
        Thread.sleep(30_000);
        double gcShare = (gcSeconds(pid) - gcBefore) / 30.0;
        // Resident as left by the operator's own collections, before the benchmark forces one to measure the live heap:
        // 30 s after the burst, and two minutes after it (periodic collections and trimming have had their turn).
        long rss30Kb = field(Files.readString(Path.of("/proc/" + pid + "/status")), "VmRSS");
        Thread.sleep(90_000);
        long rss120Kb = field(Files.readString(Path.of("/proc/" + pid + "/status")), "VmRSS");
        run("jcmd", String.valueOf(pid), "GC.run");
        long liveKb = liveHeapKb(run("jcmd", String.valueOf(pid), "GC.heap_info"));
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        // Where the resident memory outside the heap is, when the operator runs with -XX:NativeMemoryTracking=summary.
        String nmt = run("jcmd", String.valueOf(pid), "VM.native_memory", "summary", "scale=MB");
        if (nmt.contains("Total:")) {
            Path file = Path.of("bench/operator-scale/target/nmt-" + label + "-" + mode + "-" + count + ".txt");
            Files.writeString(file, nmt);
            System.out.println("native memory by area: " + file);
        }
        System.out.printf(Locale.ROOT, "%-7s %s %,d: %s all done after %.1f s; live heap after full GC %d MB (%.1f KB per MaintenanceJob);"
                        + " RSS %d MB after 30 s, %d MB after 120 s, %d MB after a full GC (peak %d MB); threads %d; GC %.1f %% of 30 s settled;"
                        + " CronJob updates %d%n",
                label, mode, count, mode.equals("create") ? String.format(Locale.ROOT, "created in %.0f s,", createdS) : "restart,", readyS,
                liveKb / 1024, liveKb / (double) count, rss30Kb / 1024, rss120Kb / 1024, field(status, "VmRSS") / 1024, field(status, "VmHWM") / 1024, field(status, "Threads"),
                gcShare * 100, PagingDispatcher.CRONJOB_WRITES.get());
    }

    /**
     * After a restart every MaintenanceJob already has its status: done when the operator has logged a
     * reconcile of each (read from its log: polling /metrics, 130,000 series at 10,000 jobs, twice a second
     * took half of the operator's CPU, which a Prometheus scraping every 30 s never would).
     */
    private static void waitUntilReconciled(Process operator, int count, long since) throws Exception {
        Pattern reconciled = Pattern.compile("ResourceID\\{name='([^']+)', namespace='([^']+)'\\}: ready:");
        Set<String> jobs = new HashSet<>();
        long read = 0;
        while (operator.isAlive() && (System.nanoTime() - since) / 1e9 < 900) {
            byte[] all = Files.readAllBytes(LOGS.get(LOGS.size() - 1));
            int end = all.length;
            while (end > read && all[end - 1] != '\n') {
                end--; // a line still being written: read it whole next time
            }
            Matcher m = reconciled.matcher(new String(all, (int) read, (int) (end - read), java.nio.charset.StandardCharsets.UTF_8));
            while (m.find()) {
                jobs.add(m.group(2) + "/" + m.group(1));
            }
            read = end;
            if (jobs.size() >= count) {
                return;
            }
            Thread.sleep(200);
        }
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
        LOGS.add(log);
        System.out.println("operator: " + String.join(" ", command) + " (log " + log + ")");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("METRICS_PORT", "18080");
        pb.environment().put("METRICS_BIND_ADDRESS", "127.0.0.1");
        pb.environment().put("METRICS_SECURE", "false"); // the benchmark reads /metrics without a token
        // The mock speaks plain HTTP, where the JDK client would try an h2c upgrade (a real API server negotiates
        // HTTP/2 over TLS instead); now and then the mock answered a large list in HTTP/1.1 after that upgrade.
        // The client reads the setting http2.disable as HTTP2_DISABLE (not KUBERNETES_HTTP2_DISABLE, which it ignores).
        pb.environment().put("HTTP2_DISABLE", "true");
        return pb.start();
    }

    private static void waitForReadyz(int seconds) throws Exception {
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
}
