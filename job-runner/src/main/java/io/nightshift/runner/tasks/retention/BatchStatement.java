package io.nightshift.runner.tasks.retention;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One batch as one statement: the DELETE, the copy into the archive table when archiving, and the counts. */
final class BatchStatement {

    /** What one batch did; {@code batchEnd} is where an index walk's batch ended (null: no rows were left after it). */
    record Result(long deleted, long archived, String batchEnd) {
    }

    private BatchStatement() {
    }

    /**
     * {@code DELETE FROM table WHERE condition} as one statement answering (deleted, archived[, batch end]).
     * A non-empty {@code bound} is a query the condition reads as {@code (SELECT batch_end FROM bound)}.
     */
    static String deleting(RetentionTarget target, String condition, String bound) {
        String with = bound.isEmpty() ? "WITH " : "WITH bound AS (" + bound + "), ";
        String end = bound.isEmpty() ? "" : ", (SELECT batch_end::text FROM bound)";
        String delete = "DELETE FROM " + target.table().quoted() + " WHERE " + condition;
        if (target.archive() == null) {
            if (bound.isEmpty()) {
                return delete;
            }
            return with + "moved AS (" + delete + " RETURNING 1) SELECT (SELECT count(*) FROM moved), 0" + end;
        }
        String columns = target.quotedColumnList();
        return with + "moved AS (" + delete + " RETURNING " + columns + "), archived AS (INSERT INTO " + target.archive().quoted() + " ("
                + columns + ") SELECT " + columns + " FROM moved RETURNING 1) SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM archived)"
                + end;
    }

    static Result run(PreparedStatement ps, RetentionTarget target, boolean bounded) throws SQLException {
        if (target.archive() == null && !bounded) {
            return new Result(ps.executeLargeUpdate(), 0, null);
        }
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Result(rs.getLong(1), rs.getLong(2), bounded ? rs.getString(3) : null);
        }
    }
}
