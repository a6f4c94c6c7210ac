package io.nightshift.runner.tasks.cutoff;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The {@code TimeZone} a plain session (psql, the application's pool) of this role in this database
 * starts with. The JDBC driver always sends the JVM's zone at login, so the runner's own session does
 * not show it: it is looked up the way the server resolves it (role and database settings, then the
 * server's configuration).
 */
public final class SessionTimeZone {

    private SessionTimeZone() {
    }

    public static String of(Connection c) throws SQLException {
        Optional<String> configured = fromRoleAndDatabaseSettings(c);
        if (configured.isPresent()) {
            return configured.get();
        }
        return fromConfigFile(c).orElseGet(() -> logTimeZone(c));
    }

    private static Optional<String> fromRoleAndDatabaseSettings(Connection c) throws SQLException {
        // Precedence as at login: role in this database, role, this database, every role (ALTER ROLE ALL).
        String sql = "SELECT substr(cfg, strpos(cfg, '=') + 1) FROM pg_db_role_setting s, unnest(s.setconfig) cfg"
                + " WHERE s.setrole IN (0, (SELECT oid FROM pg_roles WHERE rolname = session_user))"
                + " AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))"
                + " AND lower(split_part(cfg, '=', 1)) = 'timezone'"
                + " ORDER BY (s.setrole <> 0 AND s.setdatabase <> 0) DESC, (s.setrole <> 0) DESC, (s.setdatabase <> 0) DESC LIMIT 1";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** postgresql.conf's value; readable only by superusers and pg_read_all_settings. */
    private static Optional<String> fromConfigFile(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("SELECT setting FROM pg_file_settings WHERE lower(name) = 'timezone' AND applied"
                + " AND error IS NULL ORDER BY seqno DESC LIMIT 1"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** initdb writes the same zone to timezone and log_timezone, and log_timezone is not overridden by clients. */
    private static String logTimeZone(Connection c) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('log_timezone')")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "UTC";
        }
    }
}
