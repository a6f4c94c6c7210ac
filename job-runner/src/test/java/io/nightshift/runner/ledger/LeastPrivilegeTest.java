package io.nightshift.runner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The runner as an application role that owns nothing: DML grants on a ledger its owner created with
 * examples/runner/ledger.sql, and SELECT/DELETE on the table it maintains. It creates nothing, and a
 * missing privilege is a configuration error that names it.
 */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class LeastPrivilegeTest {

    @Parameter
    ConnectionTarget target;

    static final Path LEDGER_SQL = Path.of("../examples/runner/ledger.sql");
    private static final String RETENTION = "{\"retention\":{\"table\":\"public.app_logs\",\"timestampColumn\":\"created_at\",\"olderThan\":\"2d\"}}";

    @TempDir
    Path dir;

    TestDatabase db;
    String role;

    @BeforeEach
    void ownerCreatesTheLedgerAndGrants() throws Exception {
        db = TestDatabase.create();
        role = "app_" + db.database();
        // What PostgreSQL 15 and later do by default (14 let every role create in public): the role may create nothing.
        db.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
                + "CREATE ROLE " + role + " LOGIN NOSUPERUSER PASSWORD 'app-pw';"
                + "CREATE TABLE app_logs (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL);"
                + "INSERT INTO app_logs (created_at) SELECT now() - g * interval '1 hour' FROM generate_series(1, 96) g;"
                + "CREATE TABLE counters (n int); INSERT INTO counters VALUES (1), (2);"
                + "GRANT SELECT, DELETE ON app_logs TO " + role + "; GRANT SELECT, UPDATE ON counters TO " + role);
        db.execute(Files.readString(LEDGER_SQL).replace("nightshift_runner", role));
    }

    private RunnerHarness.Outcome runAsRole(String job, String task, String... args) {
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env(job, task);
        env.put("NIGHTSHIFT_DATABASE_URL", runner.uri(role, "app-pw"));
        env.put("NIGHTSHIFT_NAMESPACE", "team-a");
        return runner.run(env, args);
    }

    private List<String> ddlFootprint() throws Exception {
        return db.column("SELECT 'index ' || indexname FROM pg_indexes WHERE tablename = 'job_executions' UNION ALL "
                + "SELECT 'column ' || column_name FROM information_schema.columns WHERE table_name = 'job_executions' "
                + "UNION ALL SELECT 'schema ' || nspname FROM pg_namespace ORDER BY 1");
    }

    @Test
    void retentionAndSqlRunWithDmlGrantsOnlyAndCreateNothing() throws Exception {
        List<String> before = ddlFootprint();

        RunnerHarness.Outcome retention = runAsRole("log-cleanup", RETENTION);
        RunnerHarness.Outcome sql = runAsRole("reset-counters", "{\"sql\":{\"statement\":\"UPDATE counters SET n = 0\"}}");
        RunnerHarness.Outcome dry = runAsRole("log-cleanup", RETENTION, "--dry-run");

        assertThat(retention.exitCode()).as(retention.log()).isZero();
        assertThat(sql.exitCode()).as(sql.log()).isZero();
        assertThat(dry.exitCode()).as(dry.log()).isZero();
        assertThat(dry.log()).contains("run ledger public.job_executions: its shape and this role's privileges on it are fine");
        assertThat(db.column("SELECT count(*) FROM app_logs")).containsExactly("47");
        assertThat(db.column("SELECT job_name || ' ' || status || ' ' || namespace FROM job_executions ORDER BY id"))
                .containsExactly("log-cleanup success team-a", "reset-counters success team-a");
        assertThat(ddlFootprint()).isEqualTo(before);
    }

    @Test
    void aKeepTheRoleCannotHonourIsExit2NamingItAndTheTeamsLedgerKeepsEverythingByDefault() throws Exception {
        db.execute("INSERT INTO job_executions (job_name, status, started_at, namespace) "
                + "SELECT 'log-cleanup', 'success', now() - interval '400 days', 'team-a' FROM generate_series(1, 5)");

        RunnerHarness.Outcome byDefault = runAsRole("log-cleanup", RETENTION);
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env("log-cleanup", RETENTION);
        env.put("NIGHTSHIFT_DATABASE_URL", runner.uri(role, "app-pw"));
        env.put("NIGHTSHIFT_NAMESPACE", "team-a");
        env.put("NIGHTSHIFT_LEDGER_KEEP", "90d");
        RunnerHarness.Outcome keep = runner.run(env);

        assertThat(byDefault.exitCode()).as(byDefault.log()).isZero();
        assertThat(byDefault.result().path("stats").has("ledgerPruned")).isFalse();
        assertThat(keep.exitCode()).isEqualTo(2);
        assertThat(keep.result().path("error").asText()).isEqualTo("NIGHTSHIFT_LEDGER_KEEP: cannot prune the run ledger to 90d: role \""
                + role + "\" lacks DELETE on table public.job_executions (grant it, or keep forever)");
        assertThat(db.column("SELECT count(*) FROM job_executions WHERE started_at < now() - interval '1 year'")).containsExactly("5");
    }

    @Test
    void aMissingInsertGrantOnTheLedgerIsExit2NamingThePrivilegeAlsoInADryRun() throws Exception {
        db.execute("REVOKE INSERT ON job_executions FROM " + role);

        RunnerHarness.Outcome run = runAsRole("log-cleanup", RETENTION);
        RunnerHarness.Outcome dry = runAsRole("log-cleanup", RETENTION, "--dry-run");

        for (RunnerHarness.Outcome out : List.of(run, dry)) {
            assertThat(out.exitCode()).isEqualTo(2);
            assertThat(out.result().path("error").asText())
                    .contains("role \"" + role + "\" cannot write the run ledger public.job_executions")
                    .contains("lacks INSERT on table public.job_executions");
        }
        assertThat(db.column("SELECT count(*) FROM app_logs")).as("nothing was deleted").containsExactly("96");
        assertThat(db.column("SELECT count(*) FROM job_executions")).containsExactly("0");
    }

    @Test
    void aMissingSequenceGrantOrColumnGrantIsNamedToo() throws Exception {
        db.execute("REVOKE USAGE ON SEQUENCE job_executions_id_seq FROM " + role + ";"
                + "REVOKE UPDATE ON job_executions FROM " + role + "; GRANT UPDATE (status, stats) ON job_executions TO " + role);

        RunnerHarness.Outcome out = runAsRole("log-cleanup", RETENTION);

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText())
                .contains("UPDATE on column(s) completed_at, duration_ms, error_message of public.job_executions")
                .contains("USAGE on sequence public.job_executions_id_seq");
    }

    @Test
    void aLedgerThatDoesNotExistIsNotCreatedWithoutTheRightToAndNoSchemaIsEverCreated() throws Exception {
        db.execute("DROP TABLE job_executions");

        RunnerHarness.Outcome missing = runAsRole("log-cleanup", RETENTION);

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.result().path("error").asText()).contains("does not exist").contains("lacks CREATE on schema \"public\"");

        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env("typo", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        env.put("NIGHTSHIFT_LEDGER_TABLE", "Public.job_executions");
        RunnerHarness.Outcome typo = runner.run(env);

        assertThat(typo.exitCode()).as("even for the owner").isEqualTo(2);
        assertThat(typo.result().path("error").asText()).contains("schema \"Public\"").contains("does not exist")
                .contains("never creates a schema");
        assertThat(db.column("SELECT count(*) FROM pg_namespace WHERE nspname = 'Public'")).containsExactly("0");
    }

    @Test
    void anExistingLedgerWithoutIndexesIsUsedAsItIsEvenByItsOwner() throws Exception {
        db.execute("DROP INDEX idx_job_executions_status, idx_job_executions_started_at");
        List<String> before = ddlFootprint();

        RunnerHarness runner = new RunnerHarness(db, dir, target);
        RunnerHarness.Outcome out = runner.run(runner.env("owner-run", "{\"sql\":{\"statement\":\"SELECT 1\"}}"));

        assertThat(out.exitCode()).isZero();
        assertThat(ddlFootprint()).isEqualTo(before);
    }

    @Test
    void aLedgerOfTheWrongShapeIsExit2SayingWhatIsWrong() throws Exception {
        db.execute("CREATE TABLE odd_ledger (id serial PRIMARY KEY, job_name text NOT NULL, status text NOT NULL, "
                + "started_at timestamptz NOT NULL DEFAULT now(), duration_ms int, stats text, error_message text, owner_team text NOT NULL)");
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> env = runner.env("odd", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        env.put("NIGHTSHIFT_LEDGER_TABLE", "odd_ledger");

        RunnerHarness.Outcome out = runner.run(env);

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText())
                .contains("table public.odd_ledger is not a run ledger of the expected shape")
                .contains("no column completed_at")
                .contains("column stats is text, expected jsonb")
                .contains("column owner_team is NOT NULL without a default");
        assertThat(db.column("SELECT count(*) FROM odd_ledger")).containsExactly("0");
    }
}
