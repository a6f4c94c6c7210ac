package io.nightshift.runner.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.runner.testing.DatabaseFacing;
import io.nightshift.runner.testing.RunnerHarness;
import io.nightshift.runner.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/job-runner.md's quick start, as a newcomer runs it on a laptop: the task file it names exists, and it runs outside a pod. */
@DatabaseFacing
class QuickStartTest {

    static final Path DOC = Path.of("../docs/job-runner.md");

    @TempDir
    Path dir;

    @Test
    void theQuickStartsTaskFileIsShippedAndIsTheLogCleanupExamplesTask() throws Exception {
        Matcher m = Pattern.compile("--task-file (\\S+)").matcher(Files.readString(DOC));
        assertThat(m.find()).as("the quick start names a task file").isTrue();
        Path taskFile = Path.of("..").resolve(m.group(1));
        assertThat(taskFile).isRegularFile();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(taskFile.toFile())).isEqualTo(json.readTree(ExampleFiles.taskJson("log-cleanup")));
    }

    @Test
    void outsideAPodItWritesNoResultFileAndDoesNotComplain() throws Exception {
        assertThat(Path.of("/dev/termination-log")).as("this test runs outside a container").doesNotExist();
        TestDatabase db = TestDatabase.create();
        db.execute(ExampleFiles.schemaSql());
        RunnerHarness runner = new RunnerHarness(db, dir);
        Map<String, String> env = runner.env("ignored", "ignored");
        env.remove("NIGHTSHIFT_TERMINATION_LOG");
        env.remove("NIGHTSHIFT_TASK");
        env.remove("NIGHTSHIFT_JOB_NAME");

        RunnerHarness.Outcome out = runner.run(env, "--job-name", "log-cleanup", "--task-file", "../examples/runner/task.json", "--dry-run");

        assertThat(out.exitCode()).isZero();
        assertThat(out.log()).contains("dry run: ").doesNotContain("termination-log").doesNotContain("could not write");
        assertThat(Path.of("/dev/termination-log")).doesNotExist();
    }
}
