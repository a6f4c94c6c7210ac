package io.nightshift.sandbox;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files of the project the sandbox runs: {@code examples/}, the CRD and the runner's jar. Found in
 * the project folder the sandbox is started from or built in, unless given explicitly.
 */
public record ProjectFiles(Path examples, Path crd, Path runnerJar) {

    static final String CRD = "crds/maintenancejobs.nightshift.io-v1.yml";
    static final String RUNNER_JAR = "job-runner/target/nightshift-job-runner.jar";

    /** Each argument may be null: it is then looked up in the project folder. */
    public static ProjectFiles locate(Path examples, Path crd, Path runnerJar) {
        Optional<Path> root = projectRoot();
        Path e = examples != null ? examples : root.map(r -> r.resolve("examples")).orElse(null);
        Path c = crd != null ? crd : root.map(r -> r.resolve(CRD)).orElse(null);
        Path j = runnerJar != null ? runnerJar : root.map(r -> r.resolve(RUNNER_JAR)).orElse(null);
        List<String> problems = new ArrayList<>();
        if (e == null || !Files.isRegularFile(e.resolve("schema.sql"))) {
            problems.add("--examples: " + (e == null ? "no examples/ folder found" : e + " has no schema.sql")
                    + " (start the sandbox from the project folder, or give --examples DIR)");
        }
        if (c == null || !Files.isRegularFile(c)) {
            problems.add("--crd: " + (c == null ? "no " + CRD + " found" : c + " does not exist"));
        }
        if (j == null || !Files.isRegularFile(j)) {
            problems.add("--runner-jar: " + (j == null ? "no " + RUNNER_JAR + " found" : j + " does not exist")
                    + " (build it first: mvn -B package -DskipTests)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new ProjectFiles(e.toAbsolutePath().normalize(), c.toAbsolutePath().normalize(), j.toAbsolutePath().normalize());
    }

    /** The working folder or one above it, or the folder the sandbox jar was built in ({@code sandbox/target/..}/..). */
    private static Optional<Path> projectRoot() {
        List<Path> candidates = new ArrayList<>();
        Path cwd = Path.of("").toAbsolutePath();
        candidates.add(cwd);
        if (cwd.getParent() != null) {
            candidates.add(cwd.getParent());
        }
        CodeSource code = ProjectFiles.class.getProtectionDomain().getCodeSource();
        if (code != null && code.getLocation() != null) {
            try {
                for (Path p = Path.of(code.getLocation().toURI()).getParent(); p != null; p = p.getParent()) {
                    candidates.add(p);
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a file location: the working folder must do
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve(CRD)) && Files.isDirectory(p.resolve("examples"))).findFirst();
    }
}
