package io.nightshift.api;

/** A table name split into schema and table; the schema is {@code public} when none is written. */
public record TableName(String schema, String table) {

    public TableName {
        Identifiers.quote(schema);
        Identifiers.quote(table);
    }

    /** Parses {@code table} or {@code schema.table}; throws {@link IllegalArgumentException} for anything else. */
    public static TableName parse(String qualified) {
        if (!Identifiers.isQualifiedName(qualified)) {
            throw new IllegalArgumentException("'" + qualified + "' is not a table name: write it as table or schema.table "
                    + "(letters, digits and underscores)");
        }
        int dot = qualified.indexOf('.');
        return dot < 0 ? new TableName("public", qualified)
                : new TableName(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    /** The name for SQL, quoted: {@code "public"."system_logs"}. */
    public String quoted() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(table);
    }

    // Written out: a record's generated equals and hashCode build method handles on first use, about 15 ms
    // of a job runner's cold start.
    @Override
    public boolean equals(Object o) {
        return o instanceof TableName other && schema.equals(other.schema) && table.equals(other.table);
    }

    @Override
    public int hashCode() {
        return 31 * schema.hashCode() + table.hashCode();
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
