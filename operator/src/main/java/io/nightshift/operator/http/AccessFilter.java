package io.nightshift.operator.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through only with a bearer token whose user may do what the endpoint needs: 401 without a token or
 * with one the API server does not accept, 403 when the user lacks the permission, 503 when the API server cannot
 * be asked.
 */
final class AccessFilter extends Filter {

    private static final Logger LOG = LoggerFactory.getLogger(AccessFilter.class);

    private final AccessReviewer reviewer;
    private final Function<HttpExchange, Permission> needs;

    AccessFilter(AccessReviewer reviewer, Function<HttpExchange, Permission> needs) {
        this.reviewer = reviewer;
        this.needs = needs;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String token = bearerToken(exchange.getRequestHeaders().getFirst("Authorization"));
        if (token == null) {
            unauthorized(exchange, "send a Kubernetes bearer token: Authorization: Bearer <token>");
            return;
        }
        Permission permission = needs.apply(exchange);
        AccessReviewer.Decision decision;
        try {
            decision = reviewer.review(token, permission);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot review a request for {}: {}", permission.describe(), e.getMessage());
            refuse(exchange, 503, "cannot review the request with the Kubernetes API server: " + e.getMessage());
            return;
        }
        switch (decision.verdict()) {
            case ALLOWED -> chain.doFilter(exchange);
            case UNAUTHENTICATED -> unauthorized(exchange, "the token was not accepted: " + decision.reason());
            case FORBIDDEN -> refuse(exchange, 403, decision.reason());
        }
    }

    static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= "Bearer ".length()
                || !authorization.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())) {
            return null;
        }
        String token = authorization.substring("Bearer ".length()).strip();
        return token.isEmpty() ? null : token;
    }

    private static void unauthorized(HttpExchange exchange, String message) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"nightshift\"");
        refuse(exchange, 401, message);
    }

    private static void refuse(HttpExchange exchange, int status, String message) throws IOException {
        String body = JsonNodeFactory.instance.objectNode().put("error", message).toString();
        OperatorHttpServer.respond(exchange, status, "application/json", body);
    }

    @Override
    public String description() {
        return "bearer token review and access review";
    }
}
