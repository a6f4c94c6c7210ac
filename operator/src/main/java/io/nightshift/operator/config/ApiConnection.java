package io.nightshift.operator.config;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/**
 * The operator's client of the API server, the same for the shipped process and for the tests that take
 * the API server away under it.
 *
 * <p>When a watch breaks, the client tries to open it again at once and then, while each try fails, waits
 * twice as long before the next, up to 32 times the first wait. With the client's default first wait (1 s),
 * after an outage of two minutes the next try can be 32 s away; the first wait here makes that 8 s, so
 * that a run that ends once the server is back reaches the status within 15 s whatever the outage lasted.
 * Between those waits the client retries each request itself (every 100 ms to 3.2 s, ten times), which is
 * what reaches a server that comes back during a shorter outage.
 */
public final class ApiConnection {

    /** The first wait before opening a broken watch again (and before listing again when a watch expired). */
    static final Duration WATCH_RECONNECT_FIRST_WAIT = Duration.ofMillis(250);
    /** Watches are never given up: an informer that stops retrying would leave the operator blind. */
    static final int WATCH_RECONNECT_UNLIMITED = -1;

    private ApiConnection() {
    }

    /** A client for {@code config} (the kubeconfig context or in-cluster account) with the operator's settings. */
    public static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(configure(config)).build();
    }

    static Config configure(Config config) {
        config.setWatchReconnectInterval((int) WATCH_RECONNECT_FIRST_WAIT.toMillis());
        config.setWatchReconnectLimit(WATCH_RECONNECT_UNLIMITED);
        return config;
    }
}
