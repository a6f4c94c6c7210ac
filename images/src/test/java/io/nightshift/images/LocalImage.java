package io.nightshift.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs an image's command lines on this machine: each directory of the image maps to a local one, {@code java} is
 * the JDK running the tests, and the environment is only what the image and the caller set (as in a container).
 */
final class LocalImage {

    private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");

    private final Map<String, Path> directories;
    private final String workdir;

    /** @param directories image directory (e.g. {@code /app}) to the local directory standing for it */
    LocalImage(Map<String, Path> directories, String workdir) {
        this.directories = new LinkedHashMap<>(directories);
        this.workdir = workdir;
    }

    /** The argument with every image path in it (at its start, or after '=', a quote or a space) made local. */
    String map(String argument) {
        // One pass over all directories: a local directory may itself lie under one of the image's (/tmp).
        String anyDirectory = directories.keySet().stream().map(Pattern::quote).collect(Collectors.joining("|"));
        Matcher m = Pattern.compile("(?<=^|[\\s='\"])(" + anyDirectory + ")(?=/|$|[\\s'\"])").matcher(argument);
        return m.replaceAll(r -> Matcher.quoteReplacement(directories.get(r.group(1)).toAbsolutePath().toString()));
    }

    Path local(String imagePath) {
        return Path.of(map(imagePath));
    }

    /** Runs an exec-form command (ENTRYPOINT + arguments). */
    Result exec(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        return exec(List.of(), command, env);
    }

    /** Runs an exec-form command behind {@code prefix} (e.g. a command that switches user). */
    Result exec(List<String> prefix, List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        List<String> local = new ArrayList<>(prefix);
        for (int i = 0; i < command.size(); i++) {
            String argument = command.get(i);
            local.add(i == 0 && argument.equals("java") ? JAVA_BIN.resolve("java").toString() : map(argument));
        }
        return run(local, env);
    }

    /** Runs a shell-form RUN command as Docker does ({@code /bin/sh -c}), with this JDK first on the PATH. */
    Result shell(String command) throws IOException, InterruptedException {
        return run(List.of("/bin/sh", "-c", map(command)), Map.of());
    }

    private Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path outputFile = Files.createTempFile("image-command-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(local(workdir).toFile()).redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", JAVA_BIN + ":/usr/local/bin:/usr/bin:/bin");
            env.forEach((name, value) -> builder.environment().put(name, map(value)));
            Process process = builder.start();
            // A guard against a hung JVM, not a speed check: the commands take about a second.
            boolean ended = process.waitFor(2, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(outputFile, StandardCharsets.UTF_8);
            if (!ended) {
                throw new AssertionError("still running after 2 minutes: " + command + "\n" + output);
            }
            return new Result(process.exitValue(), output, command);
        } finally {
            Files.deleteIfExists(outputFile);
        }
    }

    record Result(int exitCode, String output, List<String> command) {

        @Override
        public String toString() {
            return "exit " + exitCode + " of " + String.join(" ", command) + "\n" + output;
        }
    }
}
