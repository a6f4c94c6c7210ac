package io.nightshift.runner.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PostgreSQL of a given major, from the binaries archives that job-runner/pom.xml copies to
 * {@code target/postgres/postgres-NN.jar} (one per supported major, and a 13).
 */
public final class PostgresBinaries {

    /** The major this test JVM's database tests run on; unset: the default binaries on the test classpath. */
    static final String MAJOR = "nightshift.test.postgres.major";
    static final String DIRECTORY = "nightshift.test.postgres.directory";

    private PostgresBinaries() {
    }

    /** The major the build asked this JVM to test on, if it asked for one. */
    public static OptionalInt requestedMajor() {
        String major = System.getProperty(MAJOR);
        return major == null || major.isBlank() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(major.strip()));
    }

    /** Starts a server of {@code major} on a free port, in a directory of its own; the caller closes it. */
    public static EmbeddedPostgres start(int major) throws IOException {
        return EmbeddedPostgres.builder().setPgBinaryResolver(of(major)).start();
    }

    /** The binaries of {@code major}, for an embedded server's builder. */
    static PgBinaryResolver of(int major) {
        return resolver(archive(major));
    }

    static Path archive(int major) {
        Path jar = Path.of(System.getProperty(DIRECTORY, "target/postgres")).resolve("postgres-" + major + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no PostgreSQL " + major + " binaries at " + jar.toAbsolutePath()
                    + ": mvn generate-test-resources copies them there (job-runner/pom.xml)");
        }
        return jar;
    }

    /** The archive's one {@code .txz} (this platform's, as the POM picked it), whatever the platform names are asked. */
    private static PgBinaryResolver resolver(Path jar) {
        return (system, hardware) -> {
            ZipFile zip = new ZipFile(jar.toFile());
            ZipEntry txz = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst().orElse(null);
            if (txz == null) {
                zip.close();
                throw new IOException("no .txz in " + jar);
            }
            return new FilterInputStream(zip.getInputStream(txz)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        zip.close();
                    }
                }
            };
        };
    }
}
