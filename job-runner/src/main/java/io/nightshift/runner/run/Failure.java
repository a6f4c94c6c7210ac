package io.nightshift.runner.run;

import io.nightshift.api.contract.ExitCodes;
import io.nightshift.runner.tasks.ConfigurationException;
import java.sql.SQLException;
import java.util.Set;

/**
 * How a run that threw ended, the same for every task: a configuration error (exit 2, a retry would
 * fail the same way) or a failed run (exit 1), with a message a person can act on.
 *
 * <p>Configuration errors by SQLSTATE: class 42 (syntax error, undefined table/column/function,
 * insufficient privilege, …), 28 (invalid authorization), 3D (no such database), 3F (no such schema),
 * 0A (feature not supported), 25001 (statement cannot run inside a transaction block) and 2D000
 * (invalid transaction termination). Everything else (connection loss, timeouts, deadlocks, lock
 * waits, data errors, server shutdown) is a failed run.
 */
public record Failure(int exitCode, String message) {

    private static final Set<String> CONFIGURATION_CLASSES = Set.of("42", "28", "3D", "3F", "0A");
    private static final Set<String> CONFIGURATION_STATES = Set.of("25001", "2D000");
    /** The server ended the session: shut down, crashed, or an administrator terminated it. */
    private static final Set<String> SERVER_ENDED = Set.of("57P01", "57P02", "57P03");
    /** A statement was cancelled: by its statement_timeout, or by the run itself when it stops. */
    private static final String QUERY_CANCELED = "57014";
    /** An open connection broke (not: could not connect, which says so itself). */
    private static final Set<String> SERVER_WENT_AWAY = Set.of("08000", "08006", "08007");

    public static Failure of(Throwable e) {
        if (e instanceof ConfigurationException) {
            return new Failure(ExitCodes.CONFIGURATION, e.getMessage());
        }
        SQLException sql = sqlCause(e);
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        return new Failure(isConfiguration(state) ? ExitCodes.CONFIGURATION : ExitCodes.FAILED, message(e, state));
    }

    /** True for the SQLSTATEs listed above: the statement or the grants are wrong, not the moment. */
    public static boolean isConfiguration(String sqlState) {
        return sqlState != null && sqlState.length() == 5
                && (CONFIGURATION_CLASSES.contains(sqlState.substring(0, 2)) || CONFIGURATION_STATES.contains(sqlState));
    }

    /** True when the connection is gone: the server closed it, crashed, or cannot be reached. */
    public static boolean isConnectionLost(Throwable e) {
        SQLException sql = sqlCause(e);
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        return state.startsWith("08") || SERVER_ENDED.contains(state);
    }

    /** True when {@code e} (or an exception it was caused by) is a statement PostgreSQL cancelled. */
    public static boolean isQueryCanceled(Throwable e) {
        SQLException sql = sqlCause(e);
        return sql != null && QUERY_CANCELED.equals(sql.getSQLState());
    }

    private static String message(Throwable e, String state) {
        String first = firstLine(e);
        if (state.equals("08003")) {
            return "the database server went away: the connection was closed (the server crashed, restarted or ended the session)"
                    + " (SQLSTATE 08003)";
        }
        if (SERVER_WENT_AWAY.contains(state)) {
            return "the database server went away: " + withState(first, state);
        }
        if (SERVER_ENDED.contains(state)) {
            return "the database server ended the session: " + withState(first, state);
        }
        return state.isEmpty() ? first : withState(first, state);
    }

    private static String withState(String text, String state) {
        return text.contains(state) ? text : text + " (SQLSTATE " + state + ")";
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s;
            }
        }
        return null;
    }
}
