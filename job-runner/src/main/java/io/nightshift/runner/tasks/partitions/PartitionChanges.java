package io.nightshift.runner.tasks.partitions;

import io.nightshift.runner.tasks.partitions.PartitionPlan.NewPartition;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The DDL of a partitions run, each change in the way that keeps the application's queries moving:
 * <ul>
 * <li>a new partition is made as a table of the parent's shape and then attached, which locks the parent only
 * against other DDL ({@code SHARE UPDATE EXCLUSIVE}) where {@code CREATE TABLE ... PARTITION OF} would take an
 * {@code ACCESS EXCLUSIVE} lock behind which every reader and writer queues; the indexes, keys, foreign keys and
 * triggers of the parent are made on it as it is attached. Up to {@link #BATCH} are made per transaction.</li>
 * <li>an old partition is detached {@code CONCURRENTLY} (then dropped), which never blocks readers or writers, when
 * the table has no DEFAULT partition (PostgreSQL does not allow it then); otherwise it is dropped or detached
 * under the parent's {@code ACCESS EXCLUSIVE} lock, each transaction under the task's lock timeout.</li>
 * </ul>
 * Every transaction that waits for a lock does so under {@link LockWait}.
 */
final class PartitionChanges {

    static final int BATCH = 50;

    private final Connection c;
    private final PartitionedTable table;
    private final KeySpace space;
    private final LockWait locks;

    PartitionChanges(Connection c, PartitionedTable table, KeySpace space, LockWait locks) {
        this.c = c;
        this.table = table;
        this.space = space;
        this.locks = locks;
    }

    /** Makes the partitions, all in one transaction (at most {@link #BATCH} of them). */
    void create(List<NewPartition> batch) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (NewPartition p : batch) {
            String name = p.name().quoted();
            sql.append("CREATE TABLE ").append(name).append(" (LIKE ").append(table.name().quoted())
                    .append(" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)")
                    .append(table.tablespaceSql() == null ? "" : " TABLESPACE " + table.tablespaceSql()).append(";\n");
            if (!table.ownedByRunner()) {
                sql.append("ALTER TABLE ").append(name).append(" OWNER TO ").append(table.ownerSql()).append(";\n");
            }
            sql.append("ALTER TABLE ").append(table.name().quoted()).append(" ATTACH PARTITION ").append(name).append(" FOR VALUES FROM ('")
                    .append(space.literal(p.range().from())).append("') TO ('").append(space.literal(p.range().to())).append("');\n");
        }
        locks.inTransaction(c, "partitions " + table.name() + ": creating " + batch.size() + " partitions", st -> st.execute(sql.toString()));
    }

    /**
     * Takes an old partition out of the table without blocking anyone: {@code DETACH PARTITION ... CONCURRENTLY} runs in
     * two transactions of its own and waits for the queries that may still read the partition; then, unless it is
     * kept, drops it (a plain table by then, which nobody reads through the parent any more).
     */
    void detachConcurrently(Partition p, boolean keep) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + table.name().quoted() + " DETACH PARTITION " + p.sql() + " CONCURRENTLY");
        }
        if (!keep) {
            drop(List.of(p));
        }
    }

    /** Completes a {@code DETACH ... CONCURRENTLY} that was interrupted (the partition is "detach pending"). */
    void finishDetach(Partition p) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + table.name().quoted() + " DETACH PARTITION " + p.sql() + " FINALIZE");
        }
    }

    /** Drops the tables (partitions or detached ones) in one transaction. */
    void drop(List<Partition> batch) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (Partition p : batch) {
            sql.append(p.relkind() == 'f' ? "DROP FOREIGN TABLE " : "DROP TABLE ").append(p.sql()).append(";\n");
        }
        locks.inTransaction(c, "partitions " + table.name() + ": dropping " + names(batch), st -> st.execute(sql.toString()));
    }

    /** Detaches the partitions, keeping them as tables, in one transaction. */
    void detach(List<Partition> batch) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (Partition p : batch) {
            sql.append("ALTER TABLE ").append(table.name().quoted()).append(" DETACH PARTITION ").append(p.sql()).append(";\n");
        }
        locks.inTransaction(c, "partitions " + table.name() + ": detaching " + names(batch), st -> st.execute(sql.toString()));
    }

    private static String names(List<Partition> batch) {
        String first = batch.get(0).name();
        return batch.size() == 1 ? first : batch.size() + " partitions from " + first;
    }
}
