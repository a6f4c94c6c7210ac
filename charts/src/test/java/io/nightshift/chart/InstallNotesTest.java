package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code helm install} tells the admin to do next. */
class InstallNotesTest {

    @Test
    void theNotesSayHowToApplyAJobWatchItAndWhereTheMetricsAre() {
        String notes = NightshiftChart.notes();

        assertThat(notes).contains("watches all namespaces")
                .contains("kind: MaintenanceJob")
                .contains("kubectl apply -f log-cleanup.yaml")
                .contains("kubectl get mj -n app")
                .contains("nightshift.io/run-now")
                .contains("port-forward svc/nightshift-metrics 8080")
                .contains("/metrics")
                .contains("Enable serviceMonitor.enabled")
                .contains("helm upgrade\" does not update it");
    }

    @Test
    void theNotesWarnThatTheDefaultImagesAreNotPublished() {
        assertThat(NightshiftChart.notes()).contains("WARNING: ghcr.io/nightshift-io/operator and ghcr.io/nightshift-io/job-runner are not published")
                .contains("-Dimage.registry=<your registry>").contains("--set image.repository=<your registry>/operator,runner.image.repository=");
        assertThat(NightshiftChart.notes("runner.image.repository", "registry.example.com/me/job-runner"))
                .contains("WARNING: ghcr.io/nightshift-io/operator is not published: pods using it stay in");
        assertThat(NightshiftChart.notes("image.repository", "registry.example.com/me/operator", "runner.image.repository",
                "registry.example.com/me/job-runner")).doesNotContain("WARNING");
    }

    @Test
    void inSecureModeTheNotesCurlWithATokenOverHttps() {
        assertThat(NightshiftChart.notes()).contains("create token")
                .contains("bound to the ClusterRole nightshift-metrics-reader")
                .contains("curl -sk -H \"Authorization: Bearer $TOKEN\" https://localhost:8080/metrics")
                .contains("https://localhost:8080/api/v1/jobs/status?namespace=app");
        assertThat(NightshiftChart.notes("metrics.secure", "false")).contains("curl -s localhost:8080/metrics")
                .doesNotContain("Bearer");
    }

    @Test
    void theNotesFollowTheValues() {
        String notes = NightshiftChart.notes("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b", "replicas", "2",
                "serviceMonitor.enabled", "true", "prometheusRule.enabled", "true", "grafanaDashboard.enabled", "true");

        assertThat(notes).contains("watches team-a, team-b")
                .contains("namespace: team-a")
                .contains("kubectl get mj -n team-a")
                .contains("Lease " + NightshiftChart.NAMESPACE + "/" + NightshiftChart.RELEASE)
                .contains("ServiceMonitor " + NightshiftChart.NAMESPACE + "/" + NightshiftChart.RELEASE)
                .contains("PrometheusRule")
                .contains("label grafana_dashboard=1")
                .doesNotContain("Enable serviceMonitor.enabled");
    }
}
