package io.nightshift.sandbox;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.nightshift.api.contract.MetadataKeys;
import io.nightshift.api.contract.RunResult;
import io.nightshift.operator.NightshiftOperator;
import io.nightshift.operator.config.OperatorSettings;
import io.nightshift.operator.http.OperatorHttpServer;
import io.nightshift.operator.reconcile.Names;
import io.nightshift.operator.resource.MaintenanceJob;
import io.nightshift.operator.resource.RunRecord;
import io.nightshift.operator.runnow.RunNow;
import io.nightshift.sandbox.cluster.ApiServer;
import io.nightshift.sandbox.cluster.LocalCronJobController;
import io.nightshift.sandbox.cluster.LocalJobController;
import io.nightshift.sandbox.cluster.LocalKubelet;
import io.nightshift.sandbox.database.SampleData;
import io.nightshift.sandbox.database.SandboxDatabase;
import io.nightshift.sandbox.examples.Examples;
import io.nightshift.sandbox.examples.SandboxWiring;
import io.nightshift.sandbox.stubs.StubServices;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * nightshift on one machine: an embedded PostgreSQL, Kubernetes' API mock, the real operator, local
 * stand-ins for the CronJob and Job controllers and the kubelet (runner processes), and stub Supabase
 * and Deepgram services. Everything listens on 127.0.0.1 only.
 */
public final class Sandbox implements AutoCloseable {

    /** The CRD, the runner jar each pod runs, where pods keep their files, the operator's HTTP port (0: any free one). */
    public record Settings(Path crd, Path runnerJar, Path workDir, int httpPort) {
    }

    private final List<AutoCloseable> parts = new ArrayList<>();
    private final SandboxDatabase database;
    private final StubServices stubs;
    private final ApiServer api;
    private final NightshiftOperator operator;
    private final OperatorHttpServer http;
    private final Path workDir;

    private Sandbox(Settings settings) throws IOException, SQLException {
        workDir = settings.workDir();
        try {
            database = own(SandboxDatabase.start());
            stubs = own(new StubServices());
            api = own(ApiServer.start(settings.crd()));
            operator = own(NightshiftOperator.create(api.client(), OperatorSettings.defaults("nightshift/job-runner:sandbox"),
                    Clock.systemUTC()));
            operator.start();
            http = own(operator.serveHttp(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.httpPort())));
            LocalJobController jobs = own(new LocalJobController(api.client(),
                    LocalKubelet.forRunnerJar(api.client(), settings.runnerJar(), settings.workDir())));
            jobs.start();
            own(new LocalCronJobController(api.client(), Clock.systemUTC())).start();
        } catch (IOException | SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts every part; when one fails, those already started are stopped. */
    public static Sandbox start(Settings settings) throws IOException, SQLException {
        return new Sandbox(settings);
    }

    private <T extends AutoCloseable> T own(T part) {
        parts.add(0, part);
        return part;
    }

    /** Creates the examples' tables with sample data, their Secrets pointed at the sandbox, and every MaintenanceJob, in {@code namespace}. */
    public List<MaintenanceJob> install(Examples examples, String namespace) throws IOException, SQLException {
        database.runScript(examples.schemaSql());
        SampleData.load(database);
        SandboxWiring.Endpoints endpoints = endpoints();
        List<MaintenanceJob> jobs = examples.jobs().stream().map(j -> SandboxWiring.job(j, namespace, endpoints)).toList();
        SampleData.storeFiles(database, jobs, stubs);
        api.createNamespace(namespace);
        for (Secret secret : SandboxWiring.secrets(jobs, examples.secrets(), namespace, endpoints)) {
            client().resource(secret).create();
        }
        return jobs.stream().map(this::apply).toList();
    }

    public SandboxWiring.Endpoints endpoints() {
        return new SandboxWiring.Endpoints(database.uri(), stubs.baseUrl(), StubServices.SERVICE_KEY, stubs.baseUrl(), StubServices.DEEPGRAM_KEY);
    }

    public MaintenanceJob apply(MaintenanceJob job) {
        return client().resource(job).create();
    }

    /**
     * Asks for a run now, as {@code kubectl annotate mj NAME nightshift.io/run-now=VALUE} does.
     *
     * @return the name of the Job the operator will create for it
     */
    public String runNow(String namespace, String name, String value) {
        client().resources(MaintenanceJob.class).inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + MetadataKeys.RUN_NOW_ANNOTATION + "\":\"" + value + "\"}}}");
        return RunNow.jobName(Names.cronJobName(name), value);
    }

    /** The job's recorded run of Kubernetes Job {@code jobName}, once it finished; empty when {@code timeout} passed first. */
    public Optional<RunRecord> awaitRun(String namespace, String name, String jobName, Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (true) {
            Optional<RunRecord> run = finishedRun(job(namespace, name), jobName);
            if (run.isPresent() || Instant.now().isAfter(until)) {
                return run;
            }
            Thread.sleep(200);
        }
    }

    private static Optional<RunRecord> finishedRun(MaintenanceJob job, String jobName) {
        if (job == null || job.getStatus() == null || job.getStatus().getRecentRuns() == null) {
            return Optional.empty();
        }
        return job.getStatus().getRecentRuns().stream().filter(r -> jobName.equals(r.jobName()) && !RunResult.RUNNING.is(r.result())).findFirst();
    }

    public MaintenanceJob job(String namespace, String name) {
        return client().resources(MaintenanceJob.class).inNamespace(namespace).withName(name).get();
    }

    public List<MaintenanceJob> jobs(String namespace) {
        return client().resources(MaintenanceJob.class).inNamespace(namespace).list().getItems();
    }

    public List<Event> events(String namespace) {
        return client().v1().events().inNamespace(namespace).list().getItems();
    }

    public String metricsUrl() {
        return "http://127.0.0.1:" + http.port() + "/metrics";
    }

    public String statusUrl() {
        return "http://127.0.0.1:" + http.port() + "/api/v1/jobs/status";
    }

    public String scrape() {
        return operator.scrape();
    }

    public KubernetesClient client() {
        return api.client();
    }

    public String apiUrl() {
        return api.url();
    }

    public SandboxDatabase database() {
        return database;
    }

    public StubServices stubs() {
        return stubs;
    }

    /** Where each pod's files are: {@code <workDir>/<namespace>/<pod>/container.log} and its termination log. */
    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                // stopping the rest matters more than this part's complaint
            }
        }
    }
}
