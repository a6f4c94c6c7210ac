package io.nightshift.runner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real PgBouncer (the Debian package {@code pgbouncer}) in front of a test server, on a free 127.0.0.1
 * port: clients log in with SCRAM (its auth file holds the verifiers copied from {@code pg_authid}), and
 * each database gets a small pool of server connections that transactions take in turn
 * ({@code server_round_robin}), so that consecutive transactions of one client really reach different
 * server connections. PgBouncer refuses to run as root: as root it runs in a user namespace of its own
 * ({@code unshare -U}, as the embedded server's initdb does).
 */
public final class PgBouncer implements AutoCloseable {

    /** Enough for a run's lock, its ledger and its task, and small enough that every transaction may land elsewhere. */
    static final int POOL_SIZE = 3;
    private static final Duration START_LIMIT = Duration.ofSeconds(15);
    private static final Map<String, PgBouncer> SHARED = new HashMap<>();

    private final Path dir;
    private final String poolMode;
    private final int port;
    private final String adminUrl;
    private final String adminUser;
    private final String adminPassword;
    private final Map<String, String> verifiers = new LinkedHashMap<>();
    private final Set<String> warmed = new HashSet<>();
    private Process process;

    private PgBouncer(Path dir, String poolMode, int port, String adminUrl, String adminUser, String adminPassword) {
        this.dir = dir;
        this.poolMode = poolMode;
        this.port = port;
        this.adminUrl = adminUrl;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
    }

    /** Why PgBouncer cannot run here, or empty when it can. */
    public static Optional<String> unavailable() {
        if (binary().isEmpty()) {
            return Optional.of("pgbouncer is not installed (Debian/Ubuntu: apt-get install -y pgbouncer; see README)");
        }
        if (runningAsRoot() && findOnPath("unshare").isEmpty()) {
            return Optional.of("pgbouncer refuses to run as root, and unshare (util-linux) is missing to run it in a user namespace");
        }
        return Optional.empty();
    }

    /** The PgBouncer in front of {@code db}'s server, in transaction mode; started on first use, stopped with the JVM. */
    public static synchronized PgBouncer shared(TestDatabase db) {
        return SHARED.computeIfAbsent(db.host() + ":" + db.port(), server -> {
            PgBouncer bouncer = start(db, "transaction");
            Runtime.getRuntime().addShutdownHook(new Thread(bouncer::close));
            return bouncer;
        });
    }

    /** A PgBouncer of its own in front of {@code db}'s server, in {@code poolMode} (transaction, session or statement). */
    public static PgBouncer start(TestDatabase db, String poolMode) {
        String reason = unavailable().orElse(null);
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        try {
            Path dir = Files.createTempDirectory("nightshift-pgbouncer");
            int port = freePort();
            Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                    "[databases]",
                    "* = host=" + db.host() + " port=" + db.port(),
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = scram-sha-256",
                    "auth_file = " + dir.resolve("userlist.txt"),
                    "pool_mode = " + poolMode,
                    "default_pool_size = " + POOL_SIZE,
                    "min_pool_size = " + POOL_SIZE,
                    "server_round_robin = 1",
                    "max_client_conn = 500",
                    // pgjdbc sends it at login; PgBouncer refuses a startup parameter it does not know unless told to ignore it.
                    "ignore_startup_parameters = extra_float_digits",
                    // After a server restart, log in again within a second rather than the default 15.
                    "server_login_retry = 1",
                    "logfile = " + dir.resolve("pgbouncer.log"),
                    ""));
            PgBouncer bouncer = new PgBouncer(dir, poolMode, port, db.jdbcUrl(), db.user(), db.password());
            bouncer.allow(db.user());
            bouncer.launch();
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pgbouncer", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code postgresql://user:password@127.0.0.1:<pgbouncer>/<db>}: {@code db} through this PgBouncer. */
    public String uri(TestDatabase db) {
        return uri(db, db.user(), db.password());
    }

    public String uri(TestDatabase db, String user, String password) {
        warm(db);
        return "postgresql://" + user + ":" + password + "@127.0.0.1:" + port + "/" + db.database();
    }

    /**
     * Fills {@code db}'s pool with its {@link #POOL_SIZE} server connections (PgBouncer opens them as clients
     * need them), so that a test's consecutive transactions take turns among them from the first one. In
     * statement mode, where no transaction may hold one, the pool fills as it is used.
     */
    public synchronized void warm(TestDatabase db) {
        if (poolMode.equals("statement") || !warmed.add(db.database())) {
            return;
        }
        List<Connection> clients = new ArrayList<>();
        try {
            Properties props = new Properties();
            props.setProperty("user", db.user());
            props.setProperty("password", db.password());
            props.setProperty("prepareThreshold", "0");
            for (int i = 0; i < POOL_SIZE; i++) {
                Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db.database(), props);
                clients.add(c);
                c.setAutoCommit(false);
                c.createStatement().execute("SELECT 1");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fill the pool of " + db.database() + " through pgbouncer: " + e.getMessage() + "\n" + log(), e);
        } finally {
            for (Connection c : clients) {
                try {
                    // Ended, not abandoned: PgBouncer closes a server connection whose client left in a transaction.
                    c.rollback();
                    c.close();
                } catch (SQLException ignored) {
                    // only held to make PgBouncer open its server connections
                }
            }
        }
    }

    /**
     * Lets {@code role} log in through PgBouncer: copies its SCRAM verifier from {@code pg_authid} into the
     * auth file (a role of the embedded server without a password gets the test password) and reloads.
     */
    public synchronized void allow(String role) {
        try (Connection c = DriverManager.getConnection(adminUrl, adminUser, adminPassword)) {
            String verifier = verifier(c, role);
            if (verifier == null && role.equals(adminUser)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text)")) {
                    ps.setString(1, role);
                    ps.setString(2, adminPassword);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        c.createStatement().execute(rs.getString(1));
                    }
                }
                verifier = verifier(c, role);
            }
            if (verifier == null || !verifier.startsWith("SCRAM-SHA-256$")) {
                throw new IllegalStateException("role " + role + " has no SCRAM password for pgbouncer's auth file");
            }
            verifiers.put(role, verifier);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the SCRAM verifier of " + role + " from pg_authid (needs a superuser)", e);
        }
        StringBuilder lines = new StringBuilder();
        verifiers.forEach((name, secret) -> lines.append('"').append(name).append("\" \"").append(secret).append("\"\n"));
        try {
            Path file = dir.resolve("userlist.txt");
            Files.writeString(file, lines);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (process != null) {
            signal("HUP");
        }
    }

    /** PgBouncer's log, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String verifier(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
            // PgBouncer rereads its auth file on the signal, asynchronously: give it a moment.
            Thread.sleep(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void launch() throws IOException {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binary().orElseThrow().toString());
        command.add(dir.resolve("pgbouncer.ini").toString());
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        awaitListening();
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited at start: " + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        close();
        throw new IllegalStateException("pgbouncer did not listen on " + port + " within " + START_LIMIT + ": " + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Optional<Path> binary() {
        return findOnPath("pgbouncer").or(() -> Stream.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/local/sbin/pgbouncer"))
                .filter(Files::isExecutable).findFirst());
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator)).map(p -> Path.of(p, name)).filter(Files::isExecutable).findFirst();
    }
}
