package io.nightshift.runner.tasks.cutoff;

import io.nightshift.api.Durations;
import io.nightshift.runner.connection.LocalSettings;
import io.nightshift.runner.tasks.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The moment before which rows are old, computed once per run by the database clock, exactly as a DBA
 * would write it in a plain session: {@code col < now() - interval '5 days'}. The interval keeps the
 * units written ({@code 5d} is 5 calendar days in the session's zone, also across a DST change), and
 * the bound is given in the column's own type so that nothing depends on how PostgreSQL casts between them:
 * <ul>
 * <li>{@code timestamptz}: the instant;</li>
 * <li>{@code timestamp}: the wall-clock time of that instant in the session's time zone (the database's
 * {@code timezone} setting unless the task names another): the app wrote local times in that zone;</li>
 * <li>{@code date}: the calendar day of that instant; rows of that day are kept (a row dated on the
 * cutoff day is not yet entirely older than the cutoff).</li>
 * </ul>
 *
 * @param bound the value to bind, of the column's kind
 */
public record Cutoff(OffsetDateTime instant, ColumnKind kind, Object bound, String timeZone) {

    /**
     * Computes the cutoff in a transaction whose time zone is the given one, or the database's (set for that
     * transaction only: through a transaction-mode pooler a session setting would reach another client).
     */
    public static Cutoff compute(Connection c, String field, String olderThan, ColumnKind kind, String timeZone) throws SQLException {
        String zone = timeZone == null ? SessionTimeZone.of(c) : timeZone;
        return LocalSettings.NONE.inTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('TimeZone', ?, true)")) {
                ps.setString(1, zone);
                ps.execute();
            } catch (SQLException e) {
                if ("22023".equals(e.getSQLState())) {
                    throw new ConfigurationException(field.replace("olderThan", "timeZone") + ": '" + zone + "' is not a time zone PostgreSQL knows");
                }
                throw e;
            }
            return inSessionZone(c, field, olderThan, kind, zone);
        });
    }

    private static Cutoff inSessionZone(Connection c, String field, String olderThan, ColumnKind kind, String zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT now() - ?::interval, (now() - ?::interval)::timestamp, (now() - ?::interval)::date")) {
            String interval = Durations.postgresInterval(olderThan);
            for (int i = 1; i <= 3; i++) {
                ps.setString(i, interval);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime instant = rs.getObject(1, OffsetDateTime.class);
                Object bound = switch (kind) {
                    case TIMESTAMPTZ -> instant;
                    case TIMESTAMP -> rs.getObject(2, LocalDateTime.class);
                    case DATE -> rs.getObject(3, LocalDate.class);
                };
                return new Cutoff(instant, kind, bound, zone);
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                throw new ConfigurationException(field + ": '" + olderThan + "' reaches before the earliest date PostgreSQL can hold");
            }
            throw e;
        }
    }

    /** {@code ?::type} for the bound. */
    public String parameter() {
        return "?::" + kind.sqlType();
    }

    @Override
    public String toString() {
        return kind == ColumnKind.TIMESTAMPTZ ? instant.toString() : bound + " (" + timeZone + ")";
    }
}
