package io.nightshift.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nightshift.operator.cache.CachePruning;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.events.RunEvents;
import io.nightshift.operator.http.HttpSecurity;
import io.nightshift.operator.http.OperatorHttpServer;
import io.nightshift.operator.leader.LeaderLease;
import io.nightshift.operator.metrics.JobMetrics;
import io.nightshift.operator.reconcile.MaintenanceJobReconciler;
import io.nightshift.operator.resource.MaintenanceJob;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The operator, built the same way for the shipped process and for tests: JSON merge patches for status
 * and plain create/update for the CronJob rather than server-side apply, so the path the tests run
 * against Kubernetes' API mock is the path that ships. Also owns the metrics registry and the HTTP server.
 */
public final class NightshiftOperator implements AutoCloseable {

    static final Duration RECONCILE_GRACE = Duration.ofSeconds(2);
    static final int RECONCILE_THREADS = 10;

    private final KubernetesClient client;
    private final OperatorSettings settings;
    private final Operator operator;
    private final PrometheusMeterRegistry registry;
    private final JobMetrics metrics;
    private final LeaderLease lease;
    private final Controller<MaintenanceJob> controller;
    private OperatorHttpServer http;

    private NightshiftOperator(KubernetesClient client, OperatorSettings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics = new JobMetrics(registry);
        this.lease = settings.leaderElection() ? new LeaderLease(client, settings.leaseName(), settings.leaseNamespace(), settings.leaseHolder())
                : null;
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false)
                    // A reconcile writes a few objects; stopping must fit well within the pod's grace period.
                    .withReconciliationTerminationTimeout(RECONCILE_GRACE)
                    // Reconciles wait on the API server, not the CPU: a few threads keep up with thousands of jobs, and the
                    // thread count stays the same whatever the number of jobs or namespaces.
                    .withConcurrentReconciliationThreads(RECONCILE_THREADS)
                    .withConcurrentWorkflowExecutorThreads(RECONCILE_THREADS)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
            if (lease != null) {
                o.withLeaderElectionConfiguration(lease.configuration());
            }
        });
        RegisteredController<MaintenanceJob> registered = operator.register(
                new MaintenanceJobReconciler(settings.runnerImage(), clock, metrics, new RunEvents(client, clock)), c -> {
            c.withItemStore(CachePruning.whole()).withInformerListLimit(CachePruning.LIST_PAGE);
            if (settings.watchNamespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.watchNamespaces());
            }
        });
        this.controller = (Controller<MaintenanceJob>) registered;
    }

    public static NightshiftOperator create(KubernetesClient client, OperatorSettings settings, Clock clock) {
        return new NightshiftOperator(client, settings, clock);
    }

    public void start() {
        operator.start();
    }

    /** Serves /metrics, /healthz, /readyz and the jobs API over plain HTTP on {@code address} (port 0: any free port). */
    public OperatorHttpServer serveHttp(InetSocketAddress address) throws IOException {
        return serveHttp(address, null);
    }

    /** The same, over HTTPS with access reviews when {@code security} is given. */
    public OperatorHttpServer serveHttp(InetSocketAddress address, HttpSecurity security) throws IOException {
        http = new OperatorHttpServer(address, security, this::scrape, this::ready, this::jobs);
        return http;
    }

    public boolean ready() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    private List<MaintenanceJob> jobs() {
        return controller.getEventSourceManager().getControllerEventSource().list().toList();
    }

    public String scrape() {
        // The reconciler is not called for deleted MaintenanceJobs (they have no finalizer): their series go here, checked
        // against the controller's own cache rather than a second informer holding a second copy of every MaintenanceJob.
        metrics.removeUnless((namespace, name) -> controller.getEventSourceManager().getControllerEventSource()
                .get(new ResourceID(name, namespace)).isPresent());
        return registry.scrape();
    }

    public Operator operator() {
        return operator;
    }

    /** Stops reconciling, then gives the leader Lease up so that a standby takes over at once. */
    public void stop() {
        if (lease != null) {
            lease.stopping();
        }
        if (http != null) {
            http.close();
        }
        operator.stop();
        if (lease != null) {
            lease.release();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
