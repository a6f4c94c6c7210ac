package io.nightshift.operator.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.nightshift.operator.resource.MaintenanceJob;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operator's one small HTTP server: {@code /metrics}, {@code /healthz}, {@code /readyz} and the jobs API
 * ({@code /api/v1/jobs/status}, the same at {@code /internal/api/v1/jobs/status}, {@code /api/v1/jobs/{namespace}/{name}/runs}).
 * In secure mode it speaks HTTPS and lets through to {@code /metrics} only users who may {@code get} the non-resource URL
 * {@code /metrics}, to the status API only users who may {@code list} MaintenanceJobs in the namespace asked for (in
 * all namespaces without {@code ?namespace=}), and to the runs of a job only users who may {@code get} that
 * MaintenanceJob; the probes stay open for the kubelet.
 */
public final class OperatorHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final HttpSecurity security;

    /**
     * @param scrape the Prometheus text exposition
     * @param ready whether the operator started and every informer is synced and watching
     * @param jobs the MaintenanceJobs the operator sees, with their status
     */
    public OperatorHttpServer(InetSocketAddress address, Supplier<String> scrape, BooleanSupplier ready,
            Supplier<? extends Collection<MaintenanceJob>> jobs) throws IOException {
        this(address, null, scrape, ready, jobs);
    }

    /** @param security HTTPS and access reviews; null: plain HTTP open to anyone who reaches the port */
    public OperatorHttpServer(InetSocketAddress address, HttpSecurity security, Supplier<String> scrape, BooleanSupplier ready,
            Supplier<? extends Collection<MaintenanceJob>> jobs) throws IOException {
        this.security = security;
        if (security == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(security.tls().context()));
            server = https;
        }
        // Room for a few requests waiting on access reviews without holding up the kubelet's probes.
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        }));
        guarded("/metrics", ex -> Permission.nonResource("get", "/metrics"),
                ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get()));
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", ex -> {
            boolean ok = ready.getAsBoolean();
            respond(ex, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready: not watching the API server (starting, or the server cannot be reached)\n");
        });
        JobsEndpoints api = new JobsEndpoints(jobs);
        guarded(JobsEndpoints.JOBS, api::needs, api::handle);
        guarded(JobsEndpoints.ORIGINAL_STATUS, api::needs, api::handle);
        server.start();
    }

    /** A path that, in secure mode, answers only users the API server says have {@code needs}. Every path but the probes is one. */
    private void guarded(String path, Function<HttpExchange, Permission> needs, HttpHandler handler) {
        HttpContext context = server.createContext(path, handler);
        if (security != null) {
            context.getFilters().add(new AccessFilter(security.reviewer(), needs));
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    static String query(HttpExchange ex, String name) {
        String query = ex.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name) && kv.length == 2 && !kv[1].isEmpty()) {
                return java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
