package io.nightshift.sandbox.stubs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local stand-ins for Supabase Storage (bulk delete) and the Deepgram Management API (one request's
 * cost), on 127.0.0.1. The storage holds whatever paths {@link #storeFile} put there; Deepgram knows a
 * cost for every request id except those starting with {@code missing}.
 */
public final class StubServices implements AutoCloseable {

    public static final String SERVICE_KEY = "sandbox-service-key";
    public static final String DEEPGRAM_KEY = "sandbox-deepgram-key";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final Set<String> storedFiles = ConcurrentHashMap.newKeySet();
    private final AtomicInteger deepgramRequests = new AtomicInteger();

    public StubServices() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "stub-services");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/storage/v1/object/", this::storage);
        server.createContext("/v1/projects/", this::deepgram);
        server.start();
    }

    /** The base URL of both services, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void storeFile(String bucket, String path) {
        storedFiles.add(bucket + "/" + path);
    }

    public int storedFileCount() {
        return storedFiles.size();
    }

    public int deepgramRequests() {
        return deepgramRequests.get();
    }

    private void storage(HttpExchange exchange) throws IOException {
        if (!"DELETE".equals(exchange.getRequestMethod()) || !("Bearer " + SERVICE_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"message\":\"invalid key or method\"}");
            return;
        }
        String bucket = exchange.getRequestURI().getPath().substring("/storage/v1/object/".length());
        JsonNode body = json.readTree(exchange.getRequestBody());
        ArrayNode deleted = json.createArrayNode();
        for (JsonNode prefix : body.path("prefixes")) {
            if (storedFiles.remove(bucket + "/" + prefix.asText())) {
                deleted.addObject().put("name", prefix.asText()).put("bucket_id", bucket);
            }
        }
        respond(exchange, 200, json.writeValueAsString(deleted));
    }

    private void deepgram(HttpExchange exchange) throws IOException {
        deepgramRequests.incrementAndGet();
        if (!("Token " + DEEPGRAM_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"err_code\":\"INVALID_AUTH\"}");
            return;
        }
        String[] parts = exchange.getRequestURI().getPath().split("/");
        String requestId = parts[parts.length - 1];
        if (requestId.startsWith("missing")) {
            respond(exchange, 404, "{\"err_code\":\"NOT_FOUND\"}");
            return;
        }
        double usd = 0.0043 * (1 + Math.abs(requestId.hashCode() % 50));
        respond(exchange, 200, "{\"request_id\":\"" + requestId + "\",\"response\":{\"details\":{\"usd\":"
                + String.format(java.util.Locale.ROOT, "%.4f", usd) + "}}}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
