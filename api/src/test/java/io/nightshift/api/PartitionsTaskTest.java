package io.nightshift.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The partitions task's fields as the operator and the runner check them, each problem naming its field. */
class PartitionsTaskTest {

    private final ObjectMapper json = new ObjectMapper();

    private PartitionsTask read(String fields) throws Exception {
        return json.readValue("{" + fields + "}", PartitionsTask.class);
    }

    private List<String> problems(String fields) throws Exception {
        return read(fields).validate("spec.task.partitions").stream().map(FieldError::toString).toList();
    }

    @Test
    void theIssuesExampleIsValidAndTheDefaultsAreThoseDocumented() throws Exception {
        PartitionsTask task = read("\"table\":\"public.events\",\"interval\":\"1d\"");

        assertThat(task.validate("spec.task.partitions")).isEmpty();
        assertThat(task.intervalUnit()).isEqualTo(PartitionsTask.Interval.DAY);
        assertThat(task.premakeOrDefault()).isEqualTo(4);
        assertThat(task.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(task.lockTimeoutDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(task.detachOrDefault()).isFalse();
        assertThat(problems("\"table\":\"public.events\",\"interval\":\"1mo\",\"premake\":7,\"olderThan\":\"30d\",\"detach\":false,"
                + "\"timeZone\":\"Europe/Berlin\",\"column\":\"created_at\",\"lockTimeout\":\"1m\"")).isEmpty();
    }

    @Test
    void eachProblemNamesItsField() throws Exception {
        assertThat(problems("\"table\":\"events; DROP TABLE x\",\"interval\":\"1y\",\"premake\":1,\"column\":\"created at\","
                + "\"timeZone\":\"Mars/Olympus_Mons\",\"lockTimeout\":\"5m\",\"olderThan\":\"30 days\"")).containsExactlyInAnyOrder(
                "spec.task.partitions.table: 'events; DROP TABLE x' is not a table name: write it as table or schema.table (letters, digits and underscores)",
                "spec.task.partitions.column: 'created at' is not a column name (letters, digits and underscores, at most 63)",
                "spec.task.partitions.interval: '1y' is not one of 1h, 1d, 1w, 1mo",
                "spec.task.partitions.premake: must be between 2 and 1000, got 1",
                "spec.task.partitions.olderThan: '30 days' is not a duration: write it like 90s, 30m, 36h, 2d or 1h30m",
                "spec.task.partitions.timeZone: 'Mars/Olympus_Mons' is not an IANA time zone such as Europe/Berlin or UTC",
                "spec.task.partitions.lockTimeout: '5m' is longer than 1m: the application's queries wait behind the run that long");
        assertThat(problems("")).containsExactly("spec.task.partitions.table: is required", "spec.task.partitions.interval: is required");
    }

    @Test
    void aRetentionUnderAnHourIsATypoNotAWish() throws Exception {
        assertThat(problems("\"table\":\"events\",\"interval\":\"1mo\",\"olderThan\":\"3m\"")).singleElement().asString()
                .startsWith("spec.task.partitions.olderThan: '3m' is shorter than 1h").contains("90d, not 3m");
        assertThat(problems("\"table\":\"events\",\"interval\":\"1h\",\"olderThan\":\"1h\"")).isEmpty();
    }

    @Test
    void detachSaysWhatHappensToOldPartitionsSoItNeedsOlderThan() throws Exception {
        assertThat(problems("\"table\":\"events\",\"interval\":\"1d\",\"detach\":true")).containsExactly(
                "spec.task.partitions.detach: only applies with olderThan: it says what happens to partitions older than it");
    }

    @Test
    void fixedOffsetsAreNotTimeZones() throws Exception {
        assertThat(problems("\"table\":\"events\",\"interval\":\"1d\",\"timeZone\":\"+02:00\"")).hasSize(1);
        assertThat(problems("\"table\":\"events\",\"interval\":\"1d\",\"timeZone\":\"America/Argentina/Buenos_Aires\"")).isEmpty();
    }

    @Test
    void olderThanSplitsIntoCalendarDaysAndClockTime() throws Exception {
        PartitionsTask days = read("\"olderThan\":\"30d\"");
        PartitionsTask mixed = read("\"olderThan\":\"1d12h30m\"");
        PartitionsTask hours = read("\"olderThan\":\"36h\"");

        assertThat(days.olderThanDays()).isEqualTo(30);
        assertThat(days.olderThanClockTime()).isZero();
        assertThat(mixed.olderThanDays()).isEqualTo(1);
        assertThat(mixed.olderThanClockTime()).isEqualTo(Duration.ofMinutes(12 * 60 + 30));
        assertThat(hours.olderThanDays()).isZero();
        assertThat(hours.olderThanClockTime()).isEqualTo(Duration.ofHours(36));
    }
}
