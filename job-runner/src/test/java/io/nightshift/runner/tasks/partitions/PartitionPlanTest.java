package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.api.PartitionsTask.Interval;
import io.nightshift.api.TableName;
import io.nightshift.runner.tasks.cutoff.ColumnKind;
import io.nightshift.runner.tasks.partitions.PartitionPlan.NewPartition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a run decides, for given clocks, zones and partitions: the pure part, without a database. */
class PartitionPlanTest {

    private static final TableName EVENTS = TableName.parse("public.events");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static PartitionPlan plan(KeySpace space, Interval interval, int premake, String now, Instant cutoff, List<Partition> existing,
            Set<String> taken) {
        return PartitionPlan.make(new PartitionPlan.Settings(space, interval, premake, cutoff), Instant.parse(now), existing,
                new PartitionNames(EVENTS, taken));
    }

    private static PartitionPlan plan(KeySpace space, Interval interval, int premake, String now) {
        return plan(space, interval, premake, now, null, List.of(), Set.of());
    }

    private static List<String> literals(KeySpace space, PartitionPlan plan) {
        return plan.create().stream().map(p -> space.literal(p.range().from()) + " .. " + space.literal(p.range().to())).toList();
    }

    private static List<String> names(PartitionPlan plan) {
        return plan.create().stream().map(p -> p.name().table()).toList();
    }

    private static Partition existing(String name, Instant from, Instant to) {
        return new Partition("public." + name, "public." + name, new Range(from, to), 'r', false);
    }

    @Test
    void berlinDaysAcrossTheSpringChangeStartAtLocalMidnightWithTheirOffsets() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, BERLIN);
        PartitionPlan plan = plan(space, Interval.DAY, 3, "2026-03-28T22:30:00Z");

        assertThat(literals(space, plan)).containsExactly(
                "2026-03-28 00:00:00+01:00 .. 2026-03-29 00:00:00+01:00",
                "2026-03-29 00:00:00+01:00 .. 2026-03-30 00:00:00+02:00",
                "2026-03-30 00:00:00+02:00 .. 2026-03-31 00:00:00+02:00",
                "2026-03-31 00:00:00+02:00 .. 2026-04-01 00:00:00+02:00");
        assertThat(Duration.between(plan.create().get(1).range().from(), plan.create().get(1).range().to())).hasHours(23);
        assertThat(names(plan)).containsExactly("events_p20260328", "events_p20260329", "events_p20260330", "events_p20260331");
    }

    @Test
    void theCurrentDayIsTheZonesNotUtcs() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, BERLIN);

        assertThat(names(plan(space, Interval.DAY, 2, "2026-12-07T23:30:00Z")).get(0)).as("00:30 in Berlin").isEqualTo("events_p20261208");
        assertThat(names(plan(new KeySpace(ColumnKind.TIMESTAMPTZ, NEW_YORK), Interval.DAY, 2, "2026-12-08T03:00:00Z")).get(0))
                .as("22:00 the day before in New York").isEqualTo("events_p20261207");
    }

    @Test
    void newYorkHoursAcrossTheAutumnChangeNameTheRepeatedHourTwice() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, NEW_YORK);
        PartitionPlan plan = plan(space, Interval.HOUR, 3, "2026-11-01T04:30:00Z");

        assertThat(literals(space, plan)).containsExactly(
                "2026-11-01 00:00:00-04:00 .. 2026-11-01 01:00:00-04:00",
                "2026-11-01 01:00:00-04:00 .. 2026-11-01 01:00:00-05:00",
                "2026-11-01 01:00:00-05:00 .. 2026-11-01 02:00:00-05:00",
                "2026-11-01 02:00:00-05:00 .. 2026-11-01 03:00:00-05:00");
        assertThat(names(plan)).containsExactly("events_p20261101_000000", "events_p20261101_010000", "events_p20261101_010000_2",
                "events_p20261101_020000");
    }

    @Test
    void hoursOfAHalfHourZoneStartAtItsFullHour() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, ZoneId.of("Asia/Kolkata"));

        assertThat(literals(space, plan(space, Interval.HOUR, 2, "2026-12-07T10:10:00Z"))).containsExactly(
                "2026-12-07 15:00:00+05:30 .. 2026-12-07 16:00:00+05:30",
                "2026-12-07 16:00:00+05:30 .. 2026-12-07 17:00:00+05:30",
                "2026-12-07 17:00:00+05:30 .. 2026-12-07 18:00:00+05:30");
    }

    @Test
    void aDayWhoseMidnightASummerTimeChangeSkipsStartsAtOne() {
        // Chile moves its clocks at midnight: on 2026-09-06 the day begins at 01:00.
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, ZoneId.of("America/Santiago"));

        assertThat(literals(space, plan(space, Interval.DAY, 2, "2026-09-05T12:00:00Z"))).containsExactly(
                "2026-09-05 00:00:00-04:00 .. 2026-09-06 01:00:00-03:00",
                "2026-09-06 01:00:00-03:00 .. 2026-09-07 00:00:00-03:00",
                "2026-09-07 00:00:00-03:00 .. 2026-09-08 00:00:00-03:00");
    }

    @Test
    void monthsOf28To31DaysStartOnTheFirst() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, ZoneId.of("UTC"));
        PartitionPlan plan = plan(space, Interval.MONTH, 4, "2028-01-31T23:59:59Z");

        assertThat(plan.create()).extracting(p -> Duration.between(p.range().from(), p.range().to()).toDays()).containsExactly(31L, 29L, 31L, 30L, 31L);
        assertThat(names(plan)).containsExactly("events_p20280101", "events_p20280201", "events_p20280301", "events_p20280401", "events_p20280501");
    }

    @Test
    void weeksStartOnMondayForEveryKeyType() {
        String sunday = "2026-12-06T12:00:00Z";
        for (ColumnKind kind : ColumnKind.values()) {
            KeySpace space = new KeySpace(kind, ZoneId.of("UTC"));
            assertThat(space.literal(plan(space, Interval.WEEK, 2, sunday).create().get(0).range().from())).as("%s", kind)
                    .startsWith("2026-11-30");
        }
    }

    @Test
    void aTimestampKeyIsWallClockTimeInTheZoneAndEveryDayOfItHas24Hours() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMP, BERLIN);
        PartitionPlan plan = plan(space, Interval.DAY, 2, "2026-03-28T23:30:00Z");

        assertThat(literals(space, plan)).containsExactly("2026-03-29 00:00:00 .. 2026-03-30 00:00:00", "2026-03-30 00:00:00 .. 2026-03-31 00:00:00",
                "2026-03-31 00:00:00 .. 2026-04-01 00:00:00");
    }

    @Test
    void aDateKeysBoundsAreDates() {
        KeySpace space = new KeySpace(ColumnKind.DATE, NEW_YORK);

        assertThat(literals(space, plan(space, Interval.MONTH, 2, "2027-01-01T03:00:00Z"))).as("still December 31 in New York")
                .containsExactly("2026-12-01 .. 2027-01-01", "2027-01-01 .. 2027-02-01", "2027-02-01 .. 2027-03-01");
    }

    @Test
    void existingPartitionsCountByTheirBoundsWhateverTheirNames() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, ZoneId.of("UTC"));
        Instant day = Instant.parse("2026-12-07T00:00:00Z");
        List<Partition> existing = List.of(
                existing("events_p2026w50", day, day.plus(Duration.ofDays(2))),
                existing("whatever", day.plus(Duration.ofDays(3)).plus(Duration.ofHours(12)), day.plus(Duration.ofDays(4))));

        PartitionPlan plan = plan(space, Interval.DAY, 4, "2026-12-07T10:00:00Z", null, existing, Set.of());

        assertThat(literals(space, plan)).containsExactly(
                "2026-12-09 00:00:00+00:00 .. 2026-12-10 00:00:00+00:00",
                "2026-12-10 00:00:00+00:00 .. 2026-12-10 12:00:00+00:00",
                "2026-12-11 00:00:00+00:00 .. 2026-12-12 00:00:00+00:00");
        assertThat(names(plan)).as("a part of a day that starts at its midnight is named by the day")
                .containsExactly("events_p20261209", "events_p20261210", "events_p20261211");
        List<Range> after = plan.rangesAfter(existing);
        assertThat(PartitionPlan.ahead(space, Interval.DAY, plan.current(), after)).isEqualTo(4);
    }

    @Test
    void afterAnOutageOnlyNowAndAheadAreMadeAndTheOldPartitionsGo() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, ZoneId.of("UTC"));
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        List<Partition> old = new ArrayList<>();
        for (int d = 97; d > 90; d--) {
            old.add(existing("old" + d, now.minus(Duration.ofDays(d)).truncatedTo(java.time.temporal.ChronoUnit.DAYS),
                    now.minus(Duration.ofDays(d - 1)).truncatedTo(java.time.temporal.ChronoUnit.DAYS)));
        }
        Instant cutoff = space.before(now, 30, Duration.ZERO);

        PartitionPlan plan = plan(space, Interval.DAY, 7, now.toString(), cutoff, old, Set.of());

        assertThat(plan.create()).hasSize(8).allSatisfy(p -> assertThat(p.range().to()).isAfter(cutoff));
        assertThat(plan.create().get(0).range().from()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(plan.remove()).containsExactlyElementsOf(old);
        assertThat(PartitionPlan.ahead(space, Interval.DAY, plan.current(), plan.rangesAfter(old))).isEqualTo(7);
    }

    @Test
    void aPartitionGoesOnlyWhenItsWholeRangeIsBeforeTheCutoff() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, ZoneId.of("UTC"));
        Instant cutoff = Instant.parse("2026-11-07T00:00:00Z");
        Partition endsAtCutoff = existing("a", cutoff.minus(Duration.ofDays(1)), cutoff);
        Partition holdsCutoff = existing("b", cutoff, cutoff.plus(Duration.ofDays(1)));
        Partition fromMinValue = existing("c", Instant.MIN, cutoff.minus(Duration.ofDays(1)));

        PartitionPlan plan = plan(space, Interval.DAY, 2, "2026-12-07T10:00:00Z", cutoff, List.of(fromMinValue, endsAtCutoff, holdsCutoff), Set.of());

        assertThat(plan.remove()).containsExactly(fromMinValue, endsAtCutoff);
    }

    @Test
    void theCutoffCountsCalendarDaysInTheZone() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, BERLIN);

        assertThat(space.before(Instant.parse("2026-03-30T10:00:00Z"), 2, Duration.ofHours(1)))
                .as("12:00 CEST two calendar days back is 12:00 CET, then an hour less").isEqualTo(Instant.parse("2026-03-28T10:00:00Z"));
        KeySpace dates = new KeySpace(ColumnKind.DATE, BERLIN);
        Instant cutoff = dates.before(Instant.parse("2026-12-07T23:30:00Z"), 30, Duration.ZERO);
        assertThat(dates.literal(cutoff)).as("00:30 on the 8th in Berlin, 30 days back").isEqualTo("2026-11-08");
    }

    @Test
    void rangesTheDefaultPartitionHoldsRowsInAreLeftOutAndAheadStopsAtTheFirstGap() {
        KeySpace space = new KeySpace(ColumnKind.TIMESTAMPTZ, ZoneId.of("UTC"));
        PartitionPlan full = plan(space, Interval.DAY, 5, "2026-12-07T10:00:00Z");

        PartitionPlan plan = full.without(Set.of(full.create().get(0).range(), full.create().get(3).range()));

        assertThat(names(plan)).containsExactly("events_p20261208", "events_p20261209", "events_p20261211", "events_p20261212");
        assertThat(PartitionPlan.ahead(space, Interval.DAY, plan.current(), plan.rangesAfter(List.of()))).isEqualTo(2);
    }

    @Test
    void namesKeepWithin63BytesAndAvoidTakenOnes() {
        String long60 = "a".repeat(60);
        PartitionNames names = new PartitionNames(new TableName("public", long60), Set.of("a".repeat(53) + "_p20261207"));

        NewPartition first = new NewPartition(names.next(Interval.DAY, java.time.LocalDateTime.parse("2026-12-07T00:00"), true), null);
        NewPartition hourly = new NewPartition(names.next(Interval.HOUR, java.time.LocalDateTime.parse("2026-12-07T13:00"), true), null);

        assertThat(first.name().table()).isEqualTo("a".repeat(51) + "_p20261207_2").hasSize(63);
        assertThat(hourly.name().table()).isEqualTo("a".repeat(46) + "_p20261207_130000").hasSize(63);
        assertThat(names.shortened()).isTrue();
        assertThat(PartitionNames.prefix(new TableName("public", long60))).hasSize(42);
    }
}
