package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README says the default images are not published, and the commands it gives to use your own name what exists. */
class ReadmeImageCommandsTest {

    private static final Path PROJECT = Path.of("..");
    private static final Pattern SET = Pattern.compile("--set (\\S+)");

    private static String readme() throws IOException {
        return Files.readString(PROJECT.resolve("README.md"));
    }

    @Test
    void theReadmeSaysTheDefaultImagesAreNotPublishedWhereItRunsThem() throws IOException {
        String readme = readme();
        String fromYourMachine = readme.substring(readme.indexOf("Run the operator from your machine"), readme.indexOf("## Install in a cluster"))
                .replaceAll("\\s+", " ");
        assertThat(fromYourMachine).contains("is not published**").contains("NIGHTSHIFT_RUNNER_IMAGE=")
                .contains("docker build -f job-runner/Dockerfile").contains("-Pimage package");
        String helm = readme.substring(readme.indexOf("## Install in a cluster"), readme.indexOf("## Images")).replaceAll("\\s+", " ");
        assertThat(helm).contains("are not published**").contains("runner.image.repository=");
    }

    @Test
    void everyValueTheReadmeSetsIsOneOfTheChart() throws IOException {
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(NightshiftChart.DIRECTORY.resolve("values.yaml").toFile());
        List<String> keys = new ArrayList<>();
        Matcher m = SET.matcher(readme());
        while (m.find()) {
            for (String assignment : m.group(1).replace("'", "").split(",")) {
                keys.add(assignment.substring(0, assignment.indexOf('=')));
            }
        }
        assertThat(keys).contains("image.repository", "image.tag", "runner.image.repository", "runner.image.tag");
        // A key is the chart's when it is in values.yaml, or goes into a map there (serviceMonitor.labels.release),
        // or into an entry of a list there (metrics.readerServiceAccounts[0].name).
        assertThat(keys).allSatisfy(key -> {
            if (key.contains("[")) {
                assertThat(values.at("/" + key.substring(0, key.indexOf('[')).replace('.', '/')).isArray()).as(key).isTrue();
                return;
            }
            JsonNode node = values.at("/" + key.replace('.', '/'));
            JsonNode parent = values.at("/" + key.substring(0, key.lastIndexOf('.')).replace('.', '/'));
            assertThat(!node.isMissingNode() || parent.isObject() && parent.isEmpty()).as(key).isTrue();
        });
    }

    @Test
    void theImageBuildPropertiesAndTheRunnerImageVariableExist() throws IOException {
        assertThat(readme()).contains("-Dimage.registry=");
        assertThat(Files.readString(PROJECT.resolve("job-runner/pom.xml"))).contains("${image.registry}/job-runner");
        assertThat(Files.readString(PROJECT.resolve("operator/pom.xml"))).contains("${image.registry}/operator");
        assertThat(Files.readString(PROJECT.resolve("operator/src/main/java/io/nightshift/operator/config/OperatorSettings.java")))
                .contains("\"NIGHTSHIFT_RUNNER_IMAGE\"");
        assertThat(PROJECT.resolve("job-runner/Dockerfile")).isRegularFile();
    }
}
