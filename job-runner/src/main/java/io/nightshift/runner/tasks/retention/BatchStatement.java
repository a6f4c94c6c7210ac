package io.nightshift.runner.tasks.retention;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One batch's statement: the DELETE, and the copy into the archive table in the same statement when archiving. */
final class BatchStatement {

    /** What one batch did; {@code batchEnd} is where an index walk's batch ended (null: no rows were left after it). */
    record Result(long deleted, long archived, String batchEnd) {

        Result endingAt(String end) {
            return new Result(deleted, archived, end);
        }
    }

    private BatchStatement() {
    }

    /**
     * {@code DELETE FROM table WHERE condition}; when archiving, one statement that moves the rows and
     * answers (deleted, archived).
     */
    static String deleting(RetentionTarget target, String condition) {
        String delete = "DELETE FROM " + target.table().quoted() + " WHERE " + condition;
        if (target.archive() == null) {
            return delete;
        }
        String columns = target.quotedColumnList();
        return "WITH moved AS (" + delete + " RETURNING " + columns + "), archived AS (INSERT INTO " + target.archive().quoted() + " ("
                + columns + ") SELECT " + columns + " FROM moved RETURNING 1) SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM archived)";
    }

    /**
     * Locks the rows {@code DELETE FROM table WHERE condition} would delete, without waiting for any of them
     * (SQLSTATE 55P03 when another session holds one): whether a lock elsewhere is what holds a batch up.
     */
    static String probing(RetentionTarget target, String condition) {
        return "SELECT count(*) FROM (SELECT 1 FROM " + target.table().quoted() + " WHERE " + condition + " FOR UPDATE NOWAIT) in_batch";
    }

    static void probe(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    static Result run(PreparedStatement ps, RetentionTarget target) throws SQLException {
        if (target.archive() == null) {
            return new Result(ps.executeLargeUpdate(), 0, null);
        }
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Result(rs.getLong(1), rs.getLong(2), null);
        }
    }
}
