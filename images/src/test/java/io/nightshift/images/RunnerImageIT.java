package io.nightshift.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * job-runner/Dockerfile's command lines, run on this machine against the built jar: the class-data-sharing training
 * run exactly as the image build runs it, then the entrypoint exactly as a pod runs it. A local directory stands for
 * each of the image's: {@code /app} holds the jar and its lib/ as the Dockerfile copies them, {@code /tmp} is the
 * pod's emptyDir.
 */
class RunnerImageIT {

    private static final String VERSION = System.getProperty("project.version");
    private static final Path MODULE = Path.of("..", "job-runner");

    @TempDir
    static Path root;

    private static DockerfileStage image;
    private static LocalImage local;
    private static LocalImage.Result training;

    @BeforeAll
    static void makeTheImagesFilesAndArchive() throws Exception {
        image = DockerfileStage.lastStageOf(MODULE.resolve("Dockerfile"));
        Path app = Files.createDirectories(root.resolve("app"));
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Files.copy(MODULE.resolve("target/nightshift-job-runner.jar"), app.resolve("nightshift-job-runner.jar"));
        Path lib = Files.createDirectories(app.resolve("lib"));
        try (Stream<Path> jars = Files.list(MODULE.resolve("target/lib"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
        local = new LocalImage(Map.of("/app", app, "/tmp", tmp), image.workdir());
        training = local.shell(image.runCommandContaining("-XX:ArchiveClassesAtExit"));
    }

    @Test
    void theTrainingRunLeavesTheArchiveWhereTheEntrypointReadsIt() {
        assertThat(training.exitCode()).as("the training RUN fails the image build unless it exits 0:\n%s", training).isZero();
        assertThat(local.local(archive())).isNotEmptyFile();
    }

    @Test
    void printsItsVersion() throws Exception {
        LocalImage.Result result = local.exec(with(image.entrypoint(), "--version"), image.env());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output().strip()).as("nothing but the version: no JVM warning either")
                .isEqualTo("nightshift-job-runner " + VERSION);
    }

    @Test
    void theArchiveFitsTheEntrypointsJvm() throws Exception {
        List<String> strict = image.entrypoint().stream().map(a -> a.equals("-Xshare:auto") ? "-Xshare:on" : a).toList();
        assertThat(strict).as("the entrypoint uses -Xshare:auto").isNotEqualTo(image.entrypoint());

        // -Xshare:on refuses to start unless the archive matches this JVM, its flags and the jars exactly.
        LocalImage.Result result = local.exec(with(strict, "--version"), image.env());

        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void aPodsRunLoadsTheRunnerFromTheArchive() throws Exception {
        List<String> logged = new ArrayList<>(image.entrypoint());
        logged.add(1, "-Xlog:class+load:file=/tmp/class-load.log");

        LocalImage.Result result = local.exec(with(logged, image.cmd()), runAgainstAMissingDatabase("/tmp/termination-log"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.output()).contains("cannot reach the database at 127.0.0.1:1");
        assertThat(Files.readString(local.local("/tmp/class-load.log")))
                .contains("io.nightshift.runner.cli.RunCommand source: shared objects file (top)")
                .contains("io.nightshift.runner.run.JobRun source: shared objects file (top)")
                .contains("com.fasterxml.jackson.databind.ObjectMapper source: shared objects file (top)")
                .contains("org.postgresql.Driver source: shared objects file (top)");
        assertThat(resultDocument("/tmp/termination-log").path("status").asText()).isEqualTo("failed");
    }

    @Test
    void theTrainingRunUsesTheEntrypointsJvm() {
        List<String> trainingCommand = Arrays.asList(image.runCommandContaining("-XX:ArchiveClassesAtExit").split("\\s+"));
        List<String> trainingJava = trainingCommand.subList(trainingCommand.indexOf("java"), trainingCommand.size());

        assertThat(jvmFlags(trainingJava).stream().filter(f -> !f.startsWith("-XX:ArchiveClassesAtExit=") && !f.startsWith("-Xlog:cds")))
                .as("the training run is a pod's run: the same JVM options")
                .containsExactlyElementsOf(jvmFlags(image.entrypoint()).stream()
                        .filter(f -> !f.startsWith("-XX:SharedArchiveFile=") && !f.startsWith("-Xshare:")).toList());
        assertThat(jar(trainingJava)).isEqualTo(jar(image.entrypoint()));
        assertThat(trainingJava).contains("-XX:ArchiveClassesAtExit=" + archive());
    }

    @Test
    void runsAsUser10001ThatCannotWriteTheAppDirectory() throws Exception {
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs root to switch to uid 10001");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(local.local("/tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> before = filesUnder(local.local("/app"));

        LocalImage.Result result = local.exec(List.of("/usr/bin/setpriv", "--reuid=10001", "--regid=10001", "--clear-groups"),
                with(image.entrypoint(), image.cmd()), runAgainstAMissingDatabase("/tmp/termination-log-of-10001"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.output()).as("no warning: the archive is readable, nothing needs writing").doesNotContain("warning");
        assertThat(resultDocument("/tmp/termination-log-of-10001").path("error").asText()).contains("cannot reach the database");
        assertThat(filesUnder(local.local("/app"))).isEqualTo(before);
    }

    @Test
    void theJibProfileBuildsTheSameContainerButTheArchive() throws Exception {
        JibProfile jib = JibProfile.of(MODULE.resolve("pom.xml"), Path.of("..", "pom.xml"));
        List<String> entrypoint = image.entrypoint();

        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(jib.fromImage()).isEqualTo(image.baseImage());
        assertThat(jib.user()).isEqualTo(image.user()).isEqualTo("10001:10001");
        assertThat(jib.workingDirectory()).isEqualTo(image.workdir());
        assertThat(jib.entrypoint()).as("with an entrypoint of its own, Jib would drop the JVM flags").isNull();
        assertThat(jib.jvmFlags()).as("Jib cannot make a CDS archive; pointing at a missing one would switch CDS off")
                .containsExactlyElementsOf(jvmFlags(entrypoint).stream().filter(f -> !f.startsWith("-XX:SharedArchiveFile=")).toList());
        assertThat(jib.containerizingMode()).as("the jar goes in with its manifest (the version)").isEqualTo("packaged");
        try (JarFile jar = new JarFile(local.local(jar(entrypoint)).toFile())) {
            assertThat(jib.mainClass()).isEqualTo(jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
        assertThat(jib.args()).isEqualTo(image.cmd());
        assertThat(jib.toImage()).as("the operator's default runner image").isEqualTo("ghcr.io/nightshift-io/job-runner:" + VERSION);
    }

    /** The environment the operator gives a pod, with a database URL whose port is closed: the run fails at once. */
    private static Map<String, String> runAgainstAMissingDatabase(String terminationLog) {
        Map<String, String> env = new HashMap<>(image.env());
        env.put("NIGHTSHIFT_JOB_NAME", "log-cleanup");
        env.put("NIGHTSHIFT_NAMESPACE", "app");
        env.put("NIGHTSHIFT_TASK", "{\"sql\":{\"statement\":\"SELECT cleanup_old_logs()\"}}");
        env.put("NIGHTSHIFT_DATABASE_URL", "postgresql://app:secret@127.0.0.1:1/app");
        env.put("NIGHTSHIFT_TERMINATION_LOG", terminationLog);
        return env;
    }

    private static JsonNode resultDocument(String terminationLog) throws IOException {
        return new ObjectMapper().readTree(local.local(terminationLog).toFile());
    }

    private static String archive() {
        return jvmFlags(image.entrypoint()).stream().filter(f -> f.startsWith("-XX:SharedArchiveFile=")).findFirst()
                .map(f -> f.substring(f.indexOf('=') + 1)).orElseThrow(() -> new AssertionError("the entrypoint names no archive"));
    }

    /** The options between {@code java} and {@code -jar}. */
    private static List<String> jvmFlags(List<String> javaCommand) {
        return javaCommand.subList(1, javaCommand.indexOf("-jar"));
    }

    private static String jar(List<String> javaCommand) {
        return javaCommand.get(javaCommand.indexOf("-jar") + 1);
    }

    private static List<String> with(List<String> command, String... arguments) {
        return with(command, List.of(arguments));
    }

    private static List<String> with(List<String> command, List<String> arguments) {
        List<String> all = new ArrayList<>(command);
        all.addAll(arguments);
        return all;
    }

    private static List<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(Path::toString).sorted().toList();
        }
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
