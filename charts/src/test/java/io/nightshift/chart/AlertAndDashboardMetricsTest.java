package io.nightshift.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.http.AccessReviewer;
import io.nightshift.operator.http.HttpSecurity;
import io.nightshift.operator.http.OperatorHttpServer;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.metrics.MetricNames;
import io.nightshift.operator.resource.MaintenanceJob;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The alerts and the dashboard read only series the operator really exports: the real operator runs against
 * Kubernetes' API mock with one MaintenanceJob, and its own /metrics is the reference, not a copied list. It is
 * scraped the way the chart's ServiceMonitor scrapes in secure mode: HTTPS, with Prometheus' bearer token, which
 * the operator reviews with the API server.
 */
@EnableKubernetesMockClient(crud = true)
class AlertAndDashboardMetricsTest {

    /** Series Prometheus itself writes for every scrape target. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TOKEN = "prometheus-service-account-token";
    private static final JsonNode NIGHTSHIFT_MONITOR = NightshiftChart.render("serviceMonitor.enabled", "true").one("ServiceMonitor");

    static KubernetesClient client;
    static KubernetesMockServer server;
    private static NightshiftOperator operator;
    private static OperatorHttpServer http;
    private static HttpClient prometheus;
    private static String scrape;
    private static Set<String> known;

    @BeforeAll
    static void startTheOperatorWithOneJob() throws Exception {
        client.apiextensions().v1().customResourceDefinitions()
                .load(NightshiftChart.DIRECTORY.resolve("crds/maintenancejobs.nightshift.io-v1.yml").toFile()).create();
        operator = NightshiftOperator.create(client, OperatorSettings.defaults("ghcr.io/nightshift-io/job-runner:test"), Clock.systemUTC());
        operator.start();
        answerAccessReviewsForPrometheus();
        HttpSecurity security = HttpSecurity.create(client, null, Clock.systemUTC(), AccessReviewer.DEFAULT_TTL);
        http = operator.serveHttp(new InetSocketAddress("127.0.0.1", 0), security);
        prometheus = trusting(security.tls().certificate());
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

        await().atMost(Duration.ofSeconds(30)).until(() -> scrapeLikeTheServiceMonitor().contains(MetricNames.NEXT_RUN_TIMESTAMP_SECONDS + "{")
                && scrapeLikeTheServiceMonitor().contains("operator_sdk_reconciliations_success_total"));
        scrape = scrapeLikeTheServiceMonitor();
        known = new HashSet<>(ExportedMetrics.names(scrape));
        known.addAll(MetricNames.ALL);
        known.addAll(PROMETHEUS_OWN);
    }

    /** The API server's answers: the token is Prometheus' service account's, which is bound to the metrics-reader role. */
    private static void answerAccessReviewsForPrometheus() {
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request -> {
            TokenReview review = Serialization.unmarshal(request.getUtf8Body(), TokenReview.class);
            boolean known = PROMETHEUS_TOKEN.equals(review.getSpec().getToken());
            review.setStatus(new TokenReviewStatusBuilder().withAuthenticated(known)
                    .withUser(known ? new UserInfoBuilder().withUsername("system:serviceaccount:monitoring:prometheus").build() : null).build());
            return review;
        }).always();
        JsonNode reader = NightshiftChart.render().named("ClusterRole", NightshiftChart.RELEASE + "-metrics-reader").at("/rules/0");
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201, request -> {
            SubjectAccessReview review = Serialization.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
            var asked = review.getSpec().getNonResourceAttributes();
            boolean allowed = asked != null && reader.path("nonResourceURLs").toString().contains("\"" + asked.getPath() + "\"")
                    && reader.path("verbs").toString().contains("\"" + asked.getVerb() + "\"");
            review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed).build());
            return review;
        }).always();
    }

    /** GET scheme://address/path with the bearer token, as the chart's ServiceMonitor says in secure mode. */
    private static String scrapeLikeTheServiceMonitor() throws IOException, InterruptedException {
        JsonNode endpoint = NIGHTSHIFT_MONITOR.at("/spec/endpoints/0");
        assertThat(endpoint.path("scheme").asText()).isEqualTo("https");
        assertThat(endpoint.path("bearerTokenFile").asText()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
        HttpResponse<String> response = prometheus.send(HttpRequest.newBuilder(
                URI.create(endpoint.path("scheme").asText() + "://127.0.0.1:" + http.port() + endpoint.path("path").asText()))
                .header("Authorization", "Bearer " + PROMETHEUS_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static HttpClient trusting(X509Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("operator", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
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
