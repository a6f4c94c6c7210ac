package io.nightshift.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

    @Test
    void theLeaseIsHeldUnderThePodsNameElseTheHostName() {
        assertThat(OperatorSettings.fromEnvironment(Map.of("POD_NAME", "nightshift-6c9d-x2kq", "HOSTNAME", "other")::get).leaseHolder())
                .isEqualTo("nightshift-6c9d-x2kq");
        assertThat(OperatorSettings.fromEnvironment(Map.of("HOSTNAME", "worker-3")::get).leaseHolder()).isEqualTo("worker-3");
        assertThat(OperatorSettings.fromEnvironment(Map.<String, String>of()::get).leaseHolder()).isNotBlank();
    }
}
