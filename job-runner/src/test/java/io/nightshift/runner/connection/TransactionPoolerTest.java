package io.nightshift.runner.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.PgBouncer;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner through a real PgBouncer in transaction mode, where consecutive transactions of one client
 * reach different server connections: what broke there (named prepared statements, session state, a
 * session lock) and what it refuses with a clear line (statement mode, a URL asking for named statements).
 * The ledger, lock, slot and task tests run through it too (their classes run once per {@link ConnectionTarget}).
 */
class TransactionPoolerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void consecutiveTransactionsOfOneClientReachDifferentServerConnections() throws Exception {
        TestDatabase db = TestDatabase.create();
        ConnectionTarget.PGBOUNCER_TRANSACTION.assumeAvailable();
        Set<String> backends = new HashSet<>();
        Database pooled = new Database(ConnectionSettings.parseUrl(ConnectionTarget.PGBOUNCER_TRANSACTION.uri(db)));
        try (Connection c = pooled.open(); Statement st = c.createStatement()) {
            for (int i = 0; i < 6; i++) {
                try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    backends.add(rs.getString(1));
                }
            }
        }
        assertThat(backends).as("the test pooler hands out its server connections in turn").hasSizeGreaterThan(1);
    }

    @Test
    void anSqlTaskRunsAndIsRecordedThroughThePooler() throws Exception {
        TestDatabase db = TestDatabase.create();
        RunnerHarness runner = new RunnerHarness(db, dir, ConnectionTarget.PGBOUNCER_TRANSACTION);

        RunnerHarness.Outcome first = runner.run(runner.env("select-one", "{\"sql\":{\"statement\":\"SELECT 1\"}}"));
        RunnerHarness.Outcome second = runner.run(runner.env("select-one", "{\"sql\":{\"statement\":\"SELECT 1\"}}"));

        for (RunnerHarness.Outcome out : List.of(first, second)) {
            assertThat(out.exitCode()).as(out.log()).isZero();
            assertThat(out.result().path("status").asText()).isEqualTo("success");
        }
        assertThat(db.column("SELECT status FROM job_executions ORDER BY id")).containsExactly("success", "success");
    }

    @Test
    void threeRunsOfOneJobStartedTogetherDoTheWorkOnceAndNoneLosesItsLock() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE work (n int)");
        RunnerHarness runner = new RunnerHarness(db, dir, ConnectionTarget.PGBOUNCER_TRANSACTION);
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, String> env = runner.env("together", "{\"sql\":{\"statement\":\"INSERT INTO work SELECT 1 FROM pg_sleep(3)\"}}");
            env.put("NIGHTSHIFT_TERMINATION_LOG", dir.resolve("result-" + i + ".json").toString());
            processes.add(runner.start(env, dir.resolve("out-" + i + ".log")));
        }
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(dir.resolve("out-" + i + ".log"));
            assertThat(processes.get(i).exitValue()).as(log).isZero();
            assertThat(log).doesNotContain("lost its lock").doesNotContain("prepared statement");
            statuses.add(JSON.readTree(Files.readString(dir.resolve("result-" + i + ".json"))).path("status").asText());
        }
        assertThat(statuses).containsExactlyInAnyOrder("success", "skipped", "skipped");
        assertThat(db.column("SELECT count(*) FROM work")).containsExactly("1");
        assertThat(db.column("SELECT status FROM job_executions")).containsExactly("success");
    }

    @Test
    void aPoolerInStatementModeIsRefusedAtOnceAndTheRefusalIsRecorded() throws Exception {
        TestDatabase db = TestDatabase.create();
        ConnectionTarget.PGBOUNCER_TRANSACTION.assumeAvailable();
        db.execute("CREATE TABLE work (n int)");
        try (PgBouncer statementMode = PgBouncer.start(db, "statement")) {
            RunnerHarness runner = new RunnerHarness(db, dir);
            assertThat(runner.run(runner.env("ledger-maker", "{\"sql\":{\"statement\":\"SELECT 1\"}}")).exitCode()).isZero();
            Map<String, String> env = runner.env("stmt", "{\"sql\":{\"statement\":\"INSERT INTO work VALUES (1)\"}}");
            env.put("NIGHTSHIFT_DATABASE_URL", statementMode.uri(db));

            RunnerHarness.Outcome out = runner.run(env);

            assertThat(out.exitCode()).as(out.log()).isEqualTo(2);
            JsonNode result = out.result();
            assertThat(result.path("status").asText()).isEqualTo("failed");
            assertThat(result.path("error").asText()).contains("pooler in statement mode").contains("transaction-mode connection string")
                    .contains("port 6543");
            assertThat(out.log().lines().filter(l -> l.contains("statement mode")).count()).as(out.log()).isEqualTo(1);
        }
        assertThat(db.column("SELECT count(*) FROM work")).as("nothing was done").containsExactly("0");
        assertThat(db.column("SELECT status || ': ' || error_message FROM job_executions WHERE job_name = 'stmt'"))
                .singleElement().asString().startsWith("failed: the database ").contains("pooler in statement mode");
    }

    @Test
    void aUrlAskingForNamedPreparedStatementsIsAConfigurationErrorSayingWhy() {
        assertThatThrownBy(() -> ConnectionSettings.parseUrl("postgresql://app:pw@pooler:6543/app?prepareThreshold=5"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("prepareThreshold=5 is not supported").hasMessageContaining("transaction-mode poolers");
        assertThat(ConnectionSettings.parseUrl("postgresql://app:pw@pooler:6543/app?prepareThreshold=0").driverProperties())
                .containsEntry("prepareThreshold", "0");
        assertThat(ConnectionSettings.parseUrl("postgresql://app:pw@db:5432/app").driverProperties())
                .as("forced when the URL does not say").containsEntry("prepareThreshold", "0");
    }
}
