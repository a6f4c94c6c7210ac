package io.nightshift.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    @TempDir
    Path empty;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new Main());
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(new StringWriter(), true));
        return command.execute(args);
    }

    @Test
    void missingFilesAreNamedByTheirOptionBeforeAnythingStarts() {
        assertThat(run("--examples", empty.toString(), "--runner-jar", empty.resolve("runner.jar").toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("--examples: " + empty + " has no schema.sql")
                .contains("--runner-jar: " + empty.resolve("runner.jar") + " does not exist");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThat(run("--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port: 70000 is not a port number");
    }

    @Test
    void theProjectsOwnFilesAreFoundFromItsFolder() {
        ProjectFiles files = ProjectFiles.locate(null, null, null);
        assertThat(files.examples().resolve("schema.sql")).isRegularFile();
        assertThat(files.crd().getFileName().toString()).isEqualTo("maintenancejobs.nightshift.io-v1.yml");
        assertThat(files.runnerJar().getFileName().toString()).isEqualTo("nightshift-job-runner.jar");
    }
}
