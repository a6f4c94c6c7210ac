package io.nightshift.api.contract;

/** The runner's exit codes, which the CronJob's pod failure policy acts on. */
public final class ExitCodes {

    /** The run succeeded, or was skipped (another run holds the job's lock, or its slot is done). */
    public static final int SUCCESS = 0;
    /** The run failed; the Job may retry it within its backoff limit. */
    public static final int FAILED = 1;
    /** The configuration is invalid: a retry would fail the same way, so the pod failure policy fails the Job at once. */
    public static final int CONFIGURATION = 2;

    private ExitCodes() {
    }
}
