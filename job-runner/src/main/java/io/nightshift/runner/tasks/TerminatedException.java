package io.nightshift.runner.tasks;

/** The run stopped early because it was asked to (SIGTERM), after leaving the database consistent. */
public class TerminatedException extends RuntimeException {

    public TerminatedException(String message) {
        super(message);
    }
}
