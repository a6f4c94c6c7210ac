package io.nightshift.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightshift.operator.config.OperatorSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * operator/Dockerfile's entrypoint, run on this machine against the built jar ({@code /app} of the image is
 * {@code operator/target/}: the jar and its lib/), and the Jib profile that builds the same image without Docker.
 */
class OperatorImageIT {

    private static final String VERSION = System.getProperty("project.version");
    private static final Path MODULE = Path.of("..", "operator");

    private static DockerfileStage image;
    private static LocalImage local;

    @BeforeAll
    static void readTheDockerfile() {
        image = DockerfileStage.lastStageOf(MODULE.resolve("Dockerfile"));
        local = new LocalImage(Map.of("/app", MODULE.resolve("target")), image.workdir());
    }

    @Test
    void printsItsVersion() throws Exception {
        LocalImage.Result result = local.exec(with(image.entrypoint(), "--version"), image.env());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output().strip()).as("nothing but the version: no JVM warning either")
                .isEqualTo("nightshift-operator " + VERSION);
    }

    @Test
    void printsItsHelpWithoutACluster() throws Exception {
        LocalImage.Result result = local.exec(with(image.entrypoint(), "--help"), image.env());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output()).startsWith("Usage: ").contains("NIGHTSHIFT_RUNNER_IMAGE");
    }

    @Test
    void theJibProfileBuildsTheSameContainer() throws Exception {
        JibProfile jib = JibProfile.of(MODULE.resolve("pom.xml"), Path.of("..", "pom.xml"));
        List<String> entrypoint = image.entrypoint();
        int jar = entrypoint.indexOf("-jar");

        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(jib.fromImage()).isEqualTo(image.baseImage());
        assertThat(jib.user()).isEqualTo(image.user()).isEqualTo("10001:10001");
        assertThat(jib.workingDirectory()).isEqualTo(image.workdir());
        assertThat(jib.entrypoint()).as("with an entrypoint of its own, Jib would drop the JVM flags").isNull();
        assertThat(jib.jvmFlags()).containsExactlyElementsOf(entrypoint.subList(1, jar));
        assertThat(jib.containerizingMode()).as("the jar goes in with its manifest (the version)").isEqualTo("packaged");
        try (JarFile jarFile = new JarFile(local.local(entrypoint.get(jar + 1)).toFile())) {
            assertThat(jib.mainClass()).isEqualTo(jarFile.getManifest().getMainAttributes().getValue("Main-Class"));
        }
        assertThat(jib.args()).isEqualTo(image.cmd());
        assertThat(jib.toImage()).isEqualTo("ghcr.io/nightshift-io/operator:" + VERSION);
    }

    @Test
    void theRunnerImageThatMavenBuildsIsTheOneTheOperatorRunsByDefault() throws Exception {
        JibProfile runner = JibProfile.of(Path.of("..", "job-runner", "pom.xml"), Path.of("..", "pom.xml"));

        assertThat(runner.toImage()).isEqualTo(OperatorSettings.DEFAULT_RUNNER_IMAGE);
    }

    private static List<String> with(List<String> command, String... arguments) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(arguments));
        return all;
    }
}
