package io.nightshift.runner.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/schema.sql loads (twice) into an empty database, and the examples' sql and retention tasks,
 * read from their YAML, do on it what their comments promise when the runner runs them.
 */
@DatabaseFacing
class ExampleSchemaTest {

    @TempDir
    Path dir;

    private TestDatabase db;

    @BeforeEach
    void emptyDatabaseWithTheSchemaLoadedTwice() {
        db = TestDatabase.create();
        db.execute(ExampleFiles.schemaSql());
        db.execute(ExampleFiles.schemaSql());
    }

    private RunnerHarness.Outcome run(String job) {
        RunnerHarness runner = new RunnerHarness(db, dir);
        RunnerHarness.Outcome out = runner.run(runner.env(job, ExampleFiles.taskJson(job)));
        assertThat(out.exitCode()).as("exit code of %s; its log:%n%s", job, out.log()).isZero();
        assertThat(out.result().path("status").asText()).isEqualTo("success");
        return out;
    }

    private static long stat(RunnerHarness.Outcome out, String name) {
        return out.result().path("stats").path(name).asLong(-1);
    }

    private long count(String sql) throws Exception {
        return Long.parseLong(text(sql));
    }

    private String text(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void loadingTheSchemaAgainKeepsTheData() throws Exception {
        db.execute("INSERT INTO users (email, daily_request_count) VALUES ('ada@example.com', 3);"
                + "INSERT INTO system_logs (message) VALUES ('started')");

        db.execute(ExampleFiles.schemaSql());

        assertThat(count("SELECT count(*) FROM users WHERE daily_request_count = 3")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM system_logs")).isEqualTo(1);
        assertThat(db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"))
                .containsExactly("events", "instagram_creator_stats", "instagram_creators", "instagram_posts", "proxies",
                        "proxy_request_logs", "rate_limits", "system_logs", "transcriptions", "users");
    }

    @Test
    void logCleanupDeletesLogsOlderThanTwoDaysAndKeepsTheRest() throws Exception {
        db.execute("INSERT INTO system_logs (\"timestamp\", level, message)"
                + " SELECT now() - interval '3 days' - g * interval '1 second', 'info', 'old' FROM generate_series(1, 12000) g;"
                + "INSERT INTO system_logs (\"timestamp\", level, message) VALUES"
                + " (now() - interval '49 hours', 'error', 'just too old'),"
                + " (now() - interval '47 hours', 'info', 'kept: under two days'),"
                + " (now() - interval '1 minute', 'warn', 'kept: new');"
                + "ANALYZE system_logs");

        RunnerHarness.Outcome out = run("log-cleanup");

        assertThat(stat(out, "deleted")).isEqualTo(12_001);
        assertThat(db.column("SELECT message FROM system_logs ORDER BY \"timestamp\""))
                .containsExactly("kept: under two days", "kept: new");
    }

    @Test
    void eventsPartitionsMakesAWeekOfDaysAheadThatTakeTheAppsInsertsAndDropsDaysOlderThan30() throws Exception {
        db.execute("SET TimeZone = 'UTC';"
                + "CREATE TABLE events_p2000 PARTITION OF events FOR VALUES FROM ('2000-01-01') TO ('2000-01-02');"
                + "INSERT INTO events (kind, created_at) VALUES ('signup', '2000-01-01 12:00+00')");

        RunnerHarness.Outcome out = run("events-partitions");

        assertThat(stat(out, "created")).isEqualTo(8);
        assertThat(stat(out, "dropped")).isEqualTo(1);
        assertThat(stat(out, "ahead")).isEqualTo(7);
        db.execute("INSERT INTO events (user_id, kind, payload) VALUES (1, 'page_view', '{\"path\": \"/\"}');"
                + "INSERT INTO events (user_id, kind, created_at) VALUES (1, 'click', now() + interval '6 days')");
        assertThat(db.column("SELECT tableoid::regclass FROM events ORDER BY created_at"))
                .containsExactly("events_p" + text("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD')"),
                        "events_p" + text("SELECT to_char((now() + interval '6 days') AT TIME ZONE 'UTC', 'YYYYMMDD')"));
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'events_p%' AND indexdef LIKE '%(user_id, created_at)'"))
                .as("the app's index on every partition").isEqualTo(8);
        assertThat(stat(run("events-partitions"), "created")).as("a second run").isZero();
    }

    @Test
    void rateLimitCleanupDeletesWindowsThatStartedMoreThanADayAgo() throws Exception {
        db.execute("INSERT INTO rate_limits (identifier, endpoint, window_start, request_count) VALUES"
                + " ('user:1', '/api/search', now() - interval '3 days', 40),"
                + " ('user:1', '/api/search', now() - interval '25 hours', 10),"
                + " ('user:1', '/api/search', now() - interval '23 hours', 7),"
                + " ('10.0.0.7', '/api/login', date_trunc('minute', now()), 2)");

        RunnerHarness.Outcome out = run("rate-limit-cleanup");

        assertThat(stat(out, "deleted")).isEqualTo(2);
        assertThat(db.column("SELECT request_count FROM rate_limits ORDER BY window_start")).containsExactly("7", "2");
    }

    @Test
    void requestCountResetSetsEveryDailyCountBackToZero() throws Exception {
        db.execute("INSERT INTO users (email, daily_request_count) SELECT 'user' || g || '@example.com', g % 7 FROM generate_series(1, 100) g");
        long counting = count("SELECT count(*) FROM users WHERE daily_request_count > 0");

        RunnerHarness.Outcome out = run("request-count-reset");

        assertThat(stat(out, "result")).as("the function's result: users reset").isEqualTo(counting).isEqualTo(86);
        assertThat(count("SELECT count(*) FROM users WHERE daily_request_count <> 0")).isZero();
        assertThat(count("SELECT count(*) FROM users")).isEqualTo(100);
    }

    @Test
    void userScoreRecalculationScoresEveryUserInBatchesOf10000() throws Exception {
        db.execute("INSERT INTO users (email, last_request_at, score, score_updated_at)"
                + " SELECT 'user' || g || '@example.com', CASE WHEN g % 2 = 0 THEN now() - interval '1 day' END, 99,"
                + " CASE WHEN g % 3 = 0 THEN now() - interval '2 days' END FROM generate_series(1, 25000) g;"
                + "INSERT INTO transcriptions (user_id, created_at) SELECT u.id, now() - d * interval '1 day'"
                + " FROM users u, unnest(ARRAY[1, 29, 40]) d WHERE u.email = 'user1@example.com';"
                + "INSERT INTO transcriptions (user_id, created_at) SELECT id, now() - interval '2 hours' FROM users WHERE email = 'user2@example.com'");

        RunnerHarness.Outcome out = run("user-score-recalculation");

        assertThat(stat(out, "rows")).isEqualTo(25_000);
        assertThat(stat(out, "batches")).as("10,000 users per transaction").isEqualTo(3);
        assertThat(count("SELECT count(*) FROM users WHERE score_updated_at IS NULL OR score_updated_at < current_date")).isZero();
        assertThat(text("SELECT score FROM users WHERE email = 'user1@example.com'")).as("two transcriptions in 30 days").isEqualTo("20");
        assertThat(text("SELECT score FROM users WHERE email = 'user2@example.com'")).as("one transcription, active this week").isEqualTo("15");
        assertThat(text("SELECT score FROM users WHERE email = 'user3@example.com'")).as("nothing recent").isEqualTo("0");
        assertThat(count("SELECT count(*) FROM users WHERE score = 99")).as("scores left over from before").isZero();

        RunnerHarness.Outcome again = run("user-score-recalculation");
        assertThat(stat(again, "rows")).as("a second run the same day finds every user done").isZero();
        assertThat(stat(again, "batches")).isZero();
    }

    @Test
    void instagramCreatorStatsRollsPostsUpPerCreatorAndSkipsUnchangedRows() throws Exception {
        db.execute("INSERT INTO instagram_creators (username, follower_count) VALUES ('alice', 1000), ('bob', 0), ('carol', 500);"
                + "INSERT INTO instagram_posts (creator_id, shortcode, posted_at, like_count, comment_count)"
                + " SELECT id, 'a1', now() - interval '2 days', 100, 10 FROM instagram_creators WHERE username = 'alice'"
                + " UNION ALL SELECT id, 'a2', now() - interval '1 day', 200, 30 FROM instagram_creators WHERE username = 'alice'"
                + " UNION ALL SELECT id, 'b1', now() - interval '3 hours', 5, 1 FROM instagram_creators WHERE username = 'bob';"
                + "INSERT INTO instagram_creator_stats (creator_id, post_count, total_likes, total_comments, avg_likes, avg_comments)"
                + " SELECT id, 3, 30, 3, 10, 1 FROM instagram_creators WHERE username = 'carol'");

        RunnerHarness.Outcome out = run("instagram-creator-stats");

        assertThat(stat(out, "rows")).as("alice and bob rolled up, carol's stale row (no posts left) removed").isEqualTo(3);
        String alice = "FROM instagram_creator_stats s JOIN instagram_creators c ON c.id = s.creator_id WHERE c.username = 'alice'";
        assertThat(text("SELECT concat_ws(' ', post_count, total_likes, total_comments, avg_likes, avg_comments, engagement_rate) " + alice))
                .isEqualTo("2 300 40 150.00 20.00 0.1700");
        assertThat(count("SELECT count(*) " + alice + " AND s.last_post_at = (SELECT max(posted_at) FROM instagram_posts WHERE creator_id = c.id)"))
                .isEqualTo(1);
        assertThat(db.column("SELECT c.username || ':' || coalesce(s.engagement_rate::text, 'none') FROM instagram_creator_stats s"
                + " JOIN instagram_creators c ON c.id = s.creator_id ORDER BY 1"))
                .as("bob has no followers: no engagement rate").containsExactly("alice:0.1700", "bob:none");

        RunnerHarness.Outcome unchanged = run("instagram-creator-stats");
        assertThat(stat(unchanged, "rows")).as("nothing changed, nothing rewritten").isZero();

        db.execute("INSERT INTO instagram_posts (creator_id, shortcode, like_count, comment_count)"
                + " SELECT id, 'b2', 15, 3 FROM instagram_creators WHERE username = 'bob'");
        RunnerHarness.Outcome newPost = run("instagram-creator-stats");
        assertThat(stat(newPost, "rows")).isEqualTo(1);
        assertThat(text("SELECT s.post_count || ' ' || s.total_likes FROM instagram_creator_stats s"
                + " JOIN instagram_creators c ON c.id = s.creator_id WHERE c.username = 'bob'")).isEqualTo("2 20");
    }

    @Test
    void proxySuccessRatesCountTheRequestsOfTheLast24Hours() throws Exception {
        db.execute("INSERT INTO proxies (host, port) VALUES ('10.0.0.1', 8080), ('10.0.0.2', 8080), ('10.0.0.3', 3128);"
                + "INSERT INTO proxy_request_logs (proxy_id, success, status_code, created_at)"
                + " SELECT p.id, r.success, CASE WHEN r.success THEN 200 ELSE 502 END, now() - r.age FROM proxies p JOIN (VALUES"
                + "   ('10.0.0.1', true, interval '1 hour'), ('10.0.0.1', true, interval '5 hours'), ('10.0.0.1', true, interval '23 hours'),"
                + "   ('10.0.0.1', false, interval '2 hours'), ('10.0.0.1', false, interval '25 hours'), ('10.0.0.1', false, interval '3 days'),"
                + "   ('10.0.0.2', false, interval '30 hours'),"
                + "   ('10.0.0.3', true, interval '10 minutes'), ('10.0.0.3', false, interval '20 minutes'), ('10.0.0.3', false, interval '30 minutes')"
                + " ) AS r(host, success, age) ON r.host = p.host");

        RunnerHarness.Outcome out = run("proxy-success-rates");

        assertThat(stat(out, "rows")).as("the proxies with requests in the last 24 hours").isEqualTo(2);
        assertThat(db.column("SELECT host || ' ' || coalesce(success_rate::text, 'unmeasured') FROM proxies ORDER BY host"))
                .containsExactly("10.0.0.1 75.00", "10.0.0.2 unmeasured", "10.0.0.3 33.33");
        assertThat(count("SELECT count(*) FROM proxies WHERE success_rate_updated_at > now() - interval '1 minute'")).isEqualTo(2);
    }
}
