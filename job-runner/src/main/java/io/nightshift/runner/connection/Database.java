package io.nightshift.runner.connection;

import io.nightshift.runner.tasks.ConfigurationException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens connections to the maintained database and turns connection failures into errors a person can act on.
 * A connection carries no session state the runner relies on (no SET, no named prepared statement, no session
 * lock): each transaction stands on its own, so it may reach any server connection of a transaction-mode pooler.
 */
public final class Database {

    private final ConnectionSettings settings;
    private volatile boolean versionChecked;

    public Database(ConnectionSettings settings) {
        this.settings = settings;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /**
     * Opens a connection (auto-commit on).
     *
     * @throws ConfigurationException for wrong credentials, a database that does not exist or a server older than
     *         PostgreSQL 14 (a retry won't help); the server's version is checked on the first connection
     * @throws SQLException with a clear message when the server cannot be reached
     */
    public Connection open() throws SQLException {
        return open(settings.driverProperties());
    }

    /**
     * Opens a connection that sends each statement as a simple query, for a transaction held open between
     * statements: with the extended protocol the server keeps a statement's portal, and with it the
     * statement's snapshot (which holds back vacuum), until the next statement; a simple query drops it at once.
     */
    public Connection openWithSimpleQueries() throws SQLException {
        Properties props = settings.driverProperties();
        props.setProperty("preferQueryMode", "simple");
        return open(props);
    }

    /**
     * Opens a connection on which connecting, logging in and every answer are bounded by {@code limit}:
     * for recording a run's end when the server may have stopped answering.
     */
    public Connection openBounded(Duration limit) throws SQLException {
        Properties props = settings.driverProperties();
        String seconds = String.valueOf(Math.max(1, limit.toSeconds()));
        props.setProperty("connectTimeout", seconds);
        props.setProperty("loginTimeout", seconds);
        props.setProperty("socketTimeout", seconds);
        return open(props);
    }

    private Connection open(Properties props) throws SQLException {
        Connection connection;
        try {
            connection = DriverManager.getConnection(settings.jdbcUrl(), props);
        } catch (SQLException e) {
            throw clear(e);
        }
        if (!versionChecked) {
            try {
                ServerVersion.requireSupported(connection, settings.toString());
                versionChecked = true;
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    /** The failure to connect, said so that a person can act on it; refused credentials or database: configuration errors. */
    private SQLException clear(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = settings.toString();
        if (state.equals("28P01") || state.equals("28000")) {
            throw new ConfigurationException("database " + where + " refused the credentials: authentication failed for user "
                    + settings.user());
        }
        if (state.equals("3D000")) {
            throw new ConfigurationException("database " + where + ": database \"" + settings.database() + "\" does not exist");
        }
        if (state.startsWith("08")) {
            return new SQLException("cannot reach the database at " + settings.host() + ":" + settings.port() + " ("
                    + firstLine(e.getMessage()) + ")", state, e);
        }
        return new SQLException("cannot connect to " + where + ": " + firstLine(e.getMessage()), state, e);
    }

    private String firstLine(String message) {
        String text = message == null ? "" : message.lines().findFirst().orElse("");
        return settings.password() == null || settings.password().isEmpty() ? text : text.replace(settings.password(), "***");
    }
}
