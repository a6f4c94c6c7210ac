package io.nightshift.runner.tasks.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With {@code olderThan}: every partition entirely older than the cutoff goes (dropped, or detached and kept), every row
 * at or after it stays; after an outage nothing already expired is made; an interrupted concurrent detach is finished.
 */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class PartitionRetentionTest {

    @Parameter
    ConnectionTarget target;

    @TempDir
    Path dir;

    TestDatabase db;

    @BeforeEach
    void database() {
        db = TestDatabase.create();
    }

    /** events, daily partitions named as pg_partman 4 named them, from {@code fromDaysAgo} to {@code toDaysAgo}, a row every 2 hours. */
    private void events(int fromDaysAgo, int toDaysAgo, boolean withDefault) {
        db.execute("SET TimeZone = 'UTC'; CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, created_at timestamptz NOT NULL, kind text,"
                + " PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);"
                + "CREATE INDEX ON events (kind);"
                + "DO $$ DECLARE d date; BEGIN FOR d IN SELECT current_date + g FROM generate_series(" + -fromDaysAgo + ", " + (-toDaysAgo - 1)
                + ") g LOOP EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',"
                + " 'events_p' || to_char(d, 'YYYY_MM_DD'), d::timestamptz, (d + 1)::timestamptz); END LOOP; END $$;"
                + "INSERT INTO events (created_at, kind) SELECT g, 'click' FROM generate_series((current_date - " + fromDaysAgo + ")::timestamptz,"
                + " least(now(), (current_date + " + -toDaysAgo + ")::timestamptz - interval '1 second'), interval '2 hours') g;"
                + (withDefault ? "CREATE TABLE events_default PARTITION OF events DEFAULT;" : "")
                + "CREATE TABLE before_run AS SELECT * FROM events");
    }

    private RunnerHarness.Outcome run(String task) {
        return PartitionRuns.succeeded(db, dir, target, "events-partitions", task);
    }

    private List<String> partitionsEndingBefore(String moment) throws Exception {
        return db.column("SELECT k.relname FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid CROSS JOIN LATERAL regexp_match("
                + "pg_get_expr(k.relpartbound, k.oid), 'TO [(]''(.+)''[)]') m WHERE i.inhparent = 'events'::regclass AND m[1]::timestamptz <= "
                + moment);
    }

    /** Rows of before_run newer than now() - 30 days that events lost: none may be, whenever this is asked. */
    private List<String> recentRowsLost() throws Exception {
        return db.column("SELECT id FROM before_run b WHERE created_at >= now() - interval '30 days'"
                + " AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = b.id AND e.created_at = b.created_at)");
    }

    @Test
    void partitionsEntirelyOlderThanTheCutoffAreDroppedAndNoNewerRowGoes() throws Exception {
        events(40, -1, false);
        String beforeRun = db.column("SELECT now()::text").get(0);

        JsonNode stats = run("{\"partitions\":{\"table\":\"events\",\"interval\":\"1d\",\"premake\":3,\"olderThan\":\"30d\"}}")
                .result().path("stats");

        assertThat(stats.path("dropped").asLong()).as("days 40 to 31 ago (31 too when midnight passed since the table was made)")
                .isBetween(10L, 11L);
        assertThat(stats.path("created").asLong()).isEqualTo(3);
        assertThat(stats.path("ahead").asLong()).isEqualTo(3);
        assertThat(partitionsEndingBefore("'" + beforeRun + "'::timestamptz - interval '30 days'")).isEmpty();
        assertThat(recentRowsLost()).isEmpty();
        assertThat(db.column("SELECT count(*) FROM pg_class WHERE relname LIKE 'events_p%' AND relkind = 'r' AND NOT relispartition"))
                .as("dropped, not left behind as tables").containsExactly("0");
        assertThat(db.column("SELECT count(*) FROM events WHERE created_at < now() - interval '31 days'")).containsExactly("0");
    }

    @Test
    void withDetachOldPartitionsAreKeptAsTablesWithTheirRows() throws Exception {
        events(35, -1, false);
        long oldRows = Long.parseLong(db.column("SELECT count(*) FROM events WHERE created_at < current_date - 31").get(0));

        JsonNode stats = run("{\"partitions\":{\"table\":\"events\",\"interval\":\"1d\",\"premake\":3,\"olderThan\":\"30d\",\"detach\":true}}")
                .result().path("stats");

        long detached = stats.path("detached").asLong();
        assertThat(detached).isBetween(5L, 6L);
        assertThat(stats.path("dropped").asLong()).isZero();
        List<String> kept = db.column("SELECT relname FROM pg_class WHERE relname LIKE 'events_p%' AND relkind = 'r' AND NOT relispartition");
        assertThat(kept).hasSize((int) detached);
        assertThat(Long.parseLong(db.column("SELECT sum((xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM ' || quote_ident(relname),"
                + " false, true, '')))[1]::text::bigint) FROM pg_class WHERE relname LIKE 'events_p%' AND relkind = 'r' AND NOT relispartition").get(0)))
                .isGreaterThanOrEqualTo(oldRows);
        assertThat(recentRowsLost()).isEmpty();
        assertThat(run("{\"partitions\":{\"table\":\"events\",\"interval\":\"1d\",\"premake\":3,\"olderThan\":\"30d\",\"detach\":true}}")
                .result().path("stats").path("detached").asLong()).as("a second run").isZero();
    }

    @Test
    void afterAnOutageTheRunCoversNowAndAheadAndMakesNothingAlreadyExpired() throws Exception {
        events(120, 90, false);

        RunnerHarness.Outcome out = run("{\"partitions\":{\"table\":\"events\",\"interval\":\"1d\",\"premake\":7,\"olderThan\":\"30d\"}}");

        assertThat(out.result().path("stats").path("created").asLong()).isEqualTo(8);
        assertThat(out.result().path("stats").path("dropped").asLong()).isEqualTo(30);
        PartitionBounds.covering(db, "events", "timestamptz", "UTC", 8);
        assertThat(partitionsEndingBefore("now() - interval '30 days'")).as("already expired").isEmpty();
        db.execute("INSERT INTO events (created_at, kind) VALUES (now(), 'today'), (now() + interval '6 days', 'next week')");
    }

    @Test
    void aDetachThatWasInterruptedIsFinishedAndTheOldPartitionDropped() throws Exception {
        events(35, -1, false);
        String victim = db.column("SELECT 'events_p' || to_char(current_date - 35, 'YYYY_MM_DD')").get(0);
        try (Connection reader = db.connect(); Connection detacher = db.connect(); Statement read = reader.createStatement()) {
            reader.setAutoCommit(false);
            read.executeQuery("SELECT count(*) FROM events").close();
            CompletableFuture<Void> detach = CompletableFuture.runAsync(() -> {
                try (Statement st = detacher.createStatement()) {
                    st.execute("ALTER TABLE events DETACH PARTITION " + victim + " CONCURRENTLY");
                } catch (Exception expected) {
                    // cancelled below, as a deadline or a lost pod would stop it
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> db.column("SELECT inhdetachpending FROM pg_inherits WHERE inhrelid = '"
                    + victim + "'::regclass").equals(List.of("t")));
            db.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'ALTER TABLE events DETACH%' AND pid <> pg_backend_pid()");
            detach.join();
            reader.rollback();
        }

        RunnerHarness.Outcome out = run("{\"partitions\":{\"table\":\"events\",\"interval\":\"1d\",\"premake\":3,\"olderThan\":\"30d\"}}");

        assertThat(out.log()).contains("finished the detach of public." + victim);
        assertThat(db.column("SELECT count(*) FROM pg_class WHERE relname = '" + victim + "'")).containsExactly("0");
        assertThat(db.column("SELECT count(*) FROM pg_inherits WHERE inhdetachpending")).containsExactly("0");
        assertThat(recentRowsLost()).isEmpty();
    }
}
