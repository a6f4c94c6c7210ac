package io.nightshift.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Job names are counted as PostgreSQL counts them, and are one line: they cannot split the log. */
@DatabaseFacing
class JobNamesTest {

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
    }

    private RunnerHarness.Outcome run(String jobName) {
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("name", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        env.put("NIGHTSHIFT_JOB_NAME", jobName);
        return runner.run(env);
    }

    @Test
    void aHundredEmojiAreAHundredCharactersAsInTheLedgersVarchar100() throws Exception {
        String name = "🧹".repeat(100);
        assertThat(name.length()).as("UTF-16 units").isEqualTo(200);

        assertThat(run(name).exitCode()).isZero();
        assertThat(db.column("SELECT length(job_name) FROM job_executions WHERE job_name = '" + name + "'")).containsExactly("100");

        RunnerHarness.Outcome tooLong = run("🧹".repeat(101));
        assertThat(tooLong.exitCode()).isEqualTo(2);
        assertThat(tooLong.result().path("error").asText()).isEqualTo("job name: at most 100 characters (the ledger's job_name), got 101");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nightly\nsucceeded in 1 ms", "tab\there", "cr\rhere", "line\u2028separator", "nul\u0000"})
    void aControlCharacterOrLineBreakIsRefusedAndTheLogStaysOneLinePerPhase(String name) {
        RunnerHarness.Outcome out = run(name);

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).startsWith("job name: character ").contains("control character or line break");
        assertThat(out.log().lines()).hasSize(1).allSatisfy(line -> assertThat(line).startsWith("configuration error: job name:"));
    }

    @Test
    void aNamespaceThatIsNotAKubernetesNameIsRefused() {
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("name", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        env.put("NIGHTSHIFT_NAMESPACE", "Team A\nsucceeded");

        RunnerHarness.Outcome out = runner.run(env);

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).startsWith("NIGHTSHIFT_NAMESPACE: not a Kubernetes namespace name");
    }

    @Test
    void aLedgerWithAShorterJobNameColumnLimitsNamesToIt() {
        db.execute("CREATE SCHEMA short; CREATE TABLE short.runs (id serial PRIMARY KEY, job_name varchar(10) NOT NULL, "
                + "status varchar(20) NOT NULL, started_at timestamptz NOT NULL DEFAULT now(), completed_at timestamptz, "
                + "duration_ms int, stats jsonb, error_message text)");
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("eleven-char", "{\"sql\":{\"statement\":\"SELECT 1\"}}");
        env.put("NIGHTSHIFT_LEDGER_TABLE", "short.runs");

        RunnerHarness.Outcome out = runner.run(env);

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.result().path("error").asText()).contains("at most 10 characters (the ledger short.runs's job_name)");
    }
}
