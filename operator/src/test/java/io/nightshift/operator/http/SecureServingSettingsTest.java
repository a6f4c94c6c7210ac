package io.nightshift.operator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecureServingSettingsTest {

    @Test
    void secureUnlessTurnedOffTheFlagWinningOverTheEnvironment() {
        assertThat(SecureServingSettings.from(List.of(), Map.<String, String>of()::get).secure()).isTrue();
        assertThat(SecureServingSettings.from(List.of("--secure-metrics=false"), Map.<String, String>of()::get).secure()).isFalse();
        assertThat(SecureServingSettings.from(List.of(), Map.of("METRICS_SECURE", "false")::get).secure()).isFalse();
        assertThat(SecureServingSettings.from(List.of("--secure-metrics"), Map.of("METRICS_SECURE", "false")::get).secure()).isTrue();
        assertThat(SecureServingSettings.from(List.of(), Map.of("METRICS_CERT_DIR", "/etc/nightshift/tls")::get).certDirectory())
                .isEqualTo(Path.of("/etc/nightshift/tls"));
    }

    @Test
    void aValueOtherThanTrueOrFalseNamesWhereItCameFrom() {
        assertThatThrownBy(() -> SecureServingSettings.from(List.of("--secure-metrics=no"), Map.<String, String>of()::get))
                .hasMessage("--secure-metrics must be true or false, got 'no'");
        assertThatThrownBy(() -> SecureServingSettings.from(List.of(), Map.of("METRICS_SECURE", "yes")::get))
                .hasMessage("METRICS_SECURE must be true or false, got 'yes'");
    }
}
