package io.nightshift.runner.slot;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kubernetes may start a Job's pod twice; the Job does its work successfully at most once, whatever made
 * it (run now and {@code kubectl create job --from} Jobs have no slot). A later pod of a Job that succeeded
 * does nothing and ends {@code skipped} ("job already succeeded"); a first pod that failed still gets its
 * retry. The Job is known by its uid where the pod was told it, else by its name.
 */
@DatabaseFacing
@ParameterizedClass(name = "{0}")
@EnumSource(ConnectionTarget.class)
class OncePerJobTest {

    /** A run-now Job as the operator names it: no slot. */
    static final String RUN_NOW_JOB = "log-cleanup-m1a2b3c4d";
    static final String UID = "636c09d1-b5e3-4b5f-95fb-e35587c2510a";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    ConnectionTarget target;

    @TempDir
    Path dir;

    private TestDatabase database() {
        TestDatabase db = TestDatabase.create();
        db.execute("CREATE TABLE work (n int); CREATE TABLE fail_next (yes boolean);"
                + "CREATE FUNCTION do_work(seconds float) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
                + "IF EXISTS (SELECT 1 FROM fail_next) THEN RAISE EXCEPTION 'told to fail'; END IF; "
                + "PERFORM pg_sleep(seconds); INSERT INTO work VALUES (1); END $$");
        return db;
    }

    /** The environment the operator renders for a pod of the Job {@code name} (uid {@code uid}, or none as before it passed one). */
    private static Map<String, String> pod(RunnerHarness runner, String name, String uid, double seconds) {
        Map<String, String> env = runner.env("log-cleanup", "{\"sql\":{\"statement\":\"SELECT do_work(" + seconds + ")\"}}");
        env.put("NIGHTSHIFT_NAMESPACE", "app");
        env.put("NIGHTSHIFT_CRONJOB", "log-cleanup");
        env.put("NIGHTSHIFT_KUBERNETES_JOB", name);
        if (uid != null) {
            env.put("NIGHTSHIFT_KUBERNETES_JOB_UID", uid);
        }
        return env;
    }

    private static String work(TestDatabase db) throws Exception {
        return db.column("SELECT count(*) FROM work").get(0);
    }

    @Test
    void twoPodsOfOneJobTogetherAndAThirdAfterThemDoTheWorkOnce() throws Exception {
        TestDatabase db = database();
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        List<String> statuses = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<Process> together = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            together.add(start(runner, i, 2));
        }
        for (int i = 0; i < 2; i++) {
            finish(together.get(i), i, statuses, reasons);
        }
        // As seen on a cluster after an API-server outage: another pod of the Job, seconds after the first succeeded.
        finish(start(runner, 2, 0.1), 2, statuses, reasons);

        assertThat(work(db)).isEqualTo("1");
        assertThat(statuses).as(reasons.toString()).containsExactly("success", "skipped", "skipped");
        assertThat(reasons.get(1)).isIn("another run holds the job's lock", "job already succeeded");
        assertThat(reasons.get(2)).isEqualTo("job already succeeded");
        assertThat(Files.readString(dir.resolve("out-2.log"))).contains("skipped: Kubernetes Job " + RUN_NOW_JOB
                + " of log-cleanup already succeeded as run ");
        assertThat(db.column("SELECT status || ' ' || (stats->>'kubernetesJob') || ' ' || (stats->>'kubernetesJobUid') FROM job_executions"))
                .containsExactly("success " + RUN_NOW_JOB + " " + UID);
    }

    private Process start(RunnerHarness runner, int i, double seconds) throws Exception {
        Map<String, String> env = pod(runner, RUN_NOW_JOB, UID, seconds);
        env.put("NIGHTSHIFT_TERMINATION_LOG", dir.resolve("result-" + i + ".json").toString());
        return runner.start(env, dir.resolve("out-" + i + ".log"));
    }

    /** Waits for pod {@code i}'s runner; its status and skip reason are added in the order success first. */
    private void finish(Process p, int i, List<String> statuses, List<String> reasons) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out-" + i + ".log"))).isZero();
        var doc = JSON.readTree(Files.readString(dir.resolve("result-" + i + ".json")));
        int at = "success".equals(doc.path("status").asText()) ? 0 : statuses.size();
        statuses.add(at, doc.path("status").asText());
        reasons.add(at, doc.path("reason").asText());
    }

    @Test
    void aFirstPodThatFailedGetsItsRetryAndOnlyTheSuccessCounts() throws Exception {
        TestDatabase db = database();
        RunnerHarness runner = new RunnerHarness(db, dir, target);
        db.execute("INSERT INTO fail_next VALUES (true)");

        RunnerHarness.Outcome failed = runner.run(pod(runner, RUN_NOW_JOB, UID, 0));
        db.execute("DELETE FROM fail_next");
        RunnerHarness.Outcome retry = runner.run(pod(runner, RUN_NOW_JOB, UID, 0));
        RunnerHarness.Outcome again = runner.run(pod(runner, RUN_NOW_JOB, UID, 0));

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(retry.result().path("status").asText()).isEqualTo("success");
        assertThat(again.exitCode()).isZero();
        assertThat(again.result().path("status").asText()).isEqualTo("skipped");
        assertThat(again.result().path("reason").asText()).isEqualTo("job already succeeded");
        assertThat(again.result().has("executionId")).as("a skipped run writes no row").isFalse();
        assertThat(work(db)).isEqualTo("1");
        assertThat(db.column("SELECT status FROM job_executions ORDER BY id")).containsExactly("failed", "success");
    }

    @Test
    void aJobMadeAgainUnderTheSameNameRunsAndWithoutAUidTheNameIsTheJob() throws Exception {
        TestDatabase db = database();
        RunnerHarness runner = new RunnerHarness(db, dir, target);

        String first = runner.run(pod(runner, "by-hand", UID, 0)).result().path("status").asText();
        String madeAgain = runner.run(pod(runner, "by-hand", "0b1c2d3e-0000-4000-8000-000000000001", 0)).result().path("status").asText();
        String nameOnly = runner.run(pod(runner, "named", null, 0)).result().path("status").asText();
        String nameOnlyAgain = runner.run(pod(runner, "named", null, 0)).result().path("reason").asText();
        Map<String, String> otherNamespace = pod(runner, "named", null, 0);
        otherNamespace.put("NIGHTSHIFT_NAMESPACE", "team-b");
        String inAnotherNamespace = runner.run(otherNamespace).result().path("status").asText();
        Map<String, String> withoutJob = pod(runner, "named", null, 0);
        withoutJob.remove("NIGHTSHIFT_KUBERNETES_JOB");
        String byHandWithoutJob = runner.run(withoutJob).result().path("status").asText();

        assertThat(List.of(first, madeAgain, nameOnly, nameOnlyAgain, inAnotherNamespace, byHandWithoutJob))
                .containsExactly("success", "success", "success", "job already succeeded", "success", "success");
        assertThat(work(db)).isEqualTo("5");
    }
}
