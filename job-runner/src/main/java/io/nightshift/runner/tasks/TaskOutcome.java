package io.nightshift.runner.tasks;

/**
 * How a task ended. {@code success=false} is a failed run that still did some of its work (e.g. every
 * storage request failed); the summary says what happened in a person's words.
 */
public record TaskOutcome(boolean success, String summary) {

    public static TaskOutcome succeeded(String summary) {
        return new TaskOutcome(true, summary);
    }

    public static TaskOutcome failed(String summary) {
        return new TaskOutcome(false, summary);
    }
}
