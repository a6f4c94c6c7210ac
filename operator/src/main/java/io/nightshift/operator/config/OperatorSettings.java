package io.nightshift.operator.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The operator's settings, from its environment (the Helm chart sets them).
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param leaseHolder the name this replica holds the leader Lease under: the pod's name, so that
 *                    {@code kubectl get lease} says which pod leads
 */
public record OperatorSettings(Set<String> watchNamespaces, String runnerImage, boolean leaderElection, String leaseName,
        String leaseNamespace, String leaseHolder, int metricsPort) {

    public static final String DEFAULT_RUNNER_IMAGE = "ghcr.io/nightshift-io/job-runner:" + version();

    public static OperatorSettings fromEnvironment(Function<String, String> env) {
        Set<String> namespaces = new LinkedHashSet<>();
        String watch = env.apply("WATCH_NAMESPACES");
        if (watch != null) {
            Arrays.stream(watch.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(namespaces::add);
        }
        String port = orDefault(env.apply("METRICS_PORT"), "8080");
        int metricsPort;
        try {
            metricsPort = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("METRICS_PORT must be a port number, got '" + port + "'");
        }
        return new OperatorSettings(Set.copyOf(namespaces), orDefault(env.apply("NIGHTSHIFT_RUNNER_IMAGE"), DEFAULT_RUNNER_IMAGE),
                Boolean.parseBoolean(orDefault(env.apply("LEADER_ELECTION_ENABLED"), "false")),
                orDefault(env.apply("LEADER_ELECTION_LEASE_NAME"), "nightshift-operator"),
                orDefault(env.apply("LEADER_ELECTION_NAMESPACE"), env.apply("POD_NAMESPACE")),
                leaseHolder(env), metricsPort);
    }

    private static String leaseHolder(Function<String, String> env) {
        for (String name : new String[] {"POD_NAME", "HOSTNAME"}) {
            String value = env.apply(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return localHostName();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "nightshift-operator-" + ProcessHandle.current().pid();
        }
    }

    /** Settings for tests and embedding: all namespaces, no leader election. */
    public static OperatorSettings defaults(String runnerImage) {
        return new OperatorSettings(Set.of(), runnerImage, false, "nightshift-operator", null, "nightshift-operator", 8080);
    }

    public OperatorSettings withWatchNamespaces(Set<String> namespaces) {
        return new OperatorSettings(Set.copyOf(namespaces), runnerImage, leaderElection, leaseName, leaseNamespace, leaseHolder,
                metricsPort);
    }

    public static String version() {
        String v = OperatorSettings.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
