package io.nightshift.api;

/** One problem with one field of a task or resource, e.g. {@code task.retention.olderThan: must be a duration like 2d}. */
public record FieldError(String field, String problem) {

    @Override
    public String toString() {
        return field + ": " + problem;
    }
}
