package io.nightshift.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.nightshift.api.RetentionTask;
import io.nightshift.api.SqlTask;
import io.nightshift.api.Task;
import io.nightshift.operator.resource.DatabaseRef;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.MaintenanceJobSpec;
import io.nightshift.operator.resource.RunRecord;
import io.nightshift.sandbox.examples.Examples;
import io.nightshift.sandbox.examples.SandboxWiring;
import io.nightshift.sandbox.report.LedgerRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path, CR → CronJob → Job → runner process → ledger → status → Events → metrics, for every
 * example and for a run that fails (a missing table) and one that outlives its timeout.
 */
class EndToEndTest {

    private static final String FAILURES = "failures";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static Sandbox sandbox;
    static Examples examples;
    static boolean demoSucceeded;
    static String demoOutput;
    static final Map<String, Optional<RunRecord>> failureRuns = new HashMap<>();
    static SlotScenario.Outcome slot;

    @BeforeAll
    static void runEverything() throws Exception {
        ProjectFiles files = ProjectFiles.locate(null, null, null);
        examples = Examples.load(files.examples());
        sandbox = Sandbox.start(new Sandbox.Settings(files.crd(), files.runnerJar(), work, 0));

        // stuck-rollup's deadline leaves its runner time to start and record its run even on a busy machine
        // (twelve runner JVMs start at once here); a run stopped before that has no ledger row to mark failed.
        List<MaintenanceJob> failing = List.of(
                job("broken-cleanup", Task.of(new RetentionTask("public.no_such_table", "created_at", "7d", null, null, null, null, null, null, null,
                        null)), null),
                job("stuck-rollup", Task.of(new SqlTask("SELECT pg_sleep(120)", null, null, null, null, null)), "30s"));
        sandbox.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(FAILURES).endMetadata().build()).create();
        SandboxWiring.secrets(failing, List.of(), FAILURES, sandbox.endpoints()).forEach(s -> sandbox.client().resource(s).create());
        Map<String, String> runs = new HashMap<>();
        for (MaintenanceJob job : failing) {
            sandbox.apply(job);
            runs.put(job.getMetadata().getName(), sandbox.runNow(FAILURES, job.getMetadata().getName(), "e2e"));
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        demoSucceeded = Demo.run(sandbox, examples, new PrintStream(out, true, StandardCharsets.UTF_8));
        demoOutput = out.toString(StandardCharsets.UTF_8);
        for (Map.Entry<String, String> run : runs.entrySet()) {
            failureRuns.put(run.getKey(), sandbox.awaitRun(FAILURES, run.getKey(), run.getValue(), Duration.ofSeconds(75)));
        }
        slot = SlotScenario.run(sandbox);
    }

    private static MaintenanceJob job(String name, Task task, String timeout) {
        MaintenanceJob job = new MaintenanceJob();
        job.getMetadata().setName(name);
        job.getMetadata().setNamespace(FAILURES);
        job.setSpec(new MaintenanceJobSpec("0 5 * * *", "UTC", null, null, null, timeout, null, null, null,
                new DatabaseRef("app-db", null, null, null, null, null, null, null), null, task, null, null, null, null, null, null, null,
                null, null));
        return job;
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static List<String> exampleNames() {
        return examples.jobs().stream().map(j -> j.getMetadata().getName()).sorted().toList();
    }

    @Test
    void everyExampleRanOnceAndSucceeded() {
        assertThat(exampleNames()).hasSize(11);
        assertThat(demoSucceeded).as(demoOutput).isTrue();
        for (MaintenanceJob job : sandbox.jobs(Demo.NAMESPACE)) {
            RunRecord last = job.getStatus().getLastRun();
            assertThat(last.result()).as(job.getMetadata().getName() + ": " + last.message()).isEqualTo("success");
            assertThat(last.trigger()).isEqualTo("manual");
            assertThat(job.getStatus().getConsecutiveFailures()).isZero();
            assertThat(job.getStatus().getLastSuccessfulTime()).isEqualTo(last.completedAt());
            assertThat(condition(job, "LastRunSucceeded").getStatus()).isEqualTo("True");
            assertThat(condition(job, "Ready").getStatus()).isEqualTo("True");
        }
    }

    @Test
    void theLedgerHoldsOneSuccessfulRowPerExampleMatchingItsStatus() throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        try (Connection c = sandbox.database().connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT job_name, status, id FROM public.job_executions")) {
            while (rs.next()) {
                assertThat(ids.put(rs.getString(1), rs.getLong(3))).as("one row per job").isNull();
                if (exampleNames().contains(rs.getString(1))) {
                    assertThat(rs.getString(2)).as(rs.getString(1) + " in\n" + ledger()).isEqualTo("success");
                }
            }
        }
        assertThat(ids.keySet()).containsAll(exampleNames());
        for (MaintenanceJob job : sandbox.jobs(Demo.NAMESPACE)) {
            assertThat(job.getStatus().getLastRun().executionId()).isEqualTo(ids.get(job.getMetadata().getName()));
        }
    }

    @Test
    void theMaintenanceReallyHappened() throws SQLException {
        assertThat(query("SELECT count(*) FROM system_logs WHERE \"timestamp\" < " + runStart("log-cleanup") + " - interval '2 days'")).isZero();
        assertThat(stat("log-cleanup", "deleted") + query("SELECT count(*) FROM system_logs")).isEqualTo(60_000);
        assertThat(query("SELECT count(*) FROM rate_limits WHERE window_start < " + runStart("rate-limit-cleanup") + " - interval '1 day'"))
                .isZero();
        assertThat(query("SELECT count(*) FROM users WHERE daily_request_count <> 0")).isZero();
        assertThat(query("SELECT count(*) FROM instagram_creator_stats")).isEqualTo(50);
        assertThat(query("SELECT count(*) FROM proxies WHERE success_rate IS NULL")).isZero();
        assertThat(query("SELECT count(*) FROM users WHERE score_updated_at IS NULL OR score_updated_at < current_date")).isZero();
        assertThat(stat("user-score-recalculation", "rows")).isEqualTo(25_000);
        assertThat(stat("user-score-recalculation", "batches")).isGreaterThanOrEqualTo(3);

        String cutoff = runStart("audio-cleanup") + " - interval '30 days'";
        long oldFiles = query("SELECT count(*) FROM transcriptions WHERE created_at < " + cutoff);
        assertThat(oldFiles).isPositive();
        assertThat(query("SELECT count(*) FROM transcriptions WHERE created_at < " + cutoff + " AND audio_path IS NOT NULL")).isZero();
        assertThat(stat("audio-cleanup", "deleted")).isEqualTo(oldFiles);
        assertThat(sandbox.stubs().storedFileCount()).isEqualTo(query("SELECT count(*) FROM transcriptions") - oldFiles);

        assertThat(stat("events-partitions", "created")).as("today and the week after").isEqualTo(8);
        assertThat(stat("events-partitions", "dropped")).as("the days older than 30 (one more after a midnight)").isBetween(15L, 16L);
        assertThat(stat("events-partitions", "ahead")).isEqualTo(7);
        assertThat(query("SELECT count(*) FROM events WHERE created_at < " + runStart("events-partitions") + " - interval '31 days'")).isZero();
        assertThat(query("SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass")).isEqualTo(45 + 8 - stat("events-partitions", "dropped"));

        long known = query("SELECT count(*) FROM transcriptions WHERE stt_provider_request_id IS NOT NULL"
                + " AND stt_provider_request_id NOT LIKE '%.missing-%'");
        assertThat(query("SELECT count(*) FROM transcriptions WHERE audio_cost_usd IS NOT NULL")).isEqualTo(known);
        assertThat(stat("transcription-cost-update", "updated")).isEqualTo(known);
    }

    @Test
    void aRunOnAMissingTableFailsAndSaysWhy() {
        RunRecord run = failureRuns.get("broken-cleanup").orElseThrow();
        assertThat(run.result()).isEqualTo("failed");
        assertThat(run.message()).contains("no_such_table");
        MaintenanceJob job = sandbox.job(FAILURES, "broken-cleanup");
        assertThat(job.getStatus().getConsecutiveFailures()).isEqualTo(1);
        assertThat(condition(job, "LastRunSucceeded").getStatus()).isEqualTo("False");
        assertThat(events("broken-cleanup", "RunFailed")).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void aRunPastItsTimeoutIsStoppedAndRecordedAsFailed() throws SQLException {
        RunRecord run = failureRuns.get("stuck-rollup").orElseThrow();
        assertThat(run.result()).isEqualTo("failed");
        assertThat(run.reason()).isEqualTo("DeadlineExceeded");
        assertThat(query("SELECT count(*) FROM job_executions WHERE job_name = 'stuck-rollup' AND status = 'failed'"))
                .as(ledger()).isEqualTo(1);
        assertThat(events("stuck-rollup", "RunFailed")).hasSize(1);
    }

    @Test
    void aScheduledSlotDoesItsWorkOnceHoweverOftenItIsStartedAndTheSkipsShow() throws Exception {
        RunRecord scheduled = slot.scheduled().orElseThrow();
        assertThat(scheduled.result()).as(scheduled.message()).isEqualTo("success");
        assertThat(scheduled.scheduledTime()).isEqualTo(SlotScenario.SLOT.toString());
        assertThat(slot.recreated().path("status").asText()).as(slot.recreated().toString()).isEqualTo("skipped");
        assertThat(slot.recreated().path("reason").asText()).isEqualTo("slot already done");
        assertThat(slot.recreated().path("slot").asText()).isEqualTo(SlotScenario.SLOT.toString());
        RunRecord byHand = slot.byHand().orElseThrow();
        assertThat(byHand.result()).isEqualTo("skipped");
        assertThat(byHand.reason()).isEqualTo("SlotAlreadyDone");
        assertThat(byHand.message()).isEqualTo("slot already done (slot " + SlotScenario.SLOT + ")");
        assertThat(slot.runNow().orElseThrow().result()).isEqualTo("success");

        assertThat(query("SELECT count(*) FROM slot_work")).as("the slot's work once, and the run now's").isEqualTo(2);
        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = sandbox.database().connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT status || ' ' || coalesce(to_char(slot AT TIME ZONE 'UTC', 'HH24:MI'), '-') FROM slot_runs ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        assertThat(rows).as("the failed first attempt, its retry, the run now").containsExactly("failed 05:00", "success 05:00", "success -");

        MaintenanceJob job = sandbox.job(SlotScenario.NAMESPACE, SlotScenario.NAME);
        assertThat(job.getStatus().getLastSuccessfulTime()).isNotNull();
        assertThat(job.getStatus().getConsecutiveFailures()).isZero();
        assertThat(sandbox.events(SlotScenario.NAMESPACE)).filteredOn(e -> "RunSkipped".equals(e.getReason())).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(SlotScenario.BY_HAND_JOB).contains("slot already done"));
        String scrape = get(sandbox.metricsUrl());
        assertThat(metric(scrape, "nightshift_job_runs_total", SlotScenario.NAME, "result=\"skipped\"")).isEqualTo(1.0);
        assertThat(metric(scrape, "nightshift_job_runs_total", SlotScenario.NAME, "result=\"success\"")).isEqualTo(2.0);
    }

    @Test
    void eventsTellEachRunsStory() {
        for (String name : exampleNames()) {
            assertThat(events(name, "RunStarted")).as(name).hasSize(1);
            assertThat(events(name, "RunSucceeded")).as(name).singleElement()
                    .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal"));
            assertThat(events(name, "RunFailed")).as(name).isEmpty();
        }
    }

    @Test
    void metricsCountEveryRunByResult() throws Exception {
        String scrape = get(sandbox.metricsUrl());
        for (String name : exampleNames()) {
            assertThat(metric(scrape, "nightshift_job_runs_total", name, "result=\"success\"")).as(name).isEqualTo(1.0);
            assertThat(metric(scrape, "nightshift_job_runs_total", name, "result=\"failed\"")).as(name).isEqualTo(0.0);
        }
        assertThat(metric(scrape, "nightshift_job_runs_total", "broken-cleanup", "result=\"failed\"")).isEqualTo(1.0);
        assertThat(metric(scrape, "nightshift_job_runs_total", "stuck-rollup", "result=\"failed\"")).isEqualTo(1.0);
        assertThat(metric(scrape, "nightshift_job_consecutive_failures", "stuck-rollup")).isEqualTo(1.0);
        assertThat(metric(scrape, "nightshift_job_last_run_stat", "log-cleanup", "stat=\"deleted\"")).isEqualTo((double) stat("log-cleanup", "deleted"));
        assertThat(metric(scrape, "nightshift_job_last_run_stat", "events-partitions", "stat=\"ahead\"", "task=\"partitions\""))
                .as("the series NightshiftPartitionsRunningOut reads").isEqualTo(7.0);
        assertThat(metric(scrape, "nightshift_job_last_run_stat", "events-partitions", "stat=\"defaultRows\"", "task=\"partitions\""))
                .as("the series NightshiftPartitionsDefaultRows reads").isEqualTo(0.0);
    }

    @Test
    void theStatusApiAnswersTheLatestRunOfEveryJob() throws Exception {
        JsonNode data = JSON.readTree(get(sandbox.statusUrl())).path("data");
        Map<String, String> statuses = new HashMap<>();
        data.forEach(row -> statuses.put(row.path("job_name").asText(), row.path("status").asText()));
        exampleNames().forEach(name -> assertThat(statuses).containsEntry(name, "success"));
        assertThat(statuses).containsEntry("broken-cleanup", "failed").containsEntry("stuck-rollup", "failed");
    }

    @Test
    void theDemoPrintsTheRunsTheLedgerAndTheMetrics() {
        for (String name : exampleNames()) {
            assertThat(demoOutput).containsPattern("(?m)^" + name + "\\s+\\S+\\s+success\\s");
        }
        assertThat(demoOutput).contains("SELECT * FROM job_executions").contains("nightshift_job_runs_total{");
    }

    private static Condition condition(MaintenanceJob job, String type) {
        return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    private static List<Event> events(String job, String reason) {
        String namespace = exampleNames().contains(job) ? Demo.NAMESPACE : FAILURES;
        return sandbox.events(namespace).stream()
                .filter(e -> job.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }

    private static long stat(String job, String key) {
        return sandbox.job(Demo.NAMESPACE, job).getStatus().getLastRun().stats().get(key).asLong();
    }

    /** The run's start as SQL: the database computed its cutoff then. */
    private static String runStart(String job) {
        return "'" + sandbox.job(Demo.NAMESPACE, job).getStatus().getLastRun().startedAt() + "'::timestamptz";
    }

    private static String ledger() throws SQLException {
        try (Connection c = sandbox.database().connect()) {
            return LedgerRows.render(c);
        }
    }

    private static long query(String sql) throws SQLException {
        try (Connection c = sandbox.database().connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static Double metric(String scrape, String name, String job, String... labels) {
        return scrape.lines().filter(l -> l.startsWith(name + "{") && l.contains("name=\"" + job + "\""))
                .filter(l -> List.of(labels).stream().allMatch(l::contains))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(null);
    }
}
