package io.nightshift.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.ExponentialBackoffIntervalCalculator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The waits between tries to open a broken watch again, as the client computes them from the operator's settings. */
class ApiConnectionTest {

    private static final Config KUBECONFIG = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:6443/").build();

    @Test
    void aBrokenWatchIsTriedAgainAtLeastEvery8SecondsAndNeverGivenUp() {
        try (KubernetesClient client = ApiConnection.client(new ConfigBuilder(KUBECONFIG).build())) {
            Config config = client.getConfiguration();
            ExponentialBackoffIntervalCalculator waits = new ExponentialBackoffIntervalCalculator(config.getWatchReconnectInterval(),
                    config.getWatchReconnectLimit());
            assertThat(Duration.ofMillis(waits.getInterval(0))).isEqualTo(Duration.ofMillis(250));
            assertThat(Duration.ofMillis(waits.getInterval(1000))).as("the longest wait, however long the server is away")
                    .isEqualTo(Duration.ofSeconds(8));
            assertThat(waits.shouldRetry()).isTrue();
            assertThat(config.getWatchReconnectLimit()).isEqualTo(-1);
            assertThat(config.getMasterUrl()).isEqualTo("https://127.0.0.1:6443/");
        }
    }
}
