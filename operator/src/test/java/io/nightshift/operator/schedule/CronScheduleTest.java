package io.nightshift.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void nextRunsInTheJobsTimeZone() {
        Instant now = Instant.parse("2026-11-22T10:15:00Z");
        assertThat(CronSchedule.parse("0 3 * * *").nextAfter(now, UTC)).contains(Instant.parse("2026-11-23T03:00:00Z"));
        assertThat(CronSchedule.parse("0 3 * * *").nextAfter(now, ZoneId.of("Europe/Berlin"))).contains(Instant.parse("2026-11-23T02:00:00Z"));
        assertThat(CronSchedule.parse("30 3 * * *").nextAfter(now, UTC)).contains(Instant.parse("2026-11-23T03:30:00Z"));
        assertThat(CronSchedule.parse("0 */6 * * *").nextAfter(now, UTC)).contains(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(CronSchedule.parse("0 0 * * 1-5").nextAfter(now, UTC)).contains(Instant.parse("2026-11-23T00:00:00Z"));
    }

    @Test
    void macrosMeanWhatKubernetesMeans() {
        Instant now = Instant.parse("2026-11-22T10:15:00Z");
        assertThat(CronSchedule.parse("@hourly").nextAfter(now, UTC)).contains(Instant.parse("2026-11-22T11:00:00Z"));
        assertThat(CronSchedule.parse("@daily").nextAfter(now, UTC)).contains(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(CronSchedule.parse("@midnight").nextAfter(now, UTC)).contains(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(CronSchedule.parse("@weekly").nextAfter(now, UTC)).contains(Instant.parse("2026-11-29T00:00:00Z"));
        assertThat(CronSchedule.parse("@monthly").nextAfter(now, UTC)).contains(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(CronSchedule.parse("@yearly").nextAfter(now, UTC)).contains(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(CronSchedule.parse("@annually").nextAfter(now, UTC)).contains(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void theLastRunAtOrBeforeAMoment() {
        assertThat(CronSchedule.parse("0 3 * * *").lastAtOrBefore(Instant.parse("2026-11-22T10:15:00Z"), UTC))
                .contains(Instant.parse("2026-11-22T03:00:00Z"));
        assertThat(CronSchedule.parse("0 3 * * *").lastAtOrBefore(Instant.parse("2026-11-22T03:00:00Z"), UTC))
                .contains(Instant.parse("2026-11-22T03:00:00Z"));
    }

    @Test
    void badSchedulesSayWhatIsWrong() {
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * *")).hasMessageContaining("has 4 fields");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * * * *")).hasMessageContaining("has 6 fields");
        assertThatThrownBy(() -> CronSchedule.parse("61 3 * * *")).hasMessageContaining("is not a valid cron schedule");
        assertThatThrownBy(() -> CronSchedule.parse("@sometimes")).hasMessageContaining("is not a schedule macro");
        assertThatThrownBy(() -> CronSchedule.parse("CRON_TZ=UTC 0 3 * * *")).hasMessageContaining("spec.timeZone");
        assertThatThrownBy(() -> CronSchedule.parse(" ")).hasMessageContaining("is required");
    }
}
