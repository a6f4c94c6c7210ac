package io.nightshift.runner.tasks;

/** The task cannot run as configured: a retry would fail the same way (runner exit code 2). */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
