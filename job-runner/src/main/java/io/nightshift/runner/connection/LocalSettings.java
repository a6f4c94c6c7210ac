package io.nightshift.runner.connection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Server settings that last one transaction ({@code SET LOCAL}): a session {@code SET} stays on whichever
 * server connection a transaction-mode pooler lent, where other clients meet it, and is gone from the
 * runner's next transaction. These are set at the start of each transaction that needs them, in one round
 * trip, and end with it.
 */
public record LocalSettings(Map<String, String> values) {

    public static final LocalSettings NONE = new LocalSettings(Map.of());

    /** A transaction's work. */
    public interface Work<T> {
        T run() throws SQLException;
    }

    public LocalSettings {
        values = Map.copyOf(values);
    }

    public static LocalSettings of(String name, String value) {
        return NONE.and(name, value);
    }

    /** These settings and {@code name = value}; insertion order is kept, a later value of a name wins. */
    public LocalSettings and(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(name, value);
        return new LocalSettings(more);
    }

    /** Sets them for the rest of the transaction open on {@code c} (auto-commit off). */
    public void apply(Connection c) throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        if (c.getAutoCommit()) {
            throw new IllegalStateException("settings for one transaction need a transaction: auto-commit is on");
        }
        StringJoiner calls = new StringJoiner(", ", "SELECT ", "");
        values.keySet().forEach(name -> calls.add("set_config(?, ?, true)"));
        try (PreparedStatement ps = c.prepareStatement(calls.toString())) {
            int i = 1;
            for (Map.Entry<String, String> e : values.entrySet()) {
                ps.setString(i++, e.getKey());
                ps.setString(i++, e.getValue());
            }
            ps.execute();
        }
    }

    /**
     * Runs {@code work} in a transaction of its own with these settings: commits what it did, or rolls back
     * when it throws. {@code c} is left in auto-commit mode as it was, or, when a transaction was already
     * open on it, the work joins that transaction and the caller ends it.
     */
    public <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        if (!c.getAutoCommit()) {
            apply(c);
            return work.run();
        }
        c.setAutoCommit(false);
        try {
            apply(c);
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            restoreAutoCommit(c);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection broke: the server rolled the transaction back
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection broke; its next use says so
        }
    }
}
