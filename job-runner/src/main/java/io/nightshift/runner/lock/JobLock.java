package io.nightshift.runner.lock;

import io.nightshift.runner.connection.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * One run per job at a time: a transaction-scoped PostgreSQL advisory lock keyed by the job's namespace
 * and name, taken in a transaction that stays open for the whole run on a connection of its own. A
 * transaction-mode pooler lends a server connection for a whole transaction, so the lock stays where it
 * was taken, as on a direct connection. {@link #close} ends the transaction and with it the lock; if the
 * process dies or the session is terminated, PostgreSQL releases it, and {@link #stillHeld} tells the run.
 * While a run's ledger row is {@code running}, the same transaction holds the row's lock ({@link #holdRow}).
 *
 * <p>The transaction writes nothing and, its statements sent as simple queries in read committed, keeps no
 * snapshot between them, so it holds back no vacuum; {@code pg_stat_activity} shows it
 * {@code idle in transaction}, application {@code nightshift-job-runner}. Through a pooler it holds one
 * server connection of the pool for the whole run.
 */
public final class JobLock implements AutoCloseable {

    /**
     * For the lock's transaction only: read committed whatever the database's default (a repeatable-read
     * transaction would keep its first snapshot, and hold back vacuum, for the whole run), and never ended
     * by the server for being idle.
     */
    private static final String HELD_OPEN = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; SET LOCAL idle_in_transaction_session_timeout = 0";

    private final Connection connection;
    private final String key;

    private JobLock(Connection connection, String key) {
        this.connection = connection;
        this.key = key;
    }

    /**
     * The lock's key: {@code nightshift:<name>} without a namespace (a run by hand), else
     * {@code nightshift:<namespace>/<name>}, so equal names in two namespaces do not block each other.
     */
    public static String key(String namespace, String jobName) {
        return "nightshift:" + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + jobName;
    }

    /**
     * Takes the job's lock on a new connection; empty when another run holds it.
     *
     * @throws StatementPoolingException when the database is reached through a pooler in statement mode,
     *     where no transaction can span two statements
     */
    public static Optional<JobLock> tryAcquire(Database database, String namespace, String jobName) throws SQLException {
        String key = key(namespace, jobName);
        Connection c = database.openWithSimpleQueries();
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(HELD_OPEN);
            }
            if (tryLock(c, key)) {
                return Optional.of(new JobLock(c, key));
            }
            c.rollback();
            c.close();
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (StatementPoolingException.isStatementPooling(e)) {
                throw new StatementPoolingException(database.settings());
            }
            throw e;
        }
    }

    private static boolean tryLock(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Holds the lock keyed {@code rowKey} until the run ends, waiting for a moment if another run is
     * checking it. A run calls it before the insert of its {@code running} row commits: no one sees the row unlocked.
     */
    public synchronized void holdRow(String rowKey) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, rowKey);
            ps.execute();
        }
    }

    /**
     * Asks the lock's session whether it still holds the lock. Throws when the session is gone (terminated,
     * server restarted, the pooler closed it), which means the lock is gone too.
     */
    public synchronized boolean stillHeld() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                + "AND pid = pg_backend_pid() AND granted AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0))")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Ends the transaction, releasing the job's lock and the row's, and closes the connection. */
    @Override
    public synchronized void close() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the session is gone, and its locks with it
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing was written on it
        }
    }
}
