package io.nightshift.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nightshift.api.contract.RunnerEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the kubelet: runs a pod's container as a local {@code java -jar nightshift-job-runner.jar}
 * process with the pod's environment, and reports how it ended as a terminated container state.
 */
public final class LocalKubelet {

    /** The kubelet's cap on a termination message. */
    static final int MESSAGE_LIMIT = 4096;
    private static final int FALLBACK_LOG_LINES = 80;
    private static final int FALLBACK_LOG_BYTES = 2048;
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final PodEnvironment environment;
    private final List<String> launcher;
    private final Path workDir;

    /**
     * @param launcher the command that stands for the image's entrypoint; the container's args follow it
     */
    public LocalKubelet(KubernetesClient client, List<String> launcher, Path workDir) {
        this.environment = new PodEnvironment(client);
        this.launcher = List.copyOf(launcher);
        this.workDir = workDir;
    }

    /**
     * A kubelet whose containers run {@code java -jar runnerJar} with the runner image's JVM flags (job-runner/Dockerfile),
     * but a fixed heap in place of a share of the container's memory limit, which a local process does not have.
     */
    public static LocalKubelet forRunnerJar(KubernetesClient client, Path runnerJar, Path workDir) {
        return new LocalKubelet(client, List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError", "-jar", runnerJar.toString()), workDir);
    }

    /** A started container. */
    public final class Running {
        private final Process process;
        private final Instant startedAt;
        private final Path terminationLog;
        private final Path logFile;
        private final boolean fallbackToLogs;

        private Running(Process process, Instant startedAt, Path terminationLog, Path logFile, boolean fallbackToLogs) {
            this.process = process;
            this.startedAt = startedAt;
            this.terminationLog = terminationLog;
            this.logFile = logFile;
            this.fallbackToLogs = fallbackToLogs;
        }

        public Instant startedAt() {
            return startedAt;
        }

        public Path logFile() {
            return logFile;
        }

        /** Waits up to {@code limit} for the process; true when it ended. */
        public boolean await(Duration limit) throws InterruptedException {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Stops the container as the kubelet does: SIGTERM, then SIGKILL after the grace period. */
        public void kill() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        /** The container's terminated state; call once the process ended. */
        public ContainerStateTerminated terminated() {
            int exitCode = process.exitValue();
            String message = read(terminationLog, MESSAGE_LIMIT);
            if (message.isEmpty() && exitCode != 0 && fallbackToLogs) {
                message = tail(logFile);
            }
            return new ContainerStateTerminatedBuilder()
                    .withExitCode(exitCode)
                    .withReason(exitCode == 0 ? "Completed" : "Error")
                    .withMessage(message.isEmpty() ? null : message)
                    .withStartedAt(startedAt.toString())
                    .withFinishedAt(Instant.now().toString())
                    .build();
        }
    }

    /**
     * Starts the pod's first container.
     *
     * @throws ContainerConfigException when its environment cannot be resolved (a missing Secret or key)
     */
    public Running start(Pod pod) throws ContainerConfigException {
        Container container = pod.getSpec().getContainers().get(0);
        Map<String, String> env = environment.resolve(pod, container);
        try {
            Path dir = Files.createDirectories(workDir.resolve(pod.getMetadata().getNamespace()).resolve(pod.getMetadata().getName()));
            Path terminationLog = dir.resolve("termination-log");
            Path logFile = dir.resolve("container.log");
            Files.deleteIfExists(terminationLog);
            List<String> command = new ArrayList<>(launcher);
            if (container.getArgs() != null) {
                command.addAll(container.getArgs());
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            Map<String, String> processEnv = builder.environment();
            processEnv.keySet().retainAll(List.of("PATH", "HOME", "JAVA_HOME", "LANG"));
            processEnv.putAll(env);
            // The container's terminationMessagePath, mounted from the node: here a file of the pod's directory.
            processEnv.put(RunnerEnvironment.TERMINATION_LOG, terminationLog.toString());
            Instant started = Instant.now();
            Process process = builder.start();
            return new Running(process, started, terminationLog, logFile,
                    "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the runner for pod " + pod.getMetadata().getName(), e);
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path file, int limit) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, 0, Math.min(bytes.length, limit), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - FALLBACK_LOG_LINES), lines.size()));
            byte[] bytes = tail.getBytes(StandardCharsets.UTF_8);
            return bytes.length <= FALLBACK_LOG_BYTES ? tail
                    : new String(bytes, bytes.length - FALLBACK_LOG_BYTES, FALLBACK_LOG_BYTES, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
