package io.nightshift.operator;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The requests the API mock answered, to count the operator's writes. */
public final class RequestLog {

    public record Request(String method, String path) {
    }

    private final KubernetesMockServer server;
    private final List<Request> seen = new ArrayList<>();

    public RequestLog(KubernetesMockServer server) {
        this.server = server;
    }

    /** Every request so far (the server hands each out once; they are kept here). */
    public synchronized List<Request> all() {
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
                String path = r.getPath();
                seen.add(new Request(r.getMethod(), path.contains("?") ? path.substring(0, path.indexOf('?')) : path));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(seen);
    }

    public long count(Predicate<Request> which) {
        return all().stream().filter(which).count();
    }

    /** Writes (POST, PUT, PATCH, DELETE) to a path that starts with {@code prefix}. */
    public static Predicate<Request> writesTo(String prefix) {
        return r -> !r.method().equals("GET") && r.path().startsWith(prefix);
    }

    public static String cronJobs(String namespace) {
        return "/apis/batch/v1/namespaces/" + namespace + "/cronjobs";
    }

    public static String status(String namespace, String name) {
        return "/apis/nightshift.io/v1alpha1/namespaces/" + namespace + "/maintenancejobs/" + name + "/status";
    }

    public static String events(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/events";
    }
}
