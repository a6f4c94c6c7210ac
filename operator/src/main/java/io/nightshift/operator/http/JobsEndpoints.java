package io.nightshift.operator.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import io.nightshift.operator.resource.MaintenanceJob;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jobs API: {@code GET /api/v1/jobs/status} (also at the original application's {@code /internal/api/v1/jobs/status})
 * and {@code GET /api/v1/jobs/{namespace}/{name}/runs}. Answers JSON, errors as {@code {"error": "..."}}: 400 for a bad
 * query or name, 404 for an unknown job or path, 405 for a method other than GET. What each path needs in secure
 * mode is {@link #needs}.
 */
final class JobsEndpoints {

    static final String STATUS = "/api/v1/jobs/status";
    static final String ORIGINAL_STATUS = "/internal/api/v1/jobs/status";
    static final String JOBS = "/api/v1/jobs/";
    private static final Pattern RUNS = Pattern.compile("^/api/v1/jobs/([^/]+)/([^/]+)/runs$");
    /** RFC 1123 label, as Kubernetes checks a namespace name. */
    private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final int MAX_NAME = 253;

    private final Supplier<? extends Collection<MaintenanceJob>> jobs;

    JobsEndpoints(Supplier<? extends Collection<MaintenanceJob>> jobs) {
        this.jobs = jobs;
    }

    /**
     * The status of a namespace needs {@code list} on MaintenanceJobs there (all of them: in all namespaces); the runs of
     * one job need {@code get} on that MaintenanceJob, as {@code kubectl get mj name -n namespace} does. Any other path
     * under the API needs the most: {@code list} in all namespaces.
     */
    Permission needs(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        if (STATUS.equals(path) || ORIGINAL_STATUS.equals(path)) {
            return Permission.listMaintenanceJobs(OperatorHttpServer.query(exchange, "namespace"));
        }
        Matcher runs = RUNS.matcher(path);
        if (runs.matches()) {
            return Permission.getMaintenanceJob(runs.group(1), runs.group(2));
        }
        return Permission.listMaintenanceJobs(null);
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Matcher runs = RUNS.matcher(path);
        if (!STATUS.equals(path) && !ORIGINAL_STATUS.equals(path) && !runs.matches()) {
            error(exchange, 404, "no such path: " + path + "; the jobs API serves " + STATUS + " and " + JOBS + "{namespace}/{name}/runs");
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET");
            error(exchange, 405, "use GET");
            return;
        }
        try {
            if (runs.matches()) {
                runs(exchange, runs.group(1), runs.group(2));
            } else {
                status(exchange);
            }
        } catch (QueryParameters.BadRequest e) {
            error(exchange, 400, e.getMessage());
        }
    }

    private void status(HttpExchange exchange) throws IOException, QueryParameters.BadRequest {
        Map<String, String> query = QueryParameters.parse(exchange.getRequestURI().getRawQuery(), Set.of("namespace"));
        String namespace = query.get("namespace");
        if (namespace != null) {
            checkNamespace(namespace);
        }
        OperatorHttpServer.respond(exchange, 200, "application/json", JobsStatusApi.render(jobs.get(), namespace));
    }

    private void runs(HttpExchange exchange, String namespace, String name) throws IOException, QueryParameters.BadRequest {
        checkNamespace(namespace);
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw new QueryParameters.BadRequest("name \"" + name + "\" is not a MaintenanceJob name (lower case letters, digits, '-' and '.', at most "
                    + MAX_NAME + " characters)");
        }
        Map<String, String> query = QueryParameters.parse(exchange.getRequestURI().getRawQuery(), Set.of("limit"));
        Integer limit = query.containsKey("limit") ? limit(query.get("limit")) : null;
        Optional<MaintenanceJob> job = jobs.get().stream()
                .filter(j -> namespace.equals(j.getMetadata().getNamespace()) && name.equals(j.getMetadata().getName())).findFirst();
        if (job.isEmpty()) {
            error(exchange, 404, "no MaintenanceJob " + name + " in namespace " + namespace);
            return;
        }
        OperatorHttpServer.respond(exchange, 200, "application/json", JobRunsApi.render(job.get(), limit));
    }

    private static void checkNamespace(String namespace) throws QueryParameters.BadRequest {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new QueryParameters.BadRequest("namespace \"" + namespace + "\" is not a namespace name (lower case letters, digits and '-', at most 63 characters)");
        }
    }

    private static int limit(String value) throws QueryParameters.BadRequest {
        try {
            int limit = Integer.parseInt(value);
            if (limit > 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new QueryParameters.BadRequest("limit must be a positive integer, got \"" + value + "\"");
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        OperatorHttpServer.respond(exchange, status, "application/json", JsonNodeFactory.instance.objectNode().put("error", message).toString());
    }
}
