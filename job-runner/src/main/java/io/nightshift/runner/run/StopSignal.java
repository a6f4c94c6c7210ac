package io.nightshift.runner.run;

import io.nightshift.api.contract.ExitCodes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * SIGTERM handling. Kubernetes sends SIGTERM at a Job's deadline or on eviction and kills the process
 * after the grace period (30 s by default). On SIGTERM the run is asked to stop; after
 * {@link #CANCEL_AFTER} its running statements are cancelled; after {@link #WAIT} the handler records
 * the end itself, spending at most {@link #GIVE_UP_LIMIT} on it, whatever the database does. The
 * process then exits with the exit code of the recorded end (1 for a run stopped before completion),
 * at most {@link #WAIT} + {@link #GIVE_UP_LIMIT} after the signal.
 */
public final class StopSignal {

    static final Duration WAIT = Duration.ofSeconds(8);
    static final Duration CANCEL_AFTER = Duration.ofSeconds(3);
    static final Duration GIVE_UP_LIMIT = Duration.ofSeconds(5);

    private volatile boolean requested;
    private volatile int exitCode = ExitCodes.FAILED;
    private final CountDownLatch recorded = new CountDownLatch(1);
    private volatile Runnable onStop = () -> { };
    private volatile IntSupplier onGiveUp = () -> ExitCodes.FAILED;
    private Thread hook;

    /** Installs the SIGTERM (JVM shutdown) hook for the length of one run; see {@link #uninstall}. */
    public static StopSignal install() {
        StopSignal signal = new StopSignal();
        signal.hook = new Thread(signal::terminate, "sigterm");
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** The run is over: a later exit is an ordinary one, with the code the command returns. */
    public void uninstall() {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running: it exits with the recorded code
            }
        }
    }

    public boolean requested() {
        return requested;
    }

    /** What to do when asked to stop and the run has not ended within {@link #CANCEL_AFTER}: cancel its queries. */
    void onStop(Runnable action) {
        this.onStop = action;
    }

    /**
     * What to do when the run has not recorded its end within {@link #WAIT}: record it from here, within
     * {@link #GIVE_UP_LIMIT}; returns the exit code of what it recorded.
     */
    void onGiveUp(IntSupplier action) {
        this.onGiveUp = action;
    }

    /** The run recorded its end (ledger and result document): the process may exit with {@code code}. */
    void recorded(int code) {
        exitCode = code;
        recorded.countDown();
    }

    void terminate() {
        requested = true;
        try {
            if (!recorded.await(CANCEL_AFTER.toMillis(), TimeUnit.MILLISECONDS)) {
                runAside("cancel", onStop);
                if (!recorded.await(WAIT.minus(CANCEL_AFTER).toMillis(), TimeUnit.MILLISECONDS)) {
                    Thread giveUp = runAside("give-up", () -> exitCode = onGiveUp.getAsInt());
                    giveUp.join(GIVE_UP_LIMIT.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.flush();
        // The recorded end decides the exit code (0, 1 or 2), not the signal: the contract has no 143.
        Runtime.getRuntime().halt(exitCode);
    }

    /** Runs {@code action} on a daemon thread, so a database that stops answering cannot hold the exit. */
    private static Thread runAside(String name, Runnable action) {
        Thread t = new Thread(action, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
