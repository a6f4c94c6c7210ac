package io.nightshift.runner.connection;

import io.nightshift.runner.tasks.ConfigurationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The PostgreSQL versions the runner supports: 14 to 18, each tested (the database tests run on every one). An
 * older server is refused in one line before any table is read or written, rather than failing later, half-way,
 * with an SQL error (retention's batches by page range, for one, need the ctid range scans of 14).
 */
public final class ServerVersion {

    public static final int OLDEST_SUPPORTED = 14;
    public static final int NEWEST_TESTED = 18;

    private ServerVersion() {
    }

    /** Reads {@code server_version_num} (e.g. 170006) and throws a configuration error for a server older than 14. */
    static void requireSupported(Connection connection, String where) throws SQLException {
        int number;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            number = Integer.parseInt(rs.getString(1).strip());
        }
        Optional<String> problem = problem(number, where);
        if (problem.isPresent()) {
            throw new ConfigurationException(problem.get());
        }
    }

    /** What is wrong with a server of {@code serverVersionNum} at {@code where}, if anything. */
    static Optional<String> problem(int serverVersionNum, String where) {
        if (serverVersionNum >= OLDEST_SUPPORTED * 10000) {
            return Optional.empty();
        }
        return Optional.of("PostgreSQL " + readable(serverVersionNum) + " at " + where + " is not supported: the runner needs PostgreSQL "
                + OLDEST_SUPPORTED + " or later (it is tested on " + OLDEST_SUPPORTED + " to " + NEWEST_TESTED + ")");
    }

    /** 130023 as 13.23; before 10, 90624 as 9.6.24. */
    static String readable(int serverVersionNum) {
        int major = serverVersionNum / 10000;
        if (major >= 10) {
            return major + "." + serverVersionNum % 10000;
        }
        return major + "." + serverVersionNum / 100 % 100 + "." + serverVersionNum % 100;
    }
}
