package io.nightshift.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant SUNDAY = Instant.parse("2026-11-22T10:15:00Z");

    private static Instant next(String schedule, Instant after) {
        return CronSchedule.parse(schedule).nextAfter(after, UTC).orElseThrow();
    }

    @Test
    void nextRunsInTheJobsTimeZone() {
        assertThat(CronSchedule.parse("0 3 * * *").nextAfter(SUNDAY, UTC)).contains(Instant.parse("2026-11-23T03:00:00Z"));
        assertThat(CronSchedule.parse("0 3 * * *").nextAfter(SUNDAY, ZoneId.of("Europe/Berlin"))).contains(Instant.parse("2026-11-23T02:00:00Z"));
        assertThat(next("30 3 * * *", SUNDAY)).isEqualTo(Instant.parse("2026-11-23T03:30:00Z"));
        assertThat(next("0 */6 * * *", SUNDAY)).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(next("0 0 * * 1-5", SUNDAY)).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
    }

    @Test
    void aRunIsStrictlyAfterTheGivenMoment() {
        assertThat(next("15 10 * * *", SUNDAY)).isEqualTo(Instant.parse("2026-11-23T10:15:00Z"));
        assertThat(next("* * * * *", Instant.parse("2026-11-22T10:15:00.500Z"))).isEqualTo(Instant.parse("2026-11-22T10:16:00Z"));
    }

    @Test
    void dayOfMonthAndDayOfWeekBothRestrictedMeanEither() {
        // robfig (and Vixie cron): the 13th OR a Friday; 2026-11-27 is a Friday
        assertThat(next("0 0 13 * 5", SUNDAY)).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(next("0 0 13 * 5", Instant.parse("2026-12-12T00:00:00Z"))).isEqualTo(Instant.parse("2026-12-13T00:00:00Z"));
        // one of them * or ?: both must match
        assertThat(next("0 0 ? * 5", SUNDAY)).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(next("0 0 13 * ?", SUNDAY)).isEqualTo(Instant.parse("2026-12-13T00:00:00Z"));
        assertThat(next("0 0 */1 * 5", SUNDAY)).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        // a step over 1 drops the star: day 1, 3, ..., 29 OR a Friday (the 23rd is a Monday, the 25th a Wednesday)
        assertThat(next("0 0 1-31/2 * 5", SUNDAY)).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(next("0 0 */2 * 5", Instant.parse("2026-11-23T00:00:00Z"))).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    }

    @Test
    void namesAndQuestionMarks() {
        assertThat(next("0 3 * * SUN", SUNDAY)).isEqualTo(Instant.parse("2026-11-29T03:00:00Z"));
        assertThat(next("0 3 * * sun", SUNDAY)).isEqualTo(Instant.parse("2026-11-29T03:00:00Z"));
        assertThat(next("0 3 * * MON-FRI", SUNDAY)).isEqualTo(Instant.parse("2026-11-23T03:00:00Z"));
        assertThat(next("0 3 * jan-mar *", SUNDAY)).isEqualTo(Instant.parse("2027-01-01T03:00:00Z"));
        assertThat(next("5/15 * * * *", SUNDAY)).isEqualTo(Instant.parse("2026-11-22T10:20:00Z"));
        assertThat(next("0  3 * * *", SUNDAY)).isEqualTo(Instant.parse("2026-11-23T03:00:00Z"));
    }

    @Test
    void aScheduleThatNeverRunsHasNoNextRun() {
        assertThat(CronSchedule.parse("0 0 31 2 *").nextAfter(SUNDAY, UTC)).isEmpty();
        assertThat(next("0 0 29 2 *", SUNDAY)).isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
    }

    @Test
    void aRunInTheSpringForwardGapIsSkippedThatDay() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2026-03-29 02:00 CET jumps to 03:00 CEST: robfig never sees 02:30 that day
        assertThat(CronSchedule.parse("30 2 * * *").nextAfter(Instant.parse("2026-03-28T12:00:00Z"), berlin))
                .contains(Instant.parse("2026-03-30T00:30:00Z"));
    }

    @Test
    void everyIsAConstantDelay() {
        Instant now = Instant.parse("2026-11-22T10:15:30.500Z");
        assertThat(next("@every 1h30m", now)).isEqualTo(Instant.parse("2026-11-22T11:45:30Z"));
        assertThat(next("@every 90s", now)).isEqualTo(Instant.parse("2026-11-22T10:17:00Z"));
        assertThat(next("@every 1.5s", now)).isEqualTo(Instant.parse("2026-11-22T10:15:31Z"));
        assertThat(next("@every 10ms", now)).isEqualTo(Instant.parse("2026-11-22T10:15:31Z"));
        // counted from the CronJob's last run, as the CronJob controller counts
        assertThat(CronSchedule.parse("@every 1h").nextAfter(now, UTC, Instant.parse("2026-11-22T08:40:00Z")))
                .contains(Instant.parse("2026-11-22T10:40:00Z"));
        assertThat(CronSchedule.parse("@every 1h").lastAtOrBefore(now, UTC)).isEmpty();
        assertThat(CronSchedule.parse("@every 1h").lastAtOrBefore(now, UTC, Instant.parse("2026-11-22T08:40:00Z")))
                .contains(Instant.parse("2026-11-22T09:40:00Z"));
        assertThat(CronSchedule.parse("@every 1h").lastAtOrBefore(now, UTC, Instant.parse("2026-11-22T09:40:00Z"))).isEmpty();
    }

    @Test
    void macrosMeanWhatKubernetesMeans() {
        assertThat(next("@hourly", SUNDAY)).isEqualTo(Instant.parse("2026-11-22T11:00:00Z"));
        assertThat(next("@daily", SUNDAY)).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(next("@midnight", SUNDAY)).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(next("@weekly", SUNDAY)).isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
        assertThat(next("@monthly", SUNDAY)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(next("@yearly", SUNDAY)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(next("@annually", SUNDAY)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void theLastRunAtOrBeforeAMoment() {
        assertThat(CronSchedule.parse("0 3 * * *").lastAtOrBefore(SUNDAY, UTC)).contains(Instant.parse("2026-11-22T03:00:00Z"));
        assertThat(CronSchedule.parse("0 3 * * *").lastAtOrBefore(Instant.parse("2026-11-22T03:00:00Z"), UTC))
                .contains(Instant.parse("2026-11-22T03:00:00Z"));
        assertThat(CronSchedule.parse("0 0 13 * 5").lastAtOrBefore(SUNDAY, UTC)).contains(Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(CronSchedule.parse("@yearly").lastAtOrBefore(SUNDAY, UTC)).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(CronSchedule.parse("0 0 31 2 *").lastAtOrBefore(SUNDAY, UTC)).isEmpty();
    }

    @Test
    void badSchedulesSayWhatIsWrong() {
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * *")).hasMessageContaining("expected exactly 5 fields, found 4");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * * 7")).hasMessage(
                "'0 3 * * 7' is not a valid cron schedule: end of range (7) above maximum (6): 7 (day-of-week: 0-6 or SUN-SAT, Sunday is 0)");
        assertThatThrownBy(() -> CronSchedule.parse("61 3 * * *")).hasMessageContaining("is not a valid cron schedule");
        assertThatThrownBy(() -> CronSchedule.parse("@sometimes")).hasMessageContaining("unrecognized descriptor: @sometimes");
        assertThatThrownBy(() -> CronSchedule.parse("@every soon")).hasMessageContaining("failed to parse duration @every soon");
        assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *")).hasMessageContaining("step of range should be a positive number");
        assertThatThrownBy(() -> CronSchedule.parse("CRON_TZ=UTC 0 3 * * *")).hasMessageContaining("spec.timeZone");
        assertThatThrownBy(() -> CronSchedule.parse("")).hasMessageContaining("is required");
        assertThatThrownBy(() -> CronSchedule.parse(" ")).hasMessageContaining("expected exactly 5 fields, found 0");
    }
}
