package io.nightshift.runner.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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
 * that may create databases) or else an embedded server started from Maven-shipped binaries.
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
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the server's directory is temporary
                }
            }));
            return new Server("127.0.0.1", pg.getPort(), "postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
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
