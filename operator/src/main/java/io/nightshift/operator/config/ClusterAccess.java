package io.nightshift.operator.config;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nightshift.operator.resource.MaintenanceJob;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Asks the API server, before the operator starts, for the MaintenanceJobs it is to watch. When that fails
 * (no cluster, wrong context, rejected credentials, CRD not installed, no permission) it answers one line
 * naming the server and where its address came from, instead of the informers' stack traces.
 */
public final class ClusterAccess {

    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(4);

    private ClusterAccess() {
    }

    /**
     * The problem with the cluster of the current kubeconfig context (or in-cluster account), if any. In a pod, an
     * API server that cannot be reached or answers that it cannot serve yet is asked again for up to {@code inPodWait},
     * with a line each time: a replica restarted during an outage of the control plane then starts when the server
     * is back, instead of exiting into the kubelet's growing back-off. Outside a pod the answer is immediate.
     */
    public static Optional<String> problem(Set<String> namespaces, Duration inPodWait, Consumer<String> log) {
        Config config = Config.autoConfigure(null);
        // One attempt each time: the operator's own client retries for half a minute before it says anything.
        config.setRequestRetryBackoffLimit(0);
        return problem(config, namespaces, System.getenv("KUBERNETES_SERVICE_HOST") != null ? inPodWait : Duration.ZERO, log);
    }

    static Optional<String> problem(Config config, Set<String> namespaces) {
        return problem(config, namespaces, Duration.ZERO, line -> { });
    }

    static Optional<String> problem(Config config, Set<String> namespaces, Duration wait, Consumer<String> log) {
        long deadline = System.nanoTime() + wait.toNanos();
        Duration pause = FIRST_PAUSE;
        while (true) {
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                if (namespaces.isEmpty()) {
                    client.resources(MaintenanceJob.class).inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build());
                } else {
                    namespaces.forEach(ns -> client.resources(MaintenanceJob.class).inNamespace(ns).list(new ListOptionsBuilder().withLimit(1L).build()));
                }
                return Optional.empty();
            } catch (KubernetesClientException e) {
                boolean temporary = e.getCode() <= 0 || e.getCode() == 429 || e.getCode() >= 500;
                if (!temporary || System.nanoTime() + pause.toNanos() > deadline) {
                    return Optional.of(describe(e, config));
                }
                log.accept(describe(e, config) + "; asking again in " + pause.toSeconds() + " s");
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return Optional.of(describe(e, config));
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    static String describe(KubernetesClientException e, Config config) {
        String server = config.getMasterUrl();
        String where = source(config);
        if (e.getCode() <= 0) {
            return "cannot reach the Kubernetes API server " + server + " (" + where + "): " + cause(e);
        }
        return switch (e.getCode()) {
            case 401 -> "the Kubernetes API server " + server + " (" + where + ") refused the credentials: 401 Unauthorized";
            case 403 -> "the Kubernetes API server " + server + " (" + where + ") does not let this account list MaintenanceJobs: "
                    + oneLine(e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
            case 404 -> "the MaintenanceJob CRD is not installed on " + server + " (" + where
                    + "): install it with  kubectl apply --server-side --force-conflicts -f crds/";
            default -> "the Kubernetes API server " + server + " (" + where + ") answered " + e.getCode() + ": "
                    + oneLine(e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
        };
    }

    private static String source(Config config) {
        if (config.getFile() != null) {
            String context = config.getCurrentContext() == null ? "no current context" : "context " + config.getCurrentContext().getName();
            return context + " of kubeconfig " + config.getFile();
        }
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
            return "the pod's service account";
        }
        return "no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a pod";
    }

    private static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "host name not found";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "timed out connecting";
            }
            if (t instanceof HttpTimeoutException) {
                return "timed out waiting for an answer";
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + oneLine(t.getMessage());
            }
            if (t instanceof ConnectException && (t.getMessage() == null || t.getMessage().isBlank())) {
                return "connection refused";
            }
            if (t instanceof ConnectException) {
                return oneLine(t.getMessage());
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : oneLine(root.getMessage());
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
