package io.nightshift.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheUnitsUsersWrite() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("36h")).isEqualTo(Duration.ofHours(36));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String bad : new String[] {"", "2", "2 days", "1.5h", "-1h", "30m1h", "2w"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("duration");
        }
    }

    @Test
    void formatsBackToWhatItReads() {
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(Durations.parse(Durations.format(Duration.ofSeconds(93_784)))).isEqualTo(Duration.ofSeconds(93_784));
    }
}
