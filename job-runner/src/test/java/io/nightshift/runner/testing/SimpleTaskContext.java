package io.nightshift.runner.testing;

import io.nightshift.runner.tasks.Stats;
import io.nightshift.runner.tasks.TaskContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link TaskContext} for driving one task directly against a test database. */
public final class SimpleTaskContext implements TaskContext {

    private final TestDatabase db;
    private final Map<String, String> env;
    private final Stats stats = new Stats();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final boolean dryRun;
    private volatile boolean stop;

    public SimpleTaskContext(TestDatabase db, Map<String, String> env, boolean dryRun) {
        this.db = db;
        this.env = env;
        this.dryRun = dryRun;
    }

    @Override
    public Connection openConnection() throws SQLException {
        return db.connect();
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
        return stop;
    }

    public void requestStop() {
        stop = true;
    }

    @Override
    public String env(String name) {
        return env.get(name);
    }

    @Override
    public void log(String line) {
        lines.add(line);
    }

    public List<String> lines() {
        return lines;
    }
}
