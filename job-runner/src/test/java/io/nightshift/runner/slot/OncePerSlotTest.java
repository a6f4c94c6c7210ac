package io.nightshift.runner.slot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.runner.testing.ConnectionTarget;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each scheduled slot runs once: a second run of the same job for a slot that succeeded does nothing and
 * reports {@code skipped} ("slot already done"); a retry of a failed slot and a run without a slot still
 * run. With the team's seed-shaped ledger (the slot lives in {@code stats}) and nightshift's own (its
 * {@code slot} column).
 */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class OncePerSlotTest {

    @Parameter
    ConnectionTarget target;

    static final String SEED = "seed";
    static final String OWN = "nightshift";
    /** A Job the CronJob controller made for the slot 2026-12-02T06:44:00Z: its name counts minutes since the epoch. */
    static final String SCHEDULED_JOB = "log-cleanup-29936564";
    static final String SLOT = "2026-12-02T06:44:00Z";
    static final String TASK = "{\"sql\":{\"statement\":\"SELECT do_work()\"}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestDatabase database(String ledger) {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE work (n int); CREATE TABLE fail_next (yes boolean);"
                + "CREATE FUNCTION do_work() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
                + "IF EXISTS (SELECT 1 FROM fail_next) THEN RAISE EXCEPTION 'told to fail'; END IF; "
                + "PERFORM pg_sleep(0.5); INSERT INTO work VALUES (1); END $$");
        if (ledger.equals(SEED)) {
            db.execute(seedLedger());
        }
        return db;
    }

    /** The team's own job_executions, as their seed creates it: no namespace, no slot column. */
    static String seedLedger() {
        return "CREATE TABLE job_executions (id SERIAL PRIMARY KEY, job_name VARCHAR(100) NOT NULL, "
                + "status VARCHAR(20) NOT NULL CHECK (status IN ('running', 'success', 'failed')), "
                + "started_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP, completed_at TIMESTAMPTZ, duration_ms INTEGER, "
                + "stats JSONB DEFAULT '{}', error_message TEXT, created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP)";
    }

    /** The environment the operator renders for a pod of {@code kubernetesJob}. */
    private static Map<String, String> pod(RunnerHarness runner, String kubernetesJob) {
        Map<String, String> env = runner.env("log-cleanup", TASK);
        env.put("NIGHTSHIFT_NAMESPACE", "app");
        env.put("NIGHTSHIFT_CRONJOB", "log-cleanup");
        env.put("NIGHTSHIFT_KUBERNETES_JOB", kubernetesJob);
        return env;
    }

    private static long count(TestDatabase db, String sql) throws Exception {
        return Long.parseLong(db.column(sql).get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {SEED, OWN})
    void aSecondRunOfTheSameSlotIsSkippedAndDoesNoWork(String ledger) throws Exception {
        TestDatabase db = database(ledger);
        RunnerHarness runner = new RunnerHarness(db, dir, target);

        RunnerHarness.Outcome first = runner.run(pod(runner, SCHEDULED_JOB));
        RunnerHarness.Outcome second = runner.run(pod(runner, SCHEDULED_JOB));

        assertThat(first.exitCode()).isZero();
        assertThat(first.result().path("status").asText()).isEqualTo("success");
        assertThat(first.result().path("slot").asText()).isEqualTo(SLOT);
        assertThat(second.exitCode()).isZero();
        assertThat(second.result().path("status").asText()).isEqualTo("skipped");
        assertThat(second.result().path("reason").asText()).isEqualTo("slot already done");
        assertThat(second.result().path("slot").asText()).isEqualTo(SLOT);
        assertThat(second.log()).contains("skipped: slot " + SLOT + " of log-cleanup already done by run "
                + first.result().path("executionId").asLong());
        assertThat(count(db, "SELECT count(*) FROM work")).isEqualTo(1);
        assertThat(db.column("SELECT status || ' ' || (stats->>'slot') FROM job_executions")).containsExactly("success " + SLOT);
        if (ledger.equals(OWN)) {
            assertThat(db.column("SELECT slot AT TIME ZONE 'UTC' FROM job_executions")).containsExactly("2026-12-02 06:44:00");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SEED, OWN})
    void twoRunnersStartedForTheSameSlotAtOnceDoTheWorkOnce(String ledger) throws Exception {
        TestDatabase db = database(ledger);
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        List<Process> processes = new ArrayList<>();
        List<Path> results = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, String> env = pod(runner, SCHEDULED_JOB);
            Path result = dir.resolve("result-" + i + ".json");
            env.put("NIGHTSHIFT_TERMINATION_LOG", result.toString());
            results.add(result);
            processes.add(runner.start(env, dir.resolve("out-" + i + ".log")));
        }
        for (Process p : processes) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }

        List<String> statuses = new ArrayList<>();
        for (Path result : results) {
            JsonNode doc = JSON.readTree(Files.readString(result));
            statuses.add(doc.path("status").asText());
            assertThat(doc.path("slot").asText()).isEqualTo(SLOT);
        }
        assertThat(statuses).containsExactlyInAnyOrder("success", "skipped");
        assertThat(count(db, "SELECT count(*) FROM work")).isEqualTo(1);
        assertThat(db.column("SELECT status FROM job_executions")).containsExactly("success");
    }

    @ParameterizedTest
    @ValueSource(strings = {SEED, OWN})
    void aRetryAfterAFailedRunOfTheSlotRunsAndARunNowAlwaysRuns(String ledger) throws Exception {
        TestDatabase db = database(ledger);
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        db.execute("INSERT INTO fail_next VALUES (true)");

        RunnerHarness.Outcome failed = runner.run(pod(runner, SCHEDULED_JOB));
        db.execute("DELETE FROM fail_next");
        RunnerHarness.Outcome retry = runner.run(pod(runner, SCHEDULED_JOB));
        RunnerHarness.Outcome duplicate = runner.run(pod(runner, SCHEDULED_JOB));
        // run-now: the operator's Job is <cronjob>-m<hash>; kubectl create job --from=cronjob/... names it freely
        RunnerHarness.Outcome runNow = runner.run(pod(runner, "log-cleanup-m1a2b3c4d"));
        RunnerHarness.Outcome byHand = runner.run(pod(runner, "log-cleanup-manual-29936564"));

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(retry.result().path("status").asText()).isEqualTo("success");
        assertThat(duplicate.result().path("status").asText()).isEqualTo("skipped");
        assertThat(runNow.result().path("status").asText()).isEqualTo("success");
        assertThat(runNow.result().has("slot")).isFalse();
        assertThat(byHand.result().path("status").asText()).isEqualTo("success");
        assertThat(count(db, "SELECT count(*) FROM work")).isEqualTo(3);
        assertThat(db.column("SELECT status || ' ' || coalesce(stats->>'slot', '-') FROM job_executions ORDER BY id"))
                .containsExactly("failed " + SLOT, "success " + SLOT, "success -", "success -");
    }

    @Test
    void theSameSlotInAnotherNamespaceIsAnotherJob() throws Exception {
        TestDatabase db = database(OWN);
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> other = pod(runner, SCHEDULED_JOB);
        other.put("NIGHTSHIFT_NAMESPACE", "team-b");

        assertThat(runner.run(pod(runner, SCHEDULED_JOB)).result().path("status").asText()).isEqualTo("success");
        assertThat(runner.run(other).result().path("status").asText()).isEqualTo("success");
        assertThat(count(db, "SELECT count(*) FROM work")).isEqualTo(2);
    }

    @Test
    void aTeamsColumnNamedSlotOfAnotherTypeIsLeftAloneAndTheSlotLivesInStats() throws Exception {
        TestDatabase db = database(SEED);
        db.execute("ALTER TABLE job_executions ADD COLUMN slot integer");
        RunnerHarness runner = new RunnerHarness(db, dir, target);

        assertThat(runner.run(pod(runner, SCHEDULED_JOB)).result().path("status").asText()).isEqualTo("success");
        assertThat(runner.run(pod(runner, SCHEDULED_JOB)).result().path("status").asText()).isEqualTo("skipped");
        assertThat(db.column("SELECT coalesce(slot::text, '-') || ' ' || (stats->>'slot') FROM job_executions")).containsExactly("- " + SLOT);
    }

    @Test
    void anExplicitSlotIsUsedAndABadOneIsAConfigurationError() throws Exception {
        TestDatabase db = database(OWN);
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        Map<String, String> byHand = runner.env("log-cleanup", TASK);
        byHand.put("NIGHTSHIFT_SLOT", "2026-12-02T07:44:00+01:00");

        assertThat(runner.run(byHand).result().path("slot").asText()).isEqualTo(SLOT);
        assertThat(runner.run(byHand).result().path("status").asText()).isEqualTo("skipped");

        byHand.put("NIGHTSHIFT_SLOT", "yesterday");
        RunnerHarness.Outcome bad = runner.run(byHand);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.result().path("error").asText()).contains("NIGHTSHIFT_SLOT").contains("'yesterday'");
    }
}
