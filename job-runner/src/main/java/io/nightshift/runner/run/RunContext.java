package io.nightshift.runner.run;

import io.nightshift.runner.connection.Database;
import io.nightshift.runner.tasks.Stats;
import io.nightshift.runner.tasks.TaskContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.postgresql.PGConnection;

/** The runner's {@link TaskContext}: tracks the task's connections so a stop request can cancel what they run. */
final class RunContext implements TaskContext {

    private final Database database;
    private final boolean dryRun;
    private final Stats stats = new Stats();
    private final StopSignal stop;
    private final Function<String, String> env;
    private final RunLog log;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final EarlyConnection early;
    private volatile String lockLost;

    RunContext(Database database, boolean dryRun, StopSignal stop, Function<String, String> env, RunLog log) {
        this(database, null, dryRun, stop, env, log);
    }

    /** {@code early}: a connection being opened for the task's first {@link #openConnection()}, or null. */
    RunContext(Database database, EarlyConnection early, boolean dryRun, StopSignal stop, Function<String, String> env, RunLog log) {
        this.database = database;
        this.early = early;
        this.dryRun = dryRun;
        this.stop = stop;
        this.env = env;
        this.log = log;
    }

    @Override
    public Connection openConnection() throws SQLException {
        open.removeIf(RunContext::closed);
        Connection c = early == null ? null : early.take();
        if (c == null) {
            c = database.open();
        }
        open.add(c);
        return c;
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Cancels the statements the task's connections are running, so a stop is not held up by a long query. */
    void cancelRunningStatements() {
        for (Connection c : open) {
            try {
                c.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException ignored) {
                // the connection is closing or closed: nothing runs on it
            }
        }
    }

    /** The run's session and with it the job's lock are gone: stop at once, as for SIGTERM, and cancel what runs. */
    synchronized void loseLock(String why) {
        if (lockLost == null) {
            lockLost = why;
            cancelRunningStatements();
        }
    }

    /** Why the run lost its lock; null while it holds it. */
    String lockLost() {
        return lockLost;
    }

    @Override
    public boolean dryRun() {
        return dryRun;
    }

    @Override
    public Stats stats() {
        return stats;
    }

    @Override
    public boolean stopRequested() {
        return stop.requested() || lockLost != null;
    }

    @Override
    public String env(String name) {
        return env.apply(name);
    }

    @Override
    public void log(String line) {
        log.line(line);
    }
}
