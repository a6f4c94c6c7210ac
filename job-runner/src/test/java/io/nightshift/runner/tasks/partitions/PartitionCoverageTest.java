package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a run, every moment from the start of the current interval to the end of premake intervals ahead has
 * exactly one partition, with bounds on the interval's boundaries in the task's zone (whatever the session's and the
 * JVM's zones), for each key type; a second run changes nothing.
 */
@DatabaseFacing
class PartitionCoverageTest {

    static final TestDatabase db = TestDatabase.create();

    @TempDir
    Path dir;

    /** What psql, the application and any session not from the JDBC driver get; the driver sends its JVM's zone. */
    @BeforeAll
    static void sessionsOfTheDatabaseStartInSaoPaulo() {
        db.execute("ALTER DATABASE " + db.database() + " SET timezone = 'America/Sao_Paulo'");
    }

    static String task(String table, String interval, int premake, String zone) {
        return "{\"partitions\":{\"table\":\"" + table + "\",\"interval\":\"" + interval + "\",\"premake\":" + premake
                + (zone == null ? "" : ",\"timeZone\":\"" + zone + "\"") + "}}";
    }

    private RunnerHarness.Outcome run(String job, String task) {
        return PartitionRuns.succeeded(db, dir, job, task);
    }

    private static String text(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A timestamptz bound as PostgreSQL prints it: {@code 2026-03-29 00:00:00+01}. */
    static Instant instant(String bound) {
        return OffsetDateTime.parse(bound.replace(' ', 'T') + (bound.matches(".*[+-]\\d\\d$") ? ":00" : "")).toInstant();
    }

    @Test
    void dailyPartitionsInBerlinStartAtLocalMidnightAcrossDstMadeByARunnerInAnotherZone() throws Exception {
        db.execute("CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, created_at timestamptz NOT NULL, payload jsonb,"
                + " PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at)");
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("events-partitions", task("public.events", "1d", 200, "Europe/Berlin"));
        env.put("TZ", "Pacific/Chatham");
        Process child = runner.start(env, dir.resolve("child.log"));
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();

        List<PartitionBounds> bounds = PartitionBounds.covering(db, "events", "timestamptz", "Europe/Berlin", 201);
        assertThat(bounds).allSatisfy(b -> {
            assertThat(b.from()).matches("\\d{4}-\\d\\d-\\d\\d 00:00:00\\+0[12]");
            assertThat(b.name()).isEqualTo("events_p" + b.from().substring(0, 10).replace("-", ""));
        });
        assertThat(bounds).as("200 days ahead always cross a change of summer time")
                .anySatisfy(b -> assertThat(b.from()).endsWith("+01")).anySatisfy(b -> assertThat(b.from()).endsWith("+02"));
        assertThat(bounds.stream().map(b -> Duration.between(instant(b.from()), instant(b.to())).toHours()).collect(Collectors.toSet()))
                .as("days of 24 hours, and of 23 or 25 around a change of summer time").contains(24L).hasSizeGreaterThan(1)
                .isSubsetOf(23L, 24L, 25L);

        RunnerHarness.Outcome again = run("events-partitions", task("public.events", "1d", 200, "Europe/Berlin"));
        JsonNode stats = again.result().path("stats");
        assertThat(stats.path("created").asLong()).isZero();
        assertThat(stats.path("dropped").asLong()).isZero();
        assertThat(stats.path("ahead").asLong()).isEqualTo(200);
        assertThat(PartitionBounds.of(db, "events", "timestamptz", "Europe/Berlin")).isEqualTo(bounds);
    }

    @Test
    void monthlyPartitionsOfATimestampColumnStartOnTheFirstOfMonthsOf28To31Days() throws Exception {
        db.execute("CREATE TABLE invoices (id bigserial, issued_at timestamp(3) NOT NULL, amount numeric) PARTITION BY RANGE (issued_at)");

        RunnerHarness.Outcome out = run("invoices", task("invoices", "1mo", 14, "America/New_York"));

        assertThat(out.result().path("stats").path("created").asLong()).isEqualTo(15);
        List<PartitionBounds> bounds = PartitionBounds.covering(db, "invoices", "timestamp", "America/New_York", 15);
        assertThat(bounds).allSatisfy(b -> assertThat(b.from()).matches("\\d{4}-\\d\\d-01 00:00:00"));
        assertThat(bounds.stream().map(b -> ChronoUnit.DAYS.between(LocalDate.parse(b.from().substring(0, 10)),
                LocalDate.parse(b.to().substring(0, 10)))).collect(Collectors.toSet()))
                .as("15 months hold a February and months of 30 and 31 days").contains(30L, 31L).containsAnyOf(28L, 29L);
    }

    @Test
    void weeklyPartitionsOfADateColumnStartOnMonday() throws Exception {
        db.execute("CREATE TABLE visits (day date NOT NULL, page text, hits int) PARTITION BY RANGE (day)");

        run("visits", task("visits", "1w", 6, "Asia/Tokyo"));

        for (PartitionBounds b : PartitionBounds.covering(db, "visits", "date", "Asia/Tokyo", 7)) {
            assertThat(text("SELECT extract(isodow FROM '" + b.from() + "'::date)")).isEqualTo("1");
        }
    }

    @Test
    void hourlyPartitionsFollowTheZonesFullHourAndArePgPartmanNamed() throws Exception {
        db.execute("CREATE TABLE clicks (at timestamptz NOT NULL, url text) PARTITION BY RANGE (at)");

        run("clicks", task("clicks", "1h", 30, "Asia/Kathmandu"));

        assertThat(PartitionBounds.covering(db, "clicks", "timestamptz", "Asia/Kathmandu", 31)).allSatisfy(b -> {
            assertThat(b.from()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:00:00\\+05:45");
            assertThat(b.name()).isEqualTo("clicks_p" + b.from().substring(0, 10).replace("-", "") + "_" + b.from().substring(11, 13) + "0000");
        });
        assertThat(PartitionBounds.of(db, "clicks", "timestamptz", "UTC")).allSatisfy(b -> assertThat(b.from()).contains(":15:00+00"));
    }

    @Test
    void aLongTablesPartitionsAreNamedWithin63BytesAndFoundAgainByTheirBounds() throws Exception {
        String table = "request_logs_of_the_public_api_gateway_by_tenant_and_region_x";
        db.execute("CREATE TABLE " + table + " (at timestamptz NOT NULL, path text) PARTITION BY RANGE (at)");

        RunnerHarness.Outcome out = run("long-name", task(table, "1h", 3, null));
        RunnerHarness.Outcome again = run("long-name", task(table, "1h", 3, null));

        assertThat(out.log()).contains("names keep the first letters of the table's name");
        assertThat(PartitionBounds.of(db, table, "timestamptz", "UTC")).hasSize(4)
                .allSatisfy(b -> assertThat(b.name()).hasSize(63).startsWith(table.substring(0, 46) + "_p"));
        assertThat(again.result().path("stats").path("created").asLong()).isZero();
    }

    @Test
    void aDryRunSaysWhatItWouldDoAndChangesNothing() throws Exception {
        db.execute("CREATE TABLE audit_trail (at timestamptz NOT NULL, what text) PARTITION BY RANGE (at);"
                + "CREATE TABLE audit_trail_ancient PARTITION OF audit_trail FOR VALUES FROM ('2020-01-01') TO ('2020-02-01')");
        RunnerHarness runner = new RunnerHarness(db, dir);

        RunnerHarness.Outcome out = runner.run(runner.env("audit", "{\"partitions\":{\"table\":\"audit_trail\",\"interval\":\"1mo\","
                + "\"olderThan\":\"365d\"}}"), "--dry-run");

        assertThat(out.exitCode()).as(out.log()).isZero();
        assertThat(out.result().path("stats").path("created").asLong()).isEqualTo(5);
        assertThat(out.result().path("stats").path("dropped").asLong()).isEqualTo(1);
        assertThat(out.log()).contains("would create 5").contains("would drop 1");
        assertThat(PartitionBounds.of(db, "audit_trail", "timestamptz", "UTC")).extracting(PartitionBounds::name)
                .containsExactly("audit_trail_ancient");
    }
}
