package io.nightshift.operator.resource;

/** Kubernetes naming rules the schema and the validator share. */
public final class K8sNames {

    /** RFC 1123 subdomain: Secret names and most object names. */
    public static final String DNS_SUBDOMAIN_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private K8sNames() {
    }
}
