package io.nightshift.runner.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM handling. Kubernetes sends SIGTERM at a Job's deadline or on eviction and kills the process
 * after the grace period. On SIGTERM the run is asked to stop; the signal handler then waits for the run
 * to record its end, up to {@link #WAIT}, so the process exits within 10 seconds.
 */
public final class StopSignal {

    static final Duration WAIT = Duration.ofSeconds(8);
    static final Duration CANCEL_AFTER = Duration.ofSeconds(3);

    private volatile boolean requested;
    private final CountDownLatch recorded = new CountDownLatch(1);
    private volatile Runnable onStop = () -> { };
    private volatile Runnable onGiveUp = () -> { };

    /** Installs the SIGTERM (JVM shutdown) hook. */
    public static StopSignal install() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(signal::terminate, "sigterm"));
        return signal;
    }

    public boolean requested() {
        return requested;
    }

    /** What to do when asked to stop and the run has not ended within {@link #CANCEL_AFTER}: cancel its queries. */
    void onStop(Runnable action) {
        this.onStop = action;
    }

    /** What to do when the run has not recorded its end within {@link #WAIT}: record it from here. */
    void onGiveUp(Runnable action) {
        this.onGiveUp = action;
    }

    /** The run recorded its end (ledger and result document): the process may exit. */
    void recorded() {
        recorded.countDown();
    }

    void terminate() {
        if (recorded.getCount() == 0) {
            return;
        }
        requested = true;
        try {
            if (!recorded.await(CANCEL_AFTER.toMillis(), TimeUnit.MILLISECONDS)) {
                onStop.run();
                if (!recorded.await(WAIT.minus(CANCEL_AFTER).toMillis(), TimeUnit.MILLISECONDS)) {
                    onGiveUp.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
