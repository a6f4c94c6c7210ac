package io.nightshift.api.contract;

/**
 * How a run that was stopped (SIGTERM: the job's timeout, an eviction, a node drain) says so in its error,
 * and how the operator tells such a run from a task that failed on its own.
 */
public final class Termination {

    /** The start of every stopped run's error. */
    public static final String PREFIX = "terminated before completion";

    private Termination() {
    }

    /** The error of a stopped run, e.g. {@code terminated before completion: the task did not stop within 8 s}. */
    public static String message(String detail) {
        return PREFIX + ": " + detail;
    }

    /** Whether a run's error says it was stopped. */
    public static boolean stopped(String error) {
        return error != null && error.startsWith(PREFIX);
    }
}
