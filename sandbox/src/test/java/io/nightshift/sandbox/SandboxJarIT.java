package io.nightshift.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's run command, {@code java -jar sandbox/target/nightshift-sandbox.jar} from the project folder, on the built jar. */
class SandboxJarIT {

    @TempDir
    Path dir;

    @Test
    void theDemoRunsEveryExampleAndExitsZero() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path output = dir.resolve("demo.out");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                "sandbox/target/nightshift-sandbox.jar")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(demo.waitFor(3, TimeUnit.MINUTES)).as("the demo ends by itself").isTrue();
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(demo.exitValue()).as(out).isZero();
        for (String job : List.of("log-cleanup", "request-count-reset", "rate-limit-cleanup", "instagram-creator-stats",
                "proxy-success-rates", "user-score-recalculation", "audio-cleanup", "transcription-cost-update")) {
            assertThat(out).containsPattern("(?m)^" + job + "\\s+\\S+\\s+success\\s");
        }
        assertThat(out).contains("Every example ran successfully").doesNotContain("MockWebServer").doesNotContain("Exception");
    }
}
