package io.nightshift.sandbox;

import io.nightshift.sandbox.examples.Examples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar sandbox/target/nightshift-sandbox.jar}: the whole system on this machine, no cluster, no Docker. */
@Command(name = "nightshift-sandbox", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Starts PostgreSQL, a Kubernetes API, the nightshift operator, a local CronJob/Job controller and kubelet",
                "(runner processes) and stub Supabase and Deepgram services; installs every example, runs each once,",
                "prints the results and exits (0 when every run succeeded). With --serve it keeps running."})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--serve", description = "Keep running after the demo: schedules fire, /metrics and the status API stay up.")
    boolean serve;

    @Option(names = "--port", defaultValue = "0", description = "Port of the operator's /metrics and /api/v1/jobs/status on 127.0.0.1 (default: any free port).")
    int port;

    @Option(names = "--examples", paramLabel = "DIR", description = "The examples to install (default: examples/ of the project).")
    Path examples;

    @Option(names = "--crd", paramLabel = "FILE", description = "The MaintenanceJob CRD (default: crds/ of the project).")
    Path crd;

    @Option(names = "--runner-jar", paramLabel = "FILE", description = "The job-runner jar each pod runs (default: job-runner/target/ of the project).")
    Path runnerJar;

    /** The API mock logs every request through java.util.logging; held here so the setting is not collected. */
    private static final java.util.logging.Logger API_MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) {
        API_MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            spec.commandLine().getErr().println("--port: " + port + " is not a port number (0-65535)");
            return 2;
        }
        ProjectFiles files;
        try {
            files = ProjectFiles.locate(examples, crd, runnerJar);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        Examples loaded = Examples.load(files.examples());
        Path work = Files.createTempDirectory("nightshift-sandbox-");
        Sandbox sandbox = Sandbox.start(new Sandbox.Settings(files.crd(), files.runnerJar(), work, port));
        long started = System.nanoTime();
        boolean ok;
        try {
            ok = Demo.run(sandbox, loaded, System.out);
        } catch (Exception e) {
            sandbox.close();
            throw e;
        }
        if (!serve) {
            sandbox.close();
            System.out.printf("%s (%d s)%n", ok ? "Every example ran successfully." : "Some runs failed or did not finish: see above.",
                    (System.nanoTime() - started) / 1_000_000_000L);
            return ok ? 0 : 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println();
        System.out.println("Serving until Ctrl-C:");
        System.out.println("  metrics      " + sandbox.metricsUrl());
        System.out.println("  jobs status  " + sandbox.statusUrl());
        System.out.println("  database     " + sandbox.database().uri());
        System.out.println("  Kubernetes   " + sandbox.apiUrl() + " (fabric8 API mock: kubectl cannot talk to it)");
        stopped.await();
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"nightshift-sandbox " + (v == null ? "dev" : v)};
        }
    }
}
