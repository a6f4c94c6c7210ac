package io.nightshift.runner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runner's SQL is checked on every supported PostgreSQL major only where its test class says it reaches the
 * database: a new test class that creates a {@link TestDatabase} and forgets {@link DatabaseFacing} would run on
 * the default version alone.
 */
class EveryDatabaseTestIsTaggedTest {

    /** Database tests run on the default version only, and why: the SQL they reach is checked on every major elsewhere. */
    static final Map<String, String> DEFAULT_VERSION_ONLY = Map.of(
            "TerminationTest", "signals and child processes (30 s); the ledger writes it ends with are JobRunTest's",
            "DeepgramCostSyncTest", "rate limits and retries against a stub API (17 s); its UPDATEs are plain SQL",
            "HttpTaskTest", "an HTTP call; the database holds only the ledger, which JobRunTest covers",
            "TransactionPoolerTest", "what a pooler in front of the server does; the SQL it runs is the ledger's and the lock's, which "
                    + "JobRunTest and LockTest cover");

    @Test
    void everyTestClassThatCreatesADatabaseRunsOnEveryMajor() throws IOException {
        Path root = Path.of("src/test/java");
        List<String> untagged;
        try (Stream<Path> files = Files.walk(root)) {
            untagged = files.filter(f -> f.toString().endsWith("Test.java")).filter(EveryDatabaseTestIsTaggedTest::createsADatabase)
                    .filter(f -> !tagged(f)).map(f -> f.getFileName().toString().replace(".java", ""))
                    .filter(name -> !DEFAULT_VERSION_ONLY.containsKey(name)).sorted().toList();
        }
        assertThat(untagged).as("test classes that create a TestDatabase but are not @DatabaseFacing: tag them, so that they run "
                + "on every supported PostgreSQL major, or say in DEFAULT_VERSION_ONLY why not").isEmpty();
    }

    private static boolean createsADatabase(Path file) {
        return read(file).contains("TestDatabase.create(");
    }

    private static boolean tagged(Path file) {
        return read(file).contains("@DatabaseFacing");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
