package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.metrics.MetricNames;
import io.nightshift.operator.resource.MaintenanceJob;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alerts and the dashboard read only series the operator really exports: the real operator runs against
 * Kubernetes' API mock with one MaintenanceJob, and its own /metrics is the reference, not a copied list.
 */
@EnableKubernetesMockClient(crud = true)
class AlertAndDashboardMetricsTest {

    /** Series Prometheus itself writes for every scrape target. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final ObjectMapper JSON = new ObjectMapper();

    static KubernetesClient client;
    private static NightshiftOperator operator;
    private static String scrape;
    private static Set<String> known;

    @BeforeAll
    static void startTheOperatorWithOneJob() throws IOException {
        client.apiextensions().v1().customResourceDefinitions()
                .load(NightshiftChart.DIRECTORY.resolve("crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        operator = NightshiftOperator.create(client, OperatorSettings.defaults("ghcr.io/nightshift-io/job-runner:test"), Clock.systemUTC());
        operator.start();
        client.resource(Serialization.unmarshal("""
                apiVersion: nightshift.io/v1alpha1
                kind: MaintenanceJob
                metadata: {name: log-cleanup, namespace: app}
                spec:
                  schedule: "0 3 * * *"
                  timeout: 30m
                  database: {secretName: app-db}
                  task: {retention: {table: public.system_logs, timestampColumn: timestamp, olderThan: 2d}}
                """, MaintenanceJob.class)).create();

        await().atMost(Duration.ofSeconds(30)).until(() -> operator.scrape().contains(MetricNames.NEXT_RUN_TIMESTAMP_SECONDS + "{")
                && operator.scrape().contains("operator_sdk_reconciliations_success_total"));
        scrape = operator.scrape();
        known = new HashSet<>(ExportedMetrics.names(scrape));
        known.addAll(MetricNames.ALL);
        known.addAll(PROMETHEUS_OWN);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.stop();
        }
    }

    /** Where each query comes from → the query. */
    private static Map<String, String> alertExpressions() {
        JsonNode rule = NightshiftChart.render("prometheusRule.enabled", "true").one("PrometheusRule");
        Map<String, String> expressions = new LinkedHashMap<>();
        MonitoringObjectsTest.alertRules(rule).forEach(a -> expressions.put("alert " + a.path("alert").asText(), a.path("expr").asText()));
        return expressions;
    }

    private static Map<String, String> dashboardExpressions() throws IOException {
        JsonNode dashboard = JSON.readTree(Files.readString(NightshiftChart.DIRECTORY.resolve("dashboards/nightshift.json")));
        Map<String, String> expressions = new LinkedHashMap<>();
        List<String> all = DashboardQueries.expressions(dashboard);
        for (int i = 0; i < all.size(); i++) {
            expressions.put("dashboard query " + (i + 1), all.get(i));
        }
        return expressions;
    }

    /** One line per metric the operator does not export, or per function PromQL does not have. */
    static List<String> problems(Map<String, String> expressions, Set<String> known) {
        List<String> problems = new ArrayList<>();
        expressions.forEach((where, expr) -> {
            PromQlMetricNames names = PromQlMetricNames.in(expr);
            names.metrics().stream().filter(m -> !known.contains(m))
                    .forEach(m -> problems.add(where + " reads " + m + ", which the operator does not export: " + expr));
            names.unknownFunctions().forEach(f -> problems.add(where + " calls " + f + "(), which PromQL does not have: " + expr));
        });
        return problems;
    }

    private static Set<String> metricsRead(Map<String, String> expressions) {
        Set<String> metrics = new HashSet<>();
        expressions.values().forEach(e -> metrics.addAll(PromQlMetricNames.in(e).metrics()));
        return metrics;
    }

    @Test
    void theAlertsReadOnlyExportedSeries() {
        Map<String, String> expressions = alertExpressions();

        assertThat(problems(expressions, known)).isEmpty();
        assertThat(metricsRead(expressions)).contains(MetricNames.CONSECUTIVE_FAILURES, MetricNames.OVERDUE,
                MetricNames.RUN_STARTED_TIMESTAMP_SECONDS, MetricNames.TIMEOUT_SECONDS, MetricNames.NEXT_RUN_TIMESTAMP_SECONDS,
                "operator_sdk_reconciliations_started_total", "up");
    }

    @Test
    void theDashboardReadsOnlyExportedSeries() throws IOException {
        Map<String, String> expressions = dashboardExpressions();

        assertThat(problems(expressions, known)).isEmpty();
        assertThat(metricsRead(expressions)).contains(MetricNames.RUNS_TOTAL, MetricNames.LAST_RUN_DURATION_SECONDS,
                MetricNames.LAST_SUCCESS_TIMESTAMP_SECONDS, MetricNames.LAST_RUN_STAT, "operator_sdk_controllers_execution_reconcile_seconds_bucket");
    }

    @Test
    void aMisspeltMetricNameWouldFailTheCheck() throws IOException {
        Map<String, String> misspelt = new LinkedHashMap<>();
        alertExpressions().forEach((where, expr) -> misspelt.put(where, expr.replace("nightshift_job_overdue", "nightshift_job_overdeu")));
        dashboardExpressions().forEach((where, expr) -> misspelt.put(where,
                expr.replace("operator_sdk_reconciliations_success_total", "operator_sdk_reconciliation_success_total")));

        assertThat(problems(misspelt, known))
                .anyMatch(p -> p.startsWith("alert NightshiftJobOverdue reads nightshift_job_overdeu,"))
                .anyMatch(p -> p.contains("reads operator_sdk_reconciliation_success_total,"));
    }

    @Test
    void theJobSeriesCarryTheLabelsTheQueriesUse() {
        for (String metric : List.of(MetricNames.CONSECUTIVE_FAILURES, MetricNames.OVERDUE, MetricNames.NEXT_RUN_TIMESTAMP_SECONDS,
                MetricNames.TIMEOUT_SECONDS, MetricNames.SUSPENDED)) {
            assertThat(ExportedMetrics.labelNames(scrape, metric)).as(metric).containsExactlyInAnyOrder("namespace", "name", "task");
        }
        assertThat(ExportedMetrics.labelNames(scrape, MetricNames.RUNS_TOTAL)).contains("namespace", "name", "task", "result");
        assertThat(scrape).contains(MetricNames.TIMEOUT_SECONDS + "{name=\"log-cleanup\",namespace=\"app\",task=\"retention\"} 1800.0");
    }
}
