package io.nightshift.api;

import java.util.Optional;

/**
 * Checks that a task's {@code where} text is one self-contained condition that can be put between
 * parentheses and ANDed with the task's own condition without changing it: every parenthesis it opens
 * it closes, none it closes was opened outside it, no statement separator, no comment and no {@code ?}
 * (the runner's database driver reads it as a parameter of its statements). Literals
 * ({@code '...'}, {@code E'...'}, {@code $tag$...$tag$}) and quoted identifiers ({@code "..."}) are
 * skipped, so {@code message <> 'a) OR (b'} is accepted.
 */
public final class WhereCondition {

    private WhereCondition() {
    }

    /** The problem with the text, or empty when it is one condition. */
    public static Optional<String> problem(String where) {
        int depth = 0;
        int i = 0;
        int n = where.length();
        while (i < n) {
            char ch = where.charAt(i);
            if (ch == '\'') {
                boolean escapes = i > 0 && (where.charAt(i - 1) == 'E' || where.charAt(i - 1) == 'e') && !identifierChar(where, i - 2);
                i = endOfQuoted(where, i, '\'', escapes);
                if (i < 0) {
                    return Optional.of("a string literal is not closed (')");
                }
            } else if (ch == '"') {
                i = endOfQuoted(where, i, '"', false);
                if (i < 0) {
                    return Optional.of("a quoted identifier is not closed (\")");
                }
            } else if (ch == '$' && !identifierChar(where, i - 1)) {
                String tag = dollarTag(where, i);
                if (tag != null) {
                    int close = where.indexOf(tag, i + tag.length());
                    if (close < 0) {
                        return Optional.of("a dollar-quoted literal is not closed (" + tag + ")");
                    }
                    i = close + tag.length();
                } else {
                    i++;
                }
            } else if (ch == '?') {
                return Optional.of("must not use ?: the runner's database driver reads it as a statement parameter; "
                        + "for jsonb's key tests write jsonb_exists(column, 'key'), jsonb_exists_any(column, array[...]) "
                        + "or jsonb_exists_all(column, array[...]) instead of ?, ?| and ?&");
            } else if (ch == ';') {
                return Optional.of("must be one condition, without ';'");
            } else if (where.startsWith("--", i) || where.startsWith("/*", i)) {
                return Optional.of("must not contain comments (-- or /*)");
            } else if (ch == '(') {
                depth++;
                i++;
            } else if (ch == ')') {
                if (--depth < 0) {
                    return Optional.of("closes a parenthesis it did not open: it must be one condition, e.g. a = 1 OR (b AND c)");
                }
                i++;
            } else {
                i++;
            }
        }
        if (depth > 0) {
            return Optional.of("opens a parenthesis it does not close");
        }
        return Optional.empty();
    }

    /**
     * The same condition, read alike by every server whatever its {@code standard_conforming_strings}: each
     * plain {@code '...'} literal holding a backslash is written as an {@code E'...'} literal with the
     * backslash doubled ({@code 'C:\'} becomes {@code E'C:\\'}), which means the same text in both
     * settings; nothing else changes. So the runner's statements need no session setting, which a
     * transaction-mode pooler would not keep. {@code where} has passed {@link #problem}.
     */
    public static String readAlike(String where) {
        StringBuilder out = new StringBuilder(where.length() + 8);
        int i = 0;
        int n = where.length();
        while (i < n) {
            char ch = where.charAt(i);
            int end = i + 1;
            if (ch == '\'') {
                boolean escapes = i > 0 && (where.charAt(i - 1) == 'E' || where.charAt(i - 1) == 'e') && !identifierChar(where, i - 2);
                boolean prefixed = i > 0 && (identifierChar(where, i - 1) || where.charAt(i - 1) == '&');
                end = endOfQuoted(where, i, '\'', escapes);
                String literal = where.substring(i, end);
                if (!escapes && !prefixed && literal.indexOf('\\') >= 0) {
                    literal = "E" + literal.replace("\\", "\\\\");
                }
                out.append(literal);
            } else if (ch == '"') {
                end = endOfQuoted(where, i, '"', false);
                out.append(where, i, end);
            } else if (ch == '$' && !identifierChar(where, i - 1) && dollarTag(where, i) != null) {
                String tag = dollarTag(where, i);
                end = where.indexOf(tag, i + tag.length()) + tag.length();
                out.append(where, i, end);
            } else {
                out.append(ch);
            }
            i = end;
        }
        return out.toString();
    }

    /** The {@code $tag$} opening a dollar-quoted literal at {@code start}, or null when there is none. */
    private static String dollarTag(String s, int start) {
        int tagEnd = s.indexOf('$', start + 1);
        String tag = tagEnd < 0 ? null : s.substring(start, tagEnd + 1);
        boolean valid = tag != null && tag.substring(1, tag.length() - 1).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')
                && !(tag.length() > 2 && Character.isDigit(tag.charAt(1)));
        return valid ? tag : null;
    }

    /** Index just past the closing quote of the quoted text starting at {@code start}, or -1 when it is not closed. */
    private static int endOfQuoted(String s, int start, char quote, boolean backslashEscapes) {
        int i = start + 1;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (backslashEscapes && ch == '\\') {
                i += 2;
            } else if (ch == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean identifierChar(String s, int i) {
        if (i < 0) {
            return false;
        }
        char ch = s.charAt(i);
        return Character.isLetterOrDigit(ch) || ch == '_' || ch == '$';
    }
}
