package io.nightshift.runner.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, empty PostgreSQL database for one test class. One server per test JVM: the one named by
 * {@code NIGHTSHIFT_TEST_DATABASE_URL} (a {@code postgresql://user:pass@host:port/db} URI of a role
 * that may create databases) or else an embedded server started from Maven-shipped binaries: those on the
 * test classpath, or those of the major the build asks for ({@link PostgresBinaries}).
 */
public record TestDatabase(String host, int port, String database, String user, String password) {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Server server;

    private record Server(String host, int port, String user, String password, String adminDatabase) {
    }

    /** Creates a new database with a unique name on the shared server. */
    public static TestDatabase create() {
        Server s = server();
        String name = ("t_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet()).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(jdbcUrl(s.host, s.port, s.adminDatabase), s.user, s.password);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new TestDatabase(s.host, s.port, name, s.user, s.password);
    }

    /** The {@code jdbc:postgresql:} URL, without credentials. */
    public String jdbcUrl() {
        return jdbcUrl(host, port, database);
    }

    /** The {@code postgresql://user:pass@host:port/db} URI, as Supabase and CloudNativePG give it. */
    public String uri() {
        return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /** The first column of every row {@code sql} returns, as text. */
    public List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** Runs SQL (one or more statements) and returns nothing; for setting up fixtures. */
    public void execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("fixture SQL failed: " + e.getMessage(), e);
        }
    }

    private static String jdbcUrl(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    private static synchronized Server server() {
        if (server == null) {
            String external = System.getenv("NIGHTSHIFT_TEST_DATABASE_URL");
            server = external == null || external.isBlank() ? startEmbedded() : parse(external);
        }
        return server;
    }

    private static Server startEmbedded() {
        try {
            Path data = Files.createTempDirectory("nightshift-test-postgres");
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false);
            PostgresBinaries.requestedMajor().ifPresent(major -> builder.setPgBinaryResolver(PostgresBinaries.of(major)));
            EmbeddedPostgres pg = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(pg, data), "test-postgres-stop"));
            return new Server("127.0.0.1", pg.getPort(), "postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /**
     * Stops the server, then leaves its data directory to a process of its own. By the end of the suite
     * the directory holds a database per test class (tens of thousands of files, about a gigabyte):
     * deleted file by file in a shutdown hook, as the embedded server's own hook does, it held the JVM's
     * exit for 15 s and more, and Surefire kills a forked JVM that has not exited 30 s after its last test.
     */
    private static void stop(EmbeddedPostgres pg, Path data) {
        try {
            pg.close();
        } catch (IOException ignored) {
            // the JVM is going away; so is the server, with its postmaster
        }
        try {
            new ProcessBuilder("rm", "-rf", data.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            // no rm here: the directory stays in the temporary directory
        }
    }

    private static Server parse(String url) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres", ""} : uri.getUserInfo().split(":", 2);
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new Server(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                userInfo.length > 1 ? userInfo[1] : "", db);
    }
}
