package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** What ships in the chart: it lints clean, carries the operator's version once, and the CRD the build generates. */
class ChartPackagingTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void strictLintPasses() {
        LintResult lint = NightshiftChart.lint();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
    }

    @Test
    void everyToggleRendersItsObjects() {
        RenderedChart defaults = NightshiftChart.render();
        assertThat(defaults.kinds()).containsExactlyInAnyOrder("ServiceAccount/nightshift", "ClusterRole/nightshift",
                "ClusterRole/nightshift-edit", "ClusterRole/nightshift-view", "ClusterRoleBinding/nightshift", "Service/nightshift-metrics",
                "Deployment/nightshift", "ClusterRole/nightshift-metrics-auth", "ClusterRoleBinding/nightshift-metrics-auth",
                "ClusterRole/nightshift-metrics-reader");

        RenderedChart everything = NightshiftChart.render("replicas", "2", "watchNamespaces[0]", "team-a",
                "serviceMonitor.enabled", "true", "prometheusRule.enabled", "true", "grafanaDashboard.enabled", "true",
                "networkPolicy.enabled", "true", "metrics.tls.secretName", "nightshift-metrics-tls",
                "metrics.readerServiceAccounts[0].name", "prometheus", "metrics.readerServiceAccounts[0].namespace", "monitoring");
        assertThat(everything.kinds()).containsExactlyInAnyOrder("ServiceAccount/nightshift", "ClusterRole/nightshift-edit",
                "ClusterRole/nightshift-view", "Role/nightshift", "RoleBinding/nightshift", "Role/nightshift-leader-election",
                "RoleBinding/nightshift-leader-election", "Service/nightshift-metrics", "Deployment/nightshift",
                "ServiceMonitor/nightshift", "PrometheusRule/nightshift", "ConfigMap/nightshift-dashboard",
                "ClusterRole/nightshift-metrics-auth", "ClusterRoleBinding/nightshift-metrics-auth", "ClusterRole/nightshift-metrics-reader",
                "ClusterRoleBinding/nightshift-metrics-reader", "PodDisruptionBudget/nightshift", "NetworkPolicy/nightshift");

        RenderedChart plain = NightshiftChart.render("metrics.secure", "false", "rbac.aggregateToDefaultRoles", "false");
        assertThat(plain.kinds()).containsExactlyInAnyOrder("ServiceAccount/nightshift", "ClusterRole/nightshift",
                "ClusterRoleBinding/nightshift", "Service/nightshift-metrics", "Deployment/nightshift");
        assertThat(everything.objects()).allSatisfy(o -> {
            assertThat(o.path("apiVersion").asText()).isNotBlank();
            assertThat(o.at("/metadata/name").asText()).isNotBlank();
        });
    }

    @Test
    void appVersionIsTheMavenProjectVersion() throws Exception {
        assertThat(chartYaml().path("appVersion").asText()).isEqualTo(mavenProjectVersion());
    }

    @Test
    void imagesDefaultToTheAppVersionAndNoOtherFileRepeatsIt() throws IOException {
        String appVersion = chartYaml().path("appVersion").asText();
        String chartVersion = chartYaml().path("version").asText();

        Deployment deployment = NightshiftChart.render().one("Deployment", Deployment.class);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).endsWith(":" + appVersion);
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("NIGHTSHIFT_RUNNER_IMAGE");
            assertThat(e.getValue()).endsWith("job-runner:" + appVersion);
        });

        for (Path file : chartFilesExceptChartYaml()) {
            String text = Files.readString(file);
            assertThat(text).as("%s repeats the appVersion; use .Chart.AppVersion", file).doesNotContain(appVersion);
            assertThat(text).as("%s repeats the chart version; use .Chart.Version", file)
                    .doesNotContainPattern("(?<![\\w.])" + Pattern.quote(chartVersion) + "(?![\\w.])");
        }
    }

    @Test
    void theChartShipsTheGeneratedCrdUnchanged() throws IOException {
        Path generated = Path.of("../crds/maintenancejobs.nightshift.io-v1.yml");
        Path shipped = NightshiftChart.DIRECTORY.resolve("crds/maintenancejobs.nightshift.io-v1.yml");

        assertThat(Files.readAllBytes(shipped))
                .as("charts/nightshift/crds/ differs from crds/: refresh both with  mvn -pl operator -am process-classes -Pupdate-crds")
                .isEqualTo(Files.readAllBytes(generated));
        try (Stream<Path> files = Files.list(shipped.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("maintenancejobs.nightshift.io-v1.yml");
        }
    }

    @Test
    void aClusterOlderThanTheChartSupportsIsRefusedByName() {
        assertThatThrownBy(() -> NightshiftChart.renderTextFor("1.26.0"))
                .hasMessageContaining("kubeVersion")
                .hasMessageContaining("1.26.0");
    }

    private static JsonNode chartYaml() throws IOException {
        return YAML.readTree(NightshiftChart.DIRECTORY.resolve("Chart.yaml").toFile());
    }

    private static String mavenProjectVersion() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element project = factory.newDocumentBuilder().parse(Path.of("../pom.xml").toFile()).getDocumentElement();
        var children = project.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getLocalName().equals("version")) {
                return e.getTextContent().trim();
            }
        }
        throw new IllegalStateException("the root pom.xml has no <version>");
    }

    private static List<Path> chartFilesExceptChartYaml() throws IOException {
        try (Stream<Path> files = Files.walk(NightshiftChart.DIRECTORY)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals("Chart.yaml"))
                    .filter(f -> !f.startsWith(NightshiftChart.DIRECTORY.resolve("crds")))
                    .toList();
        }
    }
}
