package io.nightshift.operator.http;

/**
 * What a request needs, in the terms of a SubjectAccessReview: a verb on a non-resource URL ({@code path}), or a verb
 * on a resource of an API group, in a namespace ({@code null}: all namespaces), on one object ({@code name}) or any.
 */
public record Permission(String verb, String group, String resource, String namespace, String name, String path) {

    static final String GROUP = "nightshift.io";
    static final String MAINTENANCE_JOBS = "maintenancejobs";

    /** {@code get} on {@code /metrics}: what the chart's metrics-reader ClusterRole grants. */
    public static Permission nonResource(String verb, String path) {
        return new Permission(verb, null, null, null, null, path);
    }

    /** {@code list} on MaintenanceJobs in {@code namespace}, or in all namespaces when it is null: what {@code kubectl get mj} needs. */
    public static Permission listMaintenanceJobs(String namespace) {
        return new Permission("list", GROUP, MAINTENANCE_JOBS, namespace, null, null);
    }

    /** {@code get} on the MaintenanceJob {@code name} in {@code namespace}: what {@code kubectl get mj name} needs. */
    public static Permission getMaintenanceJob(String namespace, String name) {
        return new Permission("get", GROUP, MAINTENANCE_JOBS, namespace, name, null);
    }

    public boolean isNonResource() {
        return path != null;
    }

    /** "get /metrics", "list maintenancejobs.nightshift.io in namespace app", "... in all namespaces", "get maintenancejobs.nightshift.io log-cleanup in namespace app". */
    public String describe() {
        if (isNonResource()) {
            return verb + " " + path;
        }
        return verb + " " + resource + "." + group + (name == null ? "" : " " + name)
                + (namespace == null ? " in all namespaces" : " in namespace " + namespace);
    }
}
