package io.nightshift.operator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.nightshift.operator.Fixtures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secure mode over a real HTTPS socket on 127.0.0.1, the API mock answering the TokenReviews and SubjectAccessReviews:
 * a Prometheus with the metrics-reader role scrapes, nothing else does; a user reads the status of exactly the
 * namespaces where they may list MaintenanceJobs.
 */
@EnableKubernetesMockClient
class SecureHttpServerTest {

    static final String PROMETHEUS = "system:serviceaccount:monitoring:prometheus";

    KubernetesMockServer server;
    KubernetesClient client;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T03:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final FakeAuthApi api = new FakeAuthApi(
            Map.of("prometheus-token", PROMETHEUS, "alice-token", "alice", "admin-token", "admin"),
            Map.of(PROMETHEUS, Set.of("get /metrics"),
                    "alice", Set.of("list maintenancejobs in team-a", "get maintenancejobs in team-a"),
                    "admin", Set.of("list maintenancejobs in *", "list maintenancejobs in team-a")));
    private ServerTls tls;
    private OperatorHttpServer http;
    private HttpClient https;

    @BeforeEach
    void start() throws Exception {
        api.serveOn(server);
        tls = ServerTls.selfSigned(clock, java.util.List.of());
        http = new OperatorHttpServer(new InetSocketAddress("127.0.0.1", 0), new HttpSecurity(tls, new AccessReviewer(AccessReviewer.failFastClient(client), clock, Duration.ofSeconds(10))),
                () -> "nightshift_up 1\n", () -> true,
                () -> java.util.List.of(Fixtures.logCleanup("team-a", "log-cleanup"), Fixtures.logCleanup("team-b", "audio-cleanup")));
        https = trusting(tls.certificate());
    }

    @AfterEach
    void stop() {
        http.close();
    }

    static HttpClient trusting(X509Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("operator", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + http.port() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutATokenNothingButTheProbesAnswers() throws Exception {
        for (String path : new String[] {"/metrics", "/api/v1/jobs/status", "/api/v1/jobs/status?namespace=team-a",
                "/internal/api/v1/jobs/status", "/api/v1/jobs/team-a/log-cleanup/runs", "/api/v1/jobs/team-a/nothing-here/runs",
                "/api/v1/jobs/status?bad=1", "/api/v1/jobs/other"}) {
            HttpResponse<String> response = get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer realm=\"nightshift\"");
            assertThat(response.body()).as(path).contains("bearer token");
        }
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
        assertThat(api.tokenReviews).isEmpty();
    }

    @Test
    void aTokenTheApiServerDoesNotKnowIsUnauthorized() throws Exception {
        HttpResponse<String> response = get("/metrics", "made-up");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("token not found");
        assertThat(api.tokenReviews).singleElement().satisfies(r -> assertThat(r.getSpec().getToken()).isEqualTo("made-up"));
        assertThat(api.accessReviews).isEmpty();
    }

    @Test
    void prometheusWithTheMetricsReaderRoleScrapesAndNobodyElse() throws Exception {
        HttpResponse<String> scrape = get("/metrics", "prometheus-token");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("nightshift_up 1");
        assertThat(api.accessReviews).singleElement().satisfies(review -> {
            assertThat(review.getSpec().getUser()).isEqualTo(PROMETHEUS);
            assertThat(review.getSpec().getGroups()).containsExactly("system:authenticated");
            assertThat(review.getSpec().getNonResourceAttributes().getPath()).isEqualTo("/metrics");
            assertThat(review.getSpec().getNonResourceAttributes().getVerb()).isEqualTo("get");
            assertThat(review.getSpec().getResourceAttributes()).isNull();
        });

        HttpResponse<String> alice = get("/metrics", "alice-token");
        assertThat(alice.statusCode()).isEqualTo(403);
        assertThat(alice.body()).contains("user alice may not get /metrics");
        assertThat(get("/api/v1/jobs/status", "prometheus-token").statusCode()).as("the metrics role does not read job status").isEqualTo(403);
    }

    @Test
    void aUserReadsTheStatusOfExactlyTheNamespacesWhereTheyMayListMaintenanceJobs() throws Exception {
        HttpResponse<String> own = get("/api/v1/jobs/status?namespace=team-a", "alice-token");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("\"job_name\":\"log-cleanup\"").doesNotContain("team-b");
        assertThat(api.accessReviews).singleElement().satisfies(review -> {
            ResourceAttributes asked = review.getSpec().getResourceAttributes();
            assertThat(asked.getVerb()).isEqualTo("list");
            assertThat(asked.getGroup()).isEqualTo("nightshift.io");
            assertThat(asked.getResource()).isEqualTo("maintenancejobs");
            assertThat(asked.getNamespace()).isEqualTo("team-a");
        });

        HttpResponse<String> other = get("/api/v1/jobs/status?namespace=team-b", "alice-token");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("user alice may not list maintenancejobs.nightshift.io in namespace team-b");
        HttpResponse<String> all = get("/api/v1/jobs/status", "alice-token");
        assertThat(all.statusCode()).isEqualTo(403);
        assertThat(all.body()).contains("in all namespaces");
        assertThat(api.accessReviews.get(2).getSpec().getResourceAttributes().getNamespace()).as("cluster-wide").isEmpty();

        HttpResponse<String> admin = get("/api/v1/jobs/status", "admin-token");
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("\"namespace\":\"team-a\"").contains("\"namespace\":\"team-b\"");
    }

    @Test
    void theOriginalStatusPathHasTheSameAccessRules() throws Exception {
        assertThat(get("/internal/api/v1/jobs/status?namespace=team-a", "alice-token").statusCode()).isEqualTo(200);
        assertThat(get("/internal/api/v1/jobs/status?namespace=team-b", "alice-token").statusCode()).isEqualTo(403);
        assertThat(get("/internal/api/v1/jobs/status", "alice-token").statusCode()).isEqualTo(403);
        assertThat(get("/internal/api/v1/jobs/status", "prometheus-token").statusCode()).isEqualTo(403);
        assertThat(get("/internal/api/v1/jobs/status", "admin-token").body()).contains("team-b");
    }

    @Test
    void theRunsOfAJobNeedGetOnThatMaintenanceJob() throws Exception {
        HttpResponse<String> own = get("/api/v1/jobs/team-a/log-cleanup/runs", "alice-token");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).isEqualTo("{\"data\":[]}");
        assertThat(api.accessReviews).singleElement().satisfies(review -> {
            ResourceAttributes asked = review.getSpec().getResourceAttributes();
            assertThat(asked.getVerb()).isEqualTo("get");
            assertThat(asked.getGroup()).isEqualTo("nightshift.io");
            assertThat(asked.getResource()).isEqualTo("maintenancejobs");
            assertThat(asked.getNamespace()).isEqualTo("team-a");
            assertThat(asked.getName()).isEqualTo("log-cleanup");
        });

        HttpResponse<String> other = get("/api/v1/jobs/team-b/audio-cleanup/runs", "alice-token");
        assertThat(other.statusCode()).as("another namespace's job is refused before anyone says whether it exists").isEqualTo(403);
        assertThat(other.body()).contains("user alice may not get maintenancejobs.nightshift.io audio-cleanup in namespace team-b");
        assertThat(get("/api/v1/jobs/team-b/no-such-job/runs", "alice-token").statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/jobs/team-a/no-such-job/runs", "alice-token").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/jobs/team-a/log-cleanup/runs", "prometheus-token").statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/jobs/team-a/log-cleanup/oops", "alice-token").statusCode())
                .as("a path the API does not serve needs list in all namespaces").isEqualTo(403);
    }

    @Test
    void scrapesWithinTheCacheTimeCostOneReviewOfEach() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/metrics", "prometheus-token").statusCode()).isEqualTo(200);
            now.set(now.get().plusSeconds(1));
        }
        assertThat(api.tokenReviews).hasSize(1);
        assertThat(api.accessReviews).hasSize(1);

        now.set(now.get().plusSeconds(10));
        assertThat(get("/metrics", "prometheus-token").statusCode()).isEqualTo(200);
        assertThat(api.tokenReviews).as("asked again once the answer is old").hasSize(2);
        assertThat(api.accessReviews).hasSize(2);
    }

    @Test
    void anApiServerThatCannotAnswerIsUnavailableNotAllowed() throws Exception {
        server.reset();
        server.expect().post().withPath(FakeAuthApi.TOKEN_REVIEWS).andReturn(500, "etcd is down").always();
        HttpResponse<String> response = get("/metrics", "prometheus-token");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("cannot review the request");
    }

    @Test
    void theServerSpeaksOnlyHttps() {
        HttpClient plain = HttpClient.newHttpClient();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/healthz"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }
}
