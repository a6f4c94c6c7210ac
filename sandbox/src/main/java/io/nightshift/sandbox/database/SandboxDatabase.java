package io.nightshift.sandbox.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The team's PostgreSQL: an embedded server (the one the tests use) with one application database, {@code app}. */
public final class SandboxDatabase implements AutoCloseable {

    public static final String DATABASE = "app";
    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";

    private final EmbeddedPostgres server;

    private SandboxDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    public static SandboxDatabase start() throws IOException, SQLException {
        EmbeddedPostgres server = EmbeddedPostgres.builder().start();
        try (Connection c = DriverManager.getConnection(server.getJdbcUrl(USER, "postgres"), USER, PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DATABASE);
        }
        return new SandboxDatabase(server);
    }

    /** The connection string as a Secret would hold it: {@code postgresql://user:pass@127.0.0.1:port/app}. */
    public String uri() {
        return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.getPort() + "/" + DATABASE;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + DATABASE, USER, PASSWORD);
    }

    /** Runs a SQL script (several statements, functions with dollar quotes) in one go. */
    public void runScript(Path script) throws IOException, SQLException {
        runSql(Files.readString(script));
    }

    public void runSql(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
