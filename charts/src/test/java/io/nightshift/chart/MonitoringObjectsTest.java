package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics Service, and the ServiceMonitor, PrometheusRule and dashboard that appear only when asked for. */
class MonitoringObjectsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ALERTS = List.of("NightshiftJobFailed", "NightshiftJobFailingRepeatedly", "NightshiftJobOverdue",
            "NightshiftJobRunningPastTimeout", "NightshiftPartitionsRunningOut", "NightshiftPartitionsDefaultRows", "NightshiftOperatorDown", "NightshiftOperatorReconcilesFailing",
            "NightshiftOperatorNotReconciling");

    static List<JsonNode> alertRules(JsonNode prometheusRule) {
        List<JsonNode> rules = new ArrayList<>();
        prometheusRule.at("/spec/groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    @Test
    void byDefaultOnlyTheServiceIsThereForScraping() {
        RenderedChart chart = NightshiftChart.render();

        assertThat(chart.ofKind("ServiceMonitor")).isEmpty();
        assertThat(chart.ofKind("PrometheusRule")).isEmpty();
        assertThat(chart.ofKind("ConfigMap")).isEmpty();
        Service service = chart.one("Service", Service.class);
        Deployment deployment = chart.one("Deployment", Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("metrics");
            assertThat(port.getTargetPort().getStrVal()).isIn(
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream().map(ContainerPort::getName).toList());
        });
    }

    @Test
    void theServiceMonitorScrapesTheServiceKeepingTheJobsNamespaceLabel() {
        RenderedChart chart = NightshiftChart.render("serviceMonitor.enabled", "true", "serviceMonitor.labels.release", "prometheus",
                "serviceMonitor.interval", "1m");

        JsonNode monitor = chart.one("ServiceMonitor");
        Service service = chart.one("Service", Service.class);
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        Map<String, String> selector = JSON.convertValue(monitor.at("/spec/selector/matchLabels"), new TypeReference<>() {
        });
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertThat(monitor.at("/spec/namespaceSelector/matchNames/0").asText()).isEqualTo(service.getMetadata().getNamespace());
        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertThat(endpoint.path("port").asText()).isEqualTo(service.getSpec().getPorts().get(0).getName());
        assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
        assertThat(endpoint.path("interval").asText()).isEqualTo("1m");
        assertThat(endpoint.path("honorLabels").asBoolean()).as("the series' own namespace label must win over the target's").isTrue();
    }

    @Test
    void everyAlertSaysWhatHappenedAndWhatToDo() {
        JsonNode rule = NightshiftChart.render("prometheusRule.enabled", "true").one("PrometheusRule");

        List<JsonNode> alerts = alertRules(rule);
        assertThat(alerts).extracting(a -> a.path("alert").asText()).containsExactlyInAnyOrderElementsOf(ALERTS);
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            assertThat(alert.path("expr").asText()).as(name).isNotBlank();
            assertThat(alert.at("/labels/severity").asText()).as(name).isIn("critical", "warning", "info");
            assertThat(alert.at("/annotations/summary").asText()).as(name).isNotBlank();
            assertThat(alert.at("/annotations/description").asText()).as(name).isNotBlank();
            assertThat(alert.at("/annotations/runbook").asText()).as(name).contains("kubectl");
            assertThat(alert.at("/annotations/runbook_url").isMissingNode()).as(name).isTrue();
        }
        assertThat(alerts).filteredOn(a -> a.path("alert").asText().startsWith("NightshiftJob"))
                .allSatisfy(a -> assertThat(a.at("/annotations/runbook").asText()).contains("job_executions"));
    }

    @Test
    void theConsecutiveFailuresThresholdAndEachAlertAreConfigurable() {
        JsonNode rule = NightshiftChart.render("prometheusRule.enabled", "true",
                "prometheusRule.alerts.jobFailingRepeatedly.consecutiveFailures", "5",
                "prometheusRule.alerts.jobFailingRepeatedly.severity", "warning",
                "prometheusRule.alerts.jobOverdue.enabled", "false",
                "prometheusRule.additionalAlertLabels.team", "data",
                "prometheusRule.runbookUrl", "https://runbooks.example.com/nightshift").one("PrometheusRule");

        List<JsonNode> alerts = alertRules(rule);
        JsonNode repeated = alerts.stream().filter(a -> a.path("alert").asText().equals("NightshiftJobFailingRepeatedly")).findFirst()
                .orElseThrow();
        assertThat(repeated.path("expr").asText()).endsWith(">= 5");
        assertThat(repeated.at("/labels/severity").asText()).isEqualTo("warning");
        assertThat(alerts).extracting(a -> a.path("alert").asText()).doesNotContain("NightshiftJobOverdue").hasSize(ALERTS.size() - 1);
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.at("/labels/team").asText()).isEqualTo("data");
            assertThat(a.at("/annotations/runbook_url").asText())
                    .isEqualTo("https://runbooks.example.com/nightshift#" + a.path("alert").asText());
        });
    }

    @Test
    void thePartitionsAlertsReadTheAheadAndDefaultRowsOfPartitionsJobs() {
        RenderedChart chart = NightshiftChart.render("prometheusRule.enabled", "true", "prometheusRule.alerts.partitionsRunningOut.minAhead", "3",
                "prometheusRule.alerts.partitionsDefaultRows.severity", "critical");
        String job = "job=\"" + chart.one("Service").at("/metadata/name").asText() + "\"";
        Map<String, JsonNode> alerts = new HashMap<>();
        alertRules(chart.one("PrometheusRule")).forEach(a -> alerts.put(a.path("alert").asText(), a));

        assertThat(alerts.get("NightshiftPartitionsRunningOut").path("expr").asText())
                .isEqualTo("nightshift_job_last_run_stat{" + job + ",task=\"partitions\",stat=\"ahead\"} < 3");
        assertThat(alerts.get("NightshiftPartitionsRunningOut").at("/labels/severity").asText()).isEqualTo("critical");
        assertThat(alerts.get("NightshiftPartitionsDefaultRows").path("expr").asText())
                .isEqualTo("nightshift_job_last_run_stat{" + job + ",task=\"partitions\",stat=\"defaultRows\"} > 0");
        assertThat(alerts.get("NightshiftPartitionsDefaultRows").at("/labels/severity").asText()).isEqualTo("critical");
        assertThat(alerts.get("NightshiftPartitionsDefaultRows").at("/annotations/runbook").asText())
                .contains("Rows in the DEFAULT partition").contains("job_executions");
    }

    @Test
    void alertsSelectTheOperatorsScrapeJob() {
        RenderedChart chart = NightshiftChart.render("prometheusRule.enabled", "true");
        String service = chart.one("Service").at("/metadata/name").asText();
        for (JsonNode alert : alertRules(chart.one("PrometheusRule"))) {
            assertThat(alert.path("expr").asText()).as(alert.path("alert").asText()).contains("job=\"" + service + "\"");
        }

        JsonNode custom = NightshiftChart.render("prometheusRule.enabled", "true", "prometheusRule.scrapeJob", "nightshift-pods")
                .one("PrometheusRule");
        assertThat(alertRules(custom)).allSatisfy(a -> assertThat(a.path("expr").asText()).contains("job=\"nightshift-pods\""));
    }

    @Test
    void theDashboardConfigMapCarriesTheChartsDashboardForTheSidecar() throws IOException {
        RenderedChart chart = NightshiftChart.render("grafanaDashboard.enabled", "true", "grafanaDashboard.sidecarLabel", "grafana_dashboard",
                "grafanaDashboard.sidecarLabelValue", "nightshift", "grafanaDashboard.namespace", "monitoring",
                "grafanaDashboard.annotations.grafana_folder", "Databases");

        JsonNode configMap = chart.one("ConfigMap");
        assertThat(configMap.at("/metadata/namespace").asText()).isEqualTo("monitoring");
        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("nightshift");
        assertThat(configMap.at("/metadata/annotations/grafana_folder").asText()).isEqualTo("Databases");
        String json = configMap.at("/data/nightshift.json").asText();
        assertThat(JSON.readTree(json)).isEqualTo(JSON.readTree(NightshiftChart.DIRECTORY.resolve("dashboards/nightshift.json").toFile()));

        JsonNode otherLabel = NightshiftChart.render("grafanaDashboard.enabled", "true",
                "grafanaDashboard.sidecarLabel", "dashboards.example.com/grafana").one("ConfigMap");
        assertThat(otherLabel.at("/metadata/labels/dashboards.example.com~1grafana").asText()).isEqualTo("1");
        assertThat(otherLabel.at("/metadata/namespace").asText()).isEqualTo(NightshiftChart.NAMESPACE);
    }

    @Test
    void theDashboardShowsEachJobFilteredByNamespaceAndJob() throws IOException {
        JsonNode dashboard = JSON.readTree(Files.readString(NightshiftChart.DIRECTORY.resolve("dashboards/nightshift.json")));

        List<String> variables = new ArrayList<>();
        dashboard.at("/templating/list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("namespace", "job");
        assertThat(DashboardQueries.panels(dashboard)).extracting(p -> p.path("title").asText())
                .contains("Jobs", "Last run duration", "Time since last success", "Last run stats", "Failed runs by job");
        for (String expr : DashboardQueries.panelExpressions(dashboard)) {
            if (expr.contains("nightshift_job_")) {
                assertThat(expr).as("a per-job query must follow the variables").contains("namespace=~\"$namespace\"")
                        .contains("name=~\"$job\"");
            }
        }
        JsonNode jobsTable = DashboardQueries.panels(dashboard).stream().filter(p -> p.path("title").asText().equals("Jobs")).findFirst()
                .orElseThrow();
        assertThat(jobsTable.path("type").asText()).isEqualTo("table");
        assertThat(jobsTable.path("targets").toString()).contains("nightshift_job_consecutive_failures",
                "nightshift_job_last_success_timestamp_seconds", "nightshift_job_last_run_duration_seconds");
    }
}
