package io.nightshift.runner.tasks.sql;

import io.nightshift.api.Durations;
import io.nightshift.api.SqlTask;
import io.nightshift.runner.connection.LocalSettings;
import io.nightshift.runner.run.RunLog;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.tasks.MaintenanceTask;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TaskOutcome;
import io.nightshift.runner.tasks.TerminatedException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Task {@code sql}: one statement, or a list in one transaction, or a function call; or one statement
 * repeated, each time in its own transaction, until it affects no rows. A dry run executes inside a
 * transaction that is rolled back, so it reports what would change and changes nothing.
 */
public final class SqlRunner implements MaintenanceTask {

    private final SqlTask params;
    /** statementTimeout, for each transaction ({@code SET LOCAL}), so that it holds through a transaction-mode pooler. */
    private final LocalSettings timeout;

    public SqlRunner(SqlTask params) {
        this.params = params;
        this.timeout = params.statementTimeout() == null ? LocalSettings.NONE
                : LocalSettings.of("statement_timeout", String.valueOf(Durations.parse(params.statementTimeout()).toMillis()));
    }

    @Override
    public TaskOutcome run(TaskContext context) throws SQLException {
        context.stats().init("rows", "batches");
        Instant start = Instant.now();
        try (Connection c = context.openConnection()) {
            String summary;
            if (!params.inTransaction()) {
                summary = outsideTransaction(c, context);
            } else {
                c.setAutoCommit(false);
                summary = params.repeats() ? repeat(c, context) : once(c, context);
            }
            return TaskOutcome.succeeded(summary + " (" + RunLog.elapsed(Duration.between(start, Instant.now())) + ")");
        }
    }

    private String once(Connection c, TaskContext context) throws SQLException {
        long rows = 0;
        try (Statement st = c.createStatement()) {
            timeout.apply(c);
            for (String sql : params.allStatements()) {
                rows += execute(st, sql, context);
            }
            finish(c, context);
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
        context.stats().add("rows", rows);
        context.stats().add("batches", 1);
        int n = params.allStatements().size();
        Object result = context.stats().snapshot().get("result");
        return "sql: " + (n == 1 ? "1 statement" : n + " statements in one transaction") + ", " + RunLog.count(rows)
                + (context.dryRun() ? " rows would be affected" : " rows affected") + (result == null ? "" : ", result " + result);
    }

    /** transaction: false: each statement on its own (auto-commit), as maintenance statements such as VACUUM require. */
    private String outsideTransaction(Connection c, TaskContext context) throws SQLException {
        List<String> statements = params.allStatements();
        if (context.dryRun()) {
            return "sql: would run " + statements.size() + " statement(s), each on its own outside a transaction (a dry run does not run them)";
        }
        int max = params.repeats() ? params.maxBatchesOrDefault() : 1;
        try (Statement st = c.createStatement()) {
            // No transaction to set it in: the driver cancels a statement that runs longer (the pooler passes the cancel on).
            st.setQueryTimeout(timeoutSeconds());
            for (int batch = 1; batch <= max; batch++) {
                long n = 0;
                for (String sql : statements) {
                    if (context.stopRequested()) {
                        throw new TerminatedException("stopped after " + context.stats().get("batches") + " statements");
                    }
                    n += executeWithin(st, sql, context);
                    context.stats().add("batches", 1);
                }
                context.stats().add("rows", n);
                if (n == 0 && params.repeats()) {
                    break;
                }
            }
        }
        return "sql: " + statements.size() + (statements.size() == 1 ? " statement" : " statements") + " outside a transaction, "
                + RunLog.count(context.stats().get("rows")) + " rows affected";
    }

    private String repeat(Connection c, TaskContext context) throws SQLException {
        int max = params.maxBatchesOrDefault();
        try (Statement st = c.createStatement()) {
            for (int batch = 1; batch <= max; batch++) {
                if (context.stopRequested()) {
                    throw new TerminatedException("stopped after " + context.stats().get("batches") + " batches, "
                            + RunLog.count(context.stats().get("rows")) + " rows");
                }
                long n;
                try {
                    timeout.apply(c);
                    n = execute(st, params.statement(), context);
                    finish(c, context);
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
                if (n == 0) {
                    break;
                }
                context.stats().add("rows", n);
                context.stats().add("batches", 1);
                if (context.dryRun()) {
                    return "sql: the first batch would affect " + RunLog.count(n) + " rows";
                }
                if (batch == max) {
                    context.stats().put("maxBatchesReached", true);
                }
            }
        }
        String summary = "sql: " + RunLog.count(context.stats().get("rows")) + " rows in " + context.stats().get("batches") + " batches";
        return context.stats().snapshot().containsKey("maxBatchesReached") ? summary + ", stopped at maxBatches (" + max + "): rows may remain"
                : summary;
    }

    /** statementTimeout in whole seconds (rounded up), as the driver's own timeout takes it; 0 for none. */
    private int timeoutSeconds() {
        if (params.statementTimeout() == null) {
            return 0;
        }
        long ms = Durations.parse(params.statementTimeout()).toMillis();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (ms + 999) / 1000));
    }

    /** {@link #execute} of a statement outside a transaction, whose time the driver bounds: its cancel is said as the timeout it is. */
    private long executeWithin(Statement st, String sql, TaskContext context) throws SQLException {
        try {
            return execute(st, sql, context);
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState()) && params.statementTimeout() != null && !context.stopRequested()) {
                throw new SQLException("canceling statement due to statement timeout: it ran longer than task.sql.statementTimeout ("
                        + params.statementTimeout() + ")", "57014", e);
            }
            throw e;
        }
    }

    /** Runs one statement; returns the rows it changed and records a function's scalar result. */
    private static long execute(Statement st, String sql, TaskContext context) throws SQLException {
        boolean hasResultSet;
        try {
            hasResultSet = st.execute(sql);
        } catch (SQLException e) {
            // 25001: VACUUM, CREATE INDEX CONCURRENTLY ... in a transaction block; 2D000: a procedure's COMMIT inside one.
            if ("25001".equals(e.getSQLState()) || "2D000".equals(e.getSQLState())) {
                throw new ConfigurationException("task.sql.transaction: " + firstLine(e.getMessage())
                        + ": set transaction: false to run each statement on its own, outside a transaction");
            }
            throw e;
        }
        long rows = 0;
        while (true) {
            if (hasResultSet) {
                try (ResultSet rs = st.getResultSet()) {
                    if (rs.getMetaData().getColumnCount() == 1 && rs.next()) {
                        Object value = rs.getObject(1);
                        if (!rs.next()) {
                            recordScalar(value, context);
                        }
                    }
                }
            } else {
                long count = st.getLargeUpdateCount();
                if (count == -1) {
                    break;
                }
                rows += count;
            }
            hasResultSet = st.getMoreResults();
        }
        return rows;
    }

    private static void recordScalar(Object value, TaskContext context) {
        if (value == null || "".equals(value)) {
            return;
        }
        if (value instanceof BigDecimal d) {
            context.stats().put("result", numeric(d));
        } else if (value instanceof Number || value instanceof Boolean) {
            context.stats().put("result", value);
        } else {
            context.stats().put("result", value.toString());
        }
    }

    /**
     * A numeric result as exactly as JSON readers keep it: a whole number that fits a long as a number, a
     * fraction a double holds exactly as a number, anything else (numeric has 1000 digits) as its exact text.
     */
    static Object numeric(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            try {
                return stripped.longValueExact();
            } catch (ArithmeticException beyondLong) {
                return stripped.toPlainString();
            }
        }
        double asDouble = d.doubleValue();
        if (Double.isFinite(asDouble) && BigDecimal.valueOf(asDouble).compareTo(d) == 0) {
            return asDouble;
        }
        return stripped.toPlainString();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
    }

    private static void finish(Connection c, TaskContext context) throws SQLException {
        if (context.dryRun()) {
            c.rollback();
        } else {
            c.commit();
        }
    }
}
