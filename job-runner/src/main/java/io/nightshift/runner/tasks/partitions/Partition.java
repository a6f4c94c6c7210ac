package io.nightshift.runner.tasks.partitions;

/**
 * A partition the table has, as the catalog describes it. Its name may be anything PostgreSQL allows (it was not
 * necessarily made by this task), so it comes quoted by the database.
 *
 * @param name {@code schema.table} as a person reads it
 * @param sql the same name quoted for SQL by {@code quote_ident}
 * @param range its bounds; null for the DEFAULT partition
 * @param relkind {@code r} a table, {@code p} itself partitioned, {@code f} a foreign table
 * @param detachPending a {@code DETACH ... CONCURRENTLY} of it was interrupted and must be finalized
 */
record Partition(String name, String sql, Range range, char relkind, boolean detachPending) {

    boolean isDefault() {
        return range == null;
    }
}
