package io.nightshift.operator;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nightshift.operator.config.ApiConnection;
import io.nightshift.operator.config.ClusterAccess;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.http.AccessReviewer;
import io.nightshift.operator.http.HttpSecurity;
import io.nightshift.operator.http.SecureServingSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** Starts the operator against the cluster of the current kubeconfig context, or in-cluster. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(usage());
            return;
        }
        if (List.of(args).contains("--version")) {
            System.out.println("nightshift-operator " + OperatorSettings.version());
            return;
        }
        for (String arg : args) {
            if (!SecureServingSettings.isFlag(arg)) {
                System.err.println("unknown argument " + arg + "\n\n" + usage());
                System.exit(2);
            }
        }
        OperatorSettings settings;
        SecureServingSettings serving;
        try {
            settings = OperatorSettings.fromEnvironment(System::getenv);
            serving = SecureServingSettings.from(List.of(args), System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // fabric8 warns that v1alpha1 is not a stable version: true, and ours; nothing a user of the operator can act on.
        System.setProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", "error");
        Optional<String> unreachable = ClusterAccess.problem(settings.watchNamespaces(), STARTUP_WAIT, System.err::println);
        if (unreachable.isPresent()) {
            System.err.println(unreachable.get());
            System.exit(1);
        }
        KubernetesClient client = ApiConnection.client(new ConfigBuilder().build());
        HttpSecurity security = null;
        if (serving.secure()) {
            try {
                security = HttpSecurity.create(client, serving.certDirectory(), Clock.systemUTC(), AccessReviewer.DEFAULT_TTL);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                System.exit(2);
            }
        }
        NightshiftOperator operator = NightshiftOperator.create(client, settings, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            haltIfStillStoppingAfter(SHUTDOWN_LIMIT);
            operator.stop();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        operator.start();
        try {
            String bind = System.getenv("METRICS_BIND_ADDRESS");
            operator.serveHttp(bind == null || bind.isBlank() ? new InetSocketAddress(settings.metricsPort())
                    : new InetSocketAddress(bind, settings.metricsPort()), security);
        } catch (IOException e) {
            System.err.println("cannot serve HTTP on port " + settings.metricsPort() + ": " + e.getMessage());
            operator.stop();
            System.exit(1);
        }
        System.out.println("nightshift-operator " + OperatorSettings.version() + " watching "
                + (settings.watchNamespaces().isEmpty() ? "all namespaces" : String.join(", ", settings.watchNamespaces()))
                + " on " + client.getMasterUrl() + ", runner image " + settings.runnerImage() + "; metrics and health on port "
                + settings.metricsPort() + " (" + serving.describe() + ")");
        stopped.await();
    }

    /**
     * Whatever hangs while stopping (a call to an unreachable API server, a stuck reconcile), the process ends
     * within this time of SIGTERM, long before Kubernetes' SIGKILL; the Lease then simply expires.
     */
    static final Duration SHUTDOWN_LIMIT = Duration.ofMillis(4500);

    /**
     * In a pod, how long a start waits for an API server that cannot be reached: within the chart's startup probe
     * (30 tries 5 s apart), so that a replica restarted during an outage comes up as soon as the server is back.
     */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(120);

    private static void haltIfStillStoppingAfter(Duration limit) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("nightshift-operator: still stopping after " + limit.toMillis() + " ms; halting");
            Runtime.getRuntime().halt(1);
        }, "shutdown-limit");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static String usage() {
        return """
                Usage: java -jar nightshift-operator.jar [--help | --version | --secure-metrics=true|false]

                Runs the nightshift operator against the cluster of the current kubeconfig context
                (or the in-cluster service account). Settings come from the environment:
                  WATCH_NAMESPACES            comma-separated namespaces to watch (empty: all)
                  NIGHTSHIFT_RUNNER_IMAGE     job-runner image for the CronJobs' pods
                  LEADER_ELECTION_ENABLED     true to elect a leader among replicas through a Lease
                  LEADER_ELECTION_LEASE_NAME  the Lease's name (default nightshift-operator)
                  LEADER_ELECTION_NAMESPACE   the Lease's namespace (default POD_NAMESPACE)
                  POD_NAME                    holder of the Lease while this replica leads (default: the host name)
                  METRICS_PORT                port of /metrics, /healthz, /readyz, /api/v1/jobs/status (default 8080)
                  METRICS_BIND_ADDRESS        address to serve them on (default: all)
                  METRICS_SECURE              false (or --secure-metrics=false) serves them over plain HTTP to anyone;
                                              default true: HTTPS, and /metrics and the status API answer only
                                              bearer tokens whose user may get /metrics or list the MaintenanceJobs
                                              (TokenReview and SubjectAccessReview); /healthz and /readyz stay open
                  METRICS_CERT_DIR            directory with tls.crt and tls.key (default: a self-signed certificate)""";
    }
}
