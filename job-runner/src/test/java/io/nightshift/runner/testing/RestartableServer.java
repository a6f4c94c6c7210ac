package io.nightshift.runner.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL of one test class's own, which the test may stop ({@code pg_ctl stop -m fast},
 * as a restart or a failover does) and start again on the same port and data directory. The shared server
 * of {@link TestDatabase} is never stopped.
 */
public final class RestartableServer implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres running;

    private RestartableServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    public static RestartableServer start() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RestartableServer server = new RestartableServer(Files.createTempDirectory("nightshift-restartable-pg"), s.getLocalPort());
            s.close();
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a restartable embedded PostgreSQL", e);
        }
    }

    /** A new database on this server, owned by its superuser. */
    public TestDatabase createDatabase() {
        String name = "r_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new TestDatabase("127.0.0.1", port, name, "postgres", "postgres");
    }

    /** Shuts the server down as {@code pg_ctl stop -m fast} does: every session is ended, nothing new is accepted. */
    public synchronized void stop() {
        try {
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        }
    }

    /** Starts it again: the same port, the same data. */
    public synchronized void startAgain() {
        try {
            running = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it
        }
    }
}
