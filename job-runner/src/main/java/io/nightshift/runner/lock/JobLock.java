package io.nightshift.runner.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One run per job at a time: a session-level PostgreSQL advisory lock keyed by the job's namespace and
 * name, held on the run's own connection until it closes. If the process dies, or the session is
 * terminated, PostgreSQL releases it: {@link #stillHeld} tells the run.
 */
public final class JobLock {

    private final Connection session;
    private final String key;

    private JobLock(Connection session, String key) {
        this.session = session;
        this.key = key;
    }

    /**
     * The lock's key: {@code nightshift:<name>} without a namespace (a run by hand), else
     * {@code nightshift:<namespace>/<name>}, so equal names in two namespaces do not block each other.
     */
    public static String key(String namespace, String jobName) {
        return "nightshift:" + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + jobName;
    }

    /** Takes the job's lock on {@code session}; empty when another run holds it. */
    public static java.util.Optional<JobLock> tryAcquire(Connection session, String namespace, String jobName) throws SQLException {
        String key = key(namespace, jobName);
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1) ? java.util.Optional.of(new JobLock(session, key)) : java.util.Optional.empty();
            }
        }
    }

    /**
     * Asks the session whether it still holds the lock. Throws when the session is gone (terminated,
     * server restarted), which means the lock is gone too.
     */
    public boolean stillHeld() throws SQLException {
        try (PreparedStatement ps = session.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                + "AND pid = pg_backend_pid() AND granted AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0))")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
