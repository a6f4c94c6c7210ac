package io.nightshift.operator.http;

/**
 * What a request needs, in the terms of a SubjectAccessReview: a verb on a non-resource URL ({@code path}), or a verb
 * on a resource of an API group, in a namespace ({@code null}: all namespaces).
 */
public record Permission(String verb, String group, String resource, String namespace, String path) {

    static final String GROUP = "nightshift.io";
    static final String MAINTENANCE_JOBS = "maintenancejobs";

    /** {@code get} on {@code /metrics}: what the chart's metrics-reader ClusterRole grants. */
    public static Permission nonResource(String verb, String path) {
        return new Permission(verb, null, null, null, path);
    }

    /** {@code list} on MaintenanceJobs in {@code namespace}, or in all namespaces when it is null: what {@code kubectl get mj} needs. */
    public static Permission listMaintenanceJobs(String namespace) {
        return new Permission("list", GROUP, MAINTENANCE_JOBS, namespace, null);
    }

    public boolean isNonResource() {
        return path != null;
    }

    /** "get /metrics", "list maintenancejobs.nightshift.io in namespace app", "... in all namespaces". */
    public String describe() {
        if (isNonResource()) {
            return verb + " " + path;
        }
        return verb + " " + resource + "." + group + (namespace == null ? " in all namespaces" : " in namespace " + namespace);
    }
}
