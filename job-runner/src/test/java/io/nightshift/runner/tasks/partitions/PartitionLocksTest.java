package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run that makes and drops partitions while a report holds a long transaction on the table and the application
 * keeps inserting: the run waits for the report (or retries behind it) and no insert waits for more than a moment.
 */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class PartitionLocksTest {

    @Parameter
    ConnectionTarget target;

    /** How long the report's transaction stays open. */
    private static final Duration READER_HOLDS = Duration.ofSeconds(5);
    /** Longest an insert may wait: well under "a few seconds", a few lock timeouts of the task. */
    private static final Duration LONGEST_INSERT = Duration.ofMillis(2_000);

    @TempDir
    Path dir;

    TestDatabase db;

    @BeforeEach
    void eventsOfTheLast35Days() {
        db = TestDatabase.create();
        db.execute("SET TimeZone = 'UTC'; CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, created_at timestamptz NOT NULL,"
                + " kind text, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);"
                + "DO $$ DECLARE d date; BEGIN FOR d IN SELECT current_date + g FROM generate_series(-35, 0) g LOOP"
                + " EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', 'events_p' || to_char(d, 'YYYYMMDD'),"
                + " d::timestamptz, (d + 1)::timestamptz); END LOOP; END $$;"
                + "INSERT INTO events (created_at, kind) SELECT g, 'old' FROM generate_series(current_date - 35, now(), interval '1 hour') g");
    }

    /** Inserts one row at now() (and, with a DEFAULT partition, one a year old) every 20 ms, timing each. */
    private static final class Writer implements AutoCloseable {
        final AtomicLong longestMs = new AtomicLong();
        final AtomicInteger inserts = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final CompletableFuture<Void> loop;

        Writer(TestDatabase db, boolean intoDefaultToo) {
            loop = CompletableFuture.runAsync(() -> {
                try (Connection c = db.connect(); PreparedStatement insert = c.prepareStatement("INSERT INTO events (created_at, kind) VALUES "
                        + (intoDefaultToo ? "(now(), 'app'), (now() - interval '1 year', 'late')" : "(now(), 'app')"))) {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        insert.executeUpdate();
                        longestMs.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                        inserts.incrementAndGet();
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public void close() {
            stop.set(true);
            loop.join();
        }
    }

    /** Runs the task while a report's transaction, which read the whole table, stays open for {@link #READER_HOLDS}. */
    private RunnerHarness.Outcome runBehindALongReport(String task, Writer writer) throws Exception {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        try (Connection report = db.connect(); Statement st = report.createStatement()) {
            report.setAutoCommit(false);
            st.executeQuery("SELECT count(*) FROM events").close();
            long start = System.nanoTime();
            CompletableFuture<RunnerHarness.Outcome> run = CompletableFuture.supplyAsync(() -> runner.run(runner.env("events-partitions", task)));
            Thread.sleep(READER_HOLDS.toMillis());
            assertThat(run).as("the run waits for the report").isNotDone();
            report.commit();
            RunnerHarness.Outcome out = run.join();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(READER_HOLDS);
            assertThat(writer.inserts.get()).as("the application kept inserting").isGreaterThan(20);
            return out;
        }
    }

    @Test
    void withoutADefaultPartitionNewOnesAttachBesideTheReportAndOldOnesDetachConcurrently() throws Exception {
        try (Writer writer = new Writer(db, false)) {
            RunnerHarness.Outcome out = runBehindALongReport(
                    "{\"partitions\":{\"table\":\"events\",\"interval\":\"1d\",\"premake\":5,\"olderThan\":\"30d\"}}", writer);

            assertThat(out.exitCode()).as(out.log()).isZero();
            JsonNode stats = out.result().path("stats");
            assertThat(stats.path("created").asLong()).isEqualTo(5);
            assertThat(stats.path("dropped").asLong()).isBetween(5L, 6L);
            writer.close();
            assertThat(writer.longestMs.get()).as("longest insert, ms").isLessThan(LONGEST_INSERT.toMillis());
        }
    }

    @Test
    void withADefaultPartitionTheRunRetriesUnderItsLockTimeoutAndLetsInsertsThrough() throws Exception {
        db.execute("CREATE TABLE events_default PARTITION OF events DEFAULT");
        try (Writer writer = new Writer(db, true)) {
            RunnerHarness.Outcome out = runBehindALongReport("{\"partitions\":{\"table\":\"events\",\"interval\":\"1d\",\"premake\":5,"
                    + "\"olderThan\":\"30d\",\"lockTimeout\":\"1s\"}}", writer);

            assertThat(out.exitCode()).as(out.log()).isZero();
            JsonNode stats = out.result().path("stats");
            assertThat(stats.path("created").asLong()).isEqualTo(5);
            assertThat(stats.path("dropped").asLong()).isBetween(5L, 6L);
            assertThat(stats.path("lockRetries").asLong()).as("it gave way to the application and tried again").isPositive();
            assertThat(out.log()).contains("letting the application's queries pass");
            writer.close();
            assertThat(writer.longestMs.get()).as("longest insert, ms").isLessThan(LONGEST_INSERT.toMillis());
        }
    }
}
