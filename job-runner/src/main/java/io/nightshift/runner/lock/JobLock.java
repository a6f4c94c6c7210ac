package io.nightshift.runner.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One run per job at a time: a session-level PostgreSQL advisory lock keyed by the job name, held on
 * the run's own connection until it closes. If the process dies, PostgreSQL releases it.
 */
public final class JobLock {

    private JobLock() {
    }

    /** Tries to take the job's lock on {@code connection}; false when another run holds it. */
    public static boolean tryAcquire(Connection connection, String jobName) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            ps.setString(1, "nightshift:" + jobName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
