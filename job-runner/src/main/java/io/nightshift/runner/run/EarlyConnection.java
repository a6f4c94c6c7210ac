package io.nightshift.runner.run;

import io.nightshift.runner.connection.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The task's first connection, opened in the background while the run is recorded in the ledger, so
 * that the task waits neither for a login of its own nor for the look-ups it can make beforehand
 * ({@link io.nightshift.runner.tasks.MaintenanceTask#prepare}). Taken at most once; closed if never taken.
 */
final class EarlyConnection implements AutoCloseable {

    private final CompletableFuture<Connection> opening = new CompletableFuture<>();
    private boolean taken;

    private EarlyConnection() {
    }

    /** Opens the connection and runs {@code prepare} on it; the connection is taken once both are done. */
    static EarlyConnection open(Database database, Consumer<Connection> prepare) {
        EarlyConnection early = new EarlyConnection();
        Thread opener = new Thread(() -> {
            Connection c;
            try {
                c = database.open();
            } catch (Throwable e) {
                early.opening.completeExceptionally(e);
                return;
            }
            try {
                prepare.accept(c);
            } finally {
                early.opening.complete(c);
            }
        }, "open-task-connection");
        opener.setDaemon(true);
        opener.start();
        return early;
    }

    /**
     * The connection, once; then empty, as after a failed login (the caller opens its own and reports
     * that failure with its own message).
     */
    synchronized Connection take() {
        if (taken) {
            return null;
        }
        taken = true;
        try {
            return opening.join();
        } catch (CompletionException e) {
            return null;
        }
    }

    /** Closes the connection if the task never took it. */
    @Override
    public synchronized void close() {
        if (taken) {
            return;
        }
        taken = true;
        opening.thenAccept(c -> {
            try {
                c.close();
            } catch (SQLException ignored) {
                // it was never used: nothing to lose
            }
        });
    }
}
