package io.nightshift.runner.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.PostgresBinaries;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real PostgreSQL 13: the run is refused in one line, as a configuration error, and nothing is written to the server. */
class OlderServerTest {

    static EmbeddedPostgres server;
    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresBinaries.start(13);
        db = new TestDatabase("127.0.0.1", server.getPort(), "postgres", "postgres", "postgres");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aRunOnPostgres13IsRefusedInOneLineBeforeTouchingTheDatabase() throws Exception {
        assertThat(db.column("SHOW server_version_num").get(0)).startsWith("13");
        RunnerHarness runner = new RunnerHarness(db, dir);
        RunnerHarness.Outcome out = runner.run(runner.env("log-cleanup", "{\"sql\":{\"statement\":\"SELECT 1\"}}"));

        assertThat(out.exitCode()).as(out.log()).isEqualTo(2);
        String expected = "PostgreSQL 13." + db.column("SHOW server_version_num").get(0).substring(4).replaceFirst("^0", "")
                + " at postgres@127.0.0.1:" + server.getPort() + "/postgres is not supported: the runner needs PostgreSQL 14 or later"
                + " (it is tested on 14 to 18)";
        assertThat(out.log().lines().filter(l -> !l.startsWith("nightshift-job-runner:")).toList()).containsExactly("configuration error: " + expected);
        assertThat(out.result().path("status").asText()).isEqualTo("failed");
        assertThat(out.result().path("error").asText()).isEqualTo(expected);
        assertThat(db.column("SELECT count(*) FROM pg_class WHERE relname = 'job_executions'")).containsExactly("0");
    }
}
