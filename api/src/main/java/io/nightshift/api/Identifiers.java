package io.nightshift.api;

import java.util.regex.Pattern;

/**
 * PostgreSQL identifiers named in tasks (schemas, tables, columns). They are checked against a strict
 * pattern and always quoted when they reach SQL, so a name can never carry SQL with it. Names are
 * matched exactly as written (case-sensitive), like the names in {@code pg_catalog}.
 */
public final class Identifiers {

    /** A bare identifier: a letter or underscore, then letters, digits or underscores; at most 63 characters. */
    public static final String NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,62}$";

    /** A table, optionally qualified by its schema: {@code system_logs} or {@code public.system_logs}. */
    public static final String QUALIFIED_PATTERN = "^([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$";

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final Pattern QUALIFIED = Pattern.compile(QUALIFIED_PATTERN);

    private Identifiers() {
    }

    public static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    public static boolean isQualifiedName(String s) {
        return s != null && QUALIFIED.matcher(s).matches();
    }

    /** Quotes a name that {@link #isName} accepted; refuses anything else. */
    public static String quote(String name) {
        if (!isName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid identifier");
        }
        return '"' + name + '"';
    }
}
