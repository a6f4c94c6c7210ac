package io.nightshift.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.runner.cli.RunCommandAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Runs the runner's {@code run} command in this JVM with a given environment, as a pod would. */
public final class RunnerHarness {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestDatabase db;
    private final Path dir;
    private final ConnectionTarget target;

    public RunnerHarness(TestDatabase db, Path dir) {
        this(db, dir, ConnectionTarget.DIRECT);
    }

    /** A runner that reaches {@code db} as {@code target} says; a test of a target this machine lacks is skipped. */
    public RunnerHarness(TestDatabase db, Path dir, ConnectionTarget target) {
        this.db = db;
        this.dir = dir;
        this.target = target;
        target.assumeAvailable();
    }

    /** The URI by which this harness's runs reach the database as {@code user}. */
    public String uri(String user, String password) {
        return target.uri(db, user, password);
    }

    /** What one run left behind. */
    public record Outcome(int exitCode, String log, String resultText) {
        public JsonNode result() {
            try {
                return JSON.readTree(resultText);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The contract environment for a job against this test's database; callers add or override entries. */
    public Map<String, String> env(String jobName, String taskJson) {
        Map<String, String> env = new HashMap<>();
        env.put("NIGHTSHIFT_JOB_NAME", jobName);
        env.put("NIGHTSHIFT_TASK", taskJson);
        env.put("NIGHTSHIFT_DATABASE_URL", target.uri(db));
        env.put("NIGHTSHIFT_TERMINATION_LOG", dir.resolve("termination-log-" + jobName).toString());
        return env;
    }

    public Outcome run(Map<String, String> env, String... args) {
        Path log = env.get("NIGHTSHIFT_TERMINATION_LOG") == null ? null : Path.of(env.get("NIGHTSHIFT_TERMINATION_LOG"));
        try {
            if (log != null) {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        Set<String> before = runnerSessions();
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = RunCommandAccess.execute(env::get, args);
        } finally {
            System.setOut(original);
        }
        awaitSessionsEnded(before);
        String text = out.toString(StandardCharsets.UTF_8);
        original.print(text);
        try {
            return new Outcome(code, text, log != null && Files.exists(log) ? Files.readString(log) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server's backends of runner sessions. A run closes its connections as it returns, but each backend ends (and
     * gives up the run's lock) a moment later; a pod's next run starts seconds later, a test's next run at once.
     */
    private Set<String> runnerSessions() {
        try {
            return new HashSet<>(db.column("SELECT pid FROM pg_stat_activity WHERE application_name = 'nightshift-job-runner'"));
        } catch (SQLException e) {
            return Set.of();
        }
    }

    /** Waits (a second at most) until the backends of the sessions this run opened have ended, as when its process exits. */
    private void awaitSessionsEnded(Set<String> before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> opened = runnerSessions();
            opened.removeAll(before);
            if (opened.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Starts the runner in a child JVM (for signals and kills); its output goes to {@code output}. */
    public Process start(Map<String, String> env, Path output, String... args) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "io.nightshift.runner.Main", "run"));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
