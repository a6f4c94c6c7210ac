package io.nightshift.sandbox.cluster;

import io.nightshift.api.contract.ExitCodes;
import io.nightshift.api.contract.RunnerEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;

/** A stand-in for the job-runner whose behaviour the test picks through FAKE_MODE. */
public final class FakeRunner {

    private FakeRunner() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Path.of(System.getenv(RunnerEnvironment.TERMINATION_LOG));
        String mode = System.getenv().getOrDefault("FAKE_MODE", "ok");
        System.out.println("fake runner " + String.join(" ", args) + " mode=" + mode + " secret=" + System.getenv("DB_URL"));
        switch (mode) {
            case "ok" -> {
                Files.writeString(log, "{\"status\":\"success\",\"stats\":{\"rows\":3}}");
                System.exit(ExitCodes.SUCCESS);
            }
            case "config" -> {
                Files.writeString(log, "{\"status\":\"failed\",\"error\":\"bad config\"}");
                System.exit(ExitCodes.CONFIGURATION);
            }
            case "crash" -> {
                System.out.println("something went badly wrong");
                System.exit(ExitCodes.FAILED);
            }
            case "sleep" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Files.writeString(log, "{\"status\":\"failed\",\"error\":\"terminated before completion\"}");
                    } catch (Exception ignored) {
                        // nothing to report to
                    }
                }));
                Thread.sleep(60_000);
            }
            default -> System.exit(3);
        }
    }
}
