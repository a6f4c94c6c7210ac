package io.nightshift.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/** The operator's one small HTTP server: {@code /metrics}, {@code /healthz}, {@code /readyz} and {@code /api/v1/jobs/status}. */
public final class OperatorHttpServer implements AutoCloseable {

    private final HttpServer server;

    /**
     * @param scrape the Prometheus text exposition
     * @param ready whether the operator started and its informers are synced and healthy
     * @param jobsStatus the status API's JSON for a namespace ({@code null}: all)
     */
    public OperatorHttpServer(InetSocketAddress address, Supplier<String> scrape, BooleanSupplier ready, Function<String, String> jobsStatus)
            throws IOException {
        server = HttpServer.create(address, 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get()));
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", ex -> {
            boolean ok = ready.getAsBoolean();
            respond(ex, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready: informers are not synced\n");
        });
        server.createContext("/api/v1/jobs/status", ex -> {
            if (!"GET".equals(ex.getRequestMethod())) {
                respond(ex, 405, "application/json", "{\"error\":\"use GET\"}");
                return;
            }
            respond(ex, 200, "application/json", jobsStatus.apply(query(ex, "namespace")));
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static String query(HttpExchange ex, String name) {
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

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
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
