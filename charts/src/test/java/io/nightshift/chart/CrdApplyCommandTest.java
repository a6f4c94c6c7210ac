package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every documented command that applies the CRD is one a user can paste on a cluster where Helm, kubectl
 * create or a plain kubectl apply installed it before: server-side apply that takes over the fields those
 * managers own (without --force-conflicts the API server answers "Apply failed with 1 conflict").
 */
class CrdApplyCommandTest {

    private static final Path PROJECT = Path.of("..");
    private static final String COMMAND = "kubectl apply --server-side --force-conflicts -f ";

    private static List<String> crdApplyLines(String text) {
        return text.lines().filter(l -> l.contains("kubectl apply") && l.contains("crds/")).map(String::strip).toList();
    }

    private static List<Path> docs() throws IOException {
        List<Path> files = new ArrayList<>(List.of(PROJECT.resolve("README.md"), PROJECT.resolve("examples/README.md")));
        try (Stream<Path> docs = Files.list(PROJECT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void theReadmeAndDocsApplyTheCrdServerSideTakingOverItsFields() throws IOException {
        List<String> commands = new ArrayList<>();
        for (Path doc : docs()) {
            for (String line : crdApplyLines(Files.readString(doc))) {
                commands.add(line);
                assertThat(line).as(doc + ": " + line).contains(COMMAND);
                String folder = line.substring(line.indexOf(COMMAND) + COMMAND.length()).split("\\s")[0];
                assertThat(PROJECT.resolve(folder)).as("the folder %s names", doc).isDirectoryContaining("glob:**.yml");
            }
        }
        assertThat(commands).as("the README's upgrade command").anySatisfy(c -> assertThat(c).contains(COMMAND + "charts/nightshift/crds/"));
    }

    @Test
    void theInstallNotesGiveTheSameCommand() {
        List<String> lines = crdApplyLines(NightshiftChart.notes());
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith(COMMAND));
    }

    @Test
    void theReadmeSaysWhyForceConflictsIsNeeded() throws IOException {
        assertThat(Files.readString(PROJECT.resolve("README.md"))).contains("`--force-conflicts` is needed");
    }
}
