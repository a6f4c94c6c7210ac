package io.nightshift.runner.lock;

import io.nightshift.runner.connection.ConnectionSettings;
import io.nightshift.runner.tasks.ConfigurationException;
import java.sql.SQLException;

/**
 * The database is reached through a pooler in statement mode (PgBouncer {@code pool_mode = statement}),
 * which ends every transaction after one statement: the job's lock cannot be held, so one run at a time
 * cannot be promised. A configuration error: another connection string is needed.
 */
public final class StatementPoolingException extends ConfigurationException {

    /** What PgBouncer answers a transaction in statement mode (SQLSTATE 08P01, then it closes the connection). */
    private static final String PGBOUNCER_MESSAGE = "transaction blocks not allowed in statement pooling mode";

    StatementPoolingException(ConnectionSettings settings) {
        super("the database " + settings + " is reached through a pooler in statement mode, which allows no transaction of two "
                + "statements, so the job's lock (one run at a time) cannot be held: use the pooler's transaction-mode connection string "
                + "(Supabase: port 6543), its session-mode one (Supabase: port 5432) or a direct connection");
    }

    static boolean isStatementPooling(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null && t.getMessage().contains(PGBOUNCER_MESSAGE)) {
                return true;
            }
        }
        return false;
    }
}
