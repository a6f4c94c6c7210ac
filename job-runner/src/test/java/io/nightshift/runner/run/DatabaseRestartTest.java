package io.nightshift.runner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.RestartableServer;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database restarts under a running run ({@code pg_ctl stop -m fast}, back a few seconds later): the
 * run fails saying the server went away, and keeps trying to record its end until the server is back, so
 * that its row does not stay {@code running} until the job's next run.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class DatabaseRestartTest {

    static RestartableServer server;

    @Parameter
    ConnectionTarget target;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = RestartableServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRunWhoseDatabaseRestartsRecordsItsEndOnceTheServerIsBack() throws Exception {
        TestDatabase db = server.createDatabase();
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        AtomicReference<RunnerHarness.Outcome> outcome = new AtomicReference<>();
        Thread run = new Thread(() -> outcome.set(runner.run(runner.env("through-restart", "{\"sql\":{\"statement\":\"SELECT pg_sleep(30)\"}}"))));
        run.start();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> db.column("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(30)%'").equals(List.of("1")));

        server.stop();
        Thread.sleep(3000);
        server.startAgain();
        run.join(Duration.ofSeconds(90).toMillis());

        assertThat(run.isAlive()).as("the run ended").isFalse();
        RunnerHarness.Outcome out = outcome.get();
        assertThat(out.exitCode()).as(out.log()).isEqualTo(1);
        JsonNode result = out.result();
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("error").asText()).contains("the database server");
        assertThat(db.column("SELECT status || ' ' || (completed_at IS NOT NULL) || ': ' || error_message FROM job_executions"))
                .as("not left running").containsExactly("failed true: " + result.path("error").asText());
        List<String> lines = out.log().lines().toList();
        if (target == ConnectionTarget.DIRECT) {
            // Through PgBouncer the ledger's connection to the pooler survives, and its update waits there for the server.
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("the database cannot record the run's end yet"));
        }
        assertThat(lines.get(lines.size() - 1)).startsWith("failed in ").doesNotContain("could not record");
    }
}
