package io.nightshift.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one task, each named by its field path. */
final class Checks {

    /** No duration a task takes means anything beyond this; longer ones are typos. */
    static final Duration LONGEST = Duration.ofDays(36_500);

    private final String prefix;
    private final List<FieldError> errors = new ArrayList<>();

    Checks(String prefix) {
        this.prefix = prefix;
    }

    List<FieldError> errors() {
        return errors;
    }

    void fail(String field, String problem) {
        errors.add(new FieldError(prefix + "." + field, problem));
    }

    boolean required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            fail(field, "is required");
            return false;
        }
        return true;
    }

    void table(String field, String value, boolean required) {
        if (value == null && !required) {
            return;
        }
        if (required(field, value) && !Identifiers.isQualifiedName(value)) {
            fail(field, "'" + value + "' is not a table name: write it as table or schema.table (letters, digits and underscores)");
        }
    }

    void column(String field, String value, boolean required) {
        if (value == null && !required) {
            return;
        }
        if (required(field, value) && !Identifiers.isName(value)) {
            fail(field, "'" + value + "' is not a column name (letters, digits and underscores, at most 63)");
        }
    }

    Duration duration(String field, String value, boolean required) {
        if (value == null && !required) {
            return null;
        }
        if (!required(field, value)) {
            return null;
        }
        try {
            Duration d = Durations.parse(value);
            if (d.isZero()) {
                fail(field, "must be longer than 0s");
                return null;
            }
            if (d.compareTo(LONGEST) > 0) {
                fail(field, "'" + value + "' is longer than " + Durations.format(LONGEST) + " (100 years)");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            fail(field, e.getMessage());
            return null;
        }
    }

    /** A PostgreSQL timeout setting: milliseconds in an int, so at most about 24 days. */
    void timeoutSetting(String field, String value) {
        Duration d = duration(field, value, false);
        if (d != null && d.compareTo(Duration.ofDays(24)) > 0) {
            fail(field, "'" + value + "' is longer than PostgreSQL's longest timeout (24d)");
        }
    }

    void range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            fail(field, "must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** A {@code where} condition: one boolean expression the task can AND with its own (see {@link WhereCondition}). */
    void where(String field, String value) {
        notBlankIfSet(field, value);
        if (value != null && !value.isBlank()) {
            WhereCondition.problem(value).ifPresent(problem -> fail(field, problem));
        }
    }

    void notBlankIfSet(String field, String value) {
        if (value != null && value.isBlank()) {
            fail(field, "must not be empty when set");
        }
    }
}
