package io.nightshift.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every shell command of README.md, docs/, examples/ and bench/ as a reader would paste it: the files it
 * names exist, the flags and environment variables it gives the operator and the runner are ones they
 * read, and its Maven profiles and modules exist. Commands that need a cluster, Docker or a database
 * (kubectl, helm, docker, psql) are checked for the files they name only.
 */
class DocumentedCommandsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("(?m)^```(?:sh|bash|shell|console)\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern REPO_PATH = Pattern.compile(
            "(?<![\\w./-])((?:examples|charts|crds|bench|docs|job-runner|operator|sandbox|api|images|\\.ci)/[\\w./{},-]*)");
    private static final Pattern ENV = Pattern.compile("(?:^|\\s)(?:export\\s+)?([A-Z][A-Z0-9_]+)=");
    private static final Pattern FLAG = Pattern.compile("(?<=\\s)(--[a-z][a-z-]*)");
    private static final String OPERATOR_JAR = "operator/target/nightshift-operator.jar";
    private static final String RUNNER_JAR = "job-runner/target/nightshift-job-runner.jar";

    private static String operatorHelp;
    private static String runnerHelp;
    private static String settingsTables;

    /** One command as documented: the file and line it starts on, its text with continuations joined. */
    record Command(String file, int line, String text) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + text;
        }
    }

    @BeforeAll
    static void helpTexts() throws Exception {
        operatorHelp = run(OPERATOR_JAR, "--help");
        runnerHelp = run(RUNNER_JAR, "--help") + run(RUNNER_JAR, "run", "--help");
        settingsTables = Files.readString(ROOT.resolve("docs/operator.md")) + Files.readString(ROOT.resolve("docs/job-runner.md"));
    }

    private static String run(String jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ROOT.resolve(jar).toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(jar + " " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }

    static List<Command> commands() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("examples/README.md"), ROOT.resolve("bench/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Command> commands = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher block = FENCE.matcher(text);
            while (block.find()) {
                int line = text.substring(0, block.start(1)).split("\n", -1).length;
                StringBuilder current = new StringBuilder();
                int start = line;
                for (String raw : block.group(1).split("\n")) {
                    String code = raw.replaceAll("\\s+#.*$", "");
                    if (current.length() == 0) {
                        start = line;
                    }
                    current.append(code.endsWith("\\") ? code.substring(0, code.length() - 1) : code).append(' ');
                    if (!code.endsWith("\\")) {
                        if (!current.toString().isBlank()) {
                            commands.add(new Command(ROOT.relativize(file).toString(), start, current.toString().trim()));
                        }
                        current.setLength(0);
                    }
                    line++;
                }
            }
        }
        return commands;
    }

    @Test
    void theDocsHaveCommandsToCheck() throws Exception {
        assertThat(commands()).extracting(Command::text).anyMatch(c -> c.contains(OPERATOR_JAR)).anyMatch(c -> c.contains(RUNNER_JAR))
                .anyMatch(c -> c.startsWith("mvn "));
    }

    @Test
    void everyFileACommandNamesExists() throws Exception {
        for (Command command : commands()) {
            Matcher path = REPO_PATH.matcher(command.text());
            while (path.find()) {
                String named = path.group(1).replaceAll("[.,]+$", "");
                if (named.contains("{")) {
                    continue; // a pattern such as {operator,job-runner}, not a path
                }
                // a built artifact exists once its module is built: its module must exist
                Path expected = named.contains("/target/") ? ROOT.resolve(named.substring(0, named.indexOf("/target/"))).resolve("pom.xml")
                        : ROOT.resolve(named);
                assertThat(expected).as("%s names %s", command, named).exists();
            }
        }
    }

    @Test
    void everyFlagAndVariableGivenToTheOperatorOrTheRunnerIsOneItReads() throws Exception {
        for (Command command : commands()) {
            for (String part : command.text().split("&&|;|\\|")) {
                String help = part.contains(OPERATOR_JAR) || part.contains("docker run") && part.contains("/operator:") ? operatorHelp
                        : part.contains(RUNNER_JAR) || part.contains("docker run") && part.contains("/job-runner:") ? runnerHelp : null;
                if (help == null && !part.trim().startsWith("export ")) {
                    continue;
                }
                Matcher flag = FLAG.matcher(part.replaceAll("^.*?(\\.jar|:[\\w.-]+)\\s", " "));
                while (help != null && flag.find()) {
                    assertThat(help).as("%s passes %s, which the program's --help does not list", command, flag.group(1))
                            .containsPattern(Pattern.quote(flag.group(1)) + "(?![a-z-])");
                }
                Matcher env = ENV.matcher(part);
                while (env.find()) {
                    String variable = env.group(1);
                    assertThat(operatorHelp.contains(variable) || runnerHelp.contains(variable) || settingsTables.contains("`" + variable + "`"))
                            .as("%s sets %s, which neither program reads nor docs/operator.md or docs/job-runner.md lists", command, variable)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void everyMavenProfileAndModuleACommandNamesExists() throws Exception {
        String poms;
        try (Stream<Path> files = Files.walk(ROOT, 2)) {
            poms = String.join("\n", files.filter(p -> p.getFileName().toString().equals("pom.xml")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList());
        }
        for (Command command : commands()) {
            for (String part : command.text().split("&&|;")) {
                if (!part.trim().startsWith("mvn ")) {
                    continue;
                }
                Matcher profile = Pattern.compile("\\s-P([\\w,-]+)").matcher(part);
                while (profile.find()) {
                    for (String id : profile.group(1).split(",")) {
                        assertThat(poms).as("%s uses the profile %s", command, id).contains("<id>" + id + "</id>");
                    }
                }
                Matcher modules = Pattern.compile("\\s-pl\\s+([\\w,-]+)").matcher(part);
                while (modules.find()) {
                    for (String module : modules.group(1).split(",")) {
                        assertThat(ROOT.resolve(module).resolve("pom.xml")).as("%s builds the module %s", command, module).exists();
                    }
                }
            }
        }
    }

    @Test
    void theProgramsAnswerTheVersionFlagTheImageDocsShow() throws Exception {
        assertThat(run(RUNNER_JAR, "--version")).contains("nightshift");
        assertThat(run(OPERATOR_JAR, "--version")).contains("nightshift");
    }
}
