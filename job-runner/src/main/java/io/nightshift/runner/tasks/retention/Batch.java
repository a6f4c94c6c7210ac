package io.nightshift.runner.tasks.retention;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One batch of a walk, bound to its rows: its DELETE, and a probe that locks the same rows without
 * waiting, to tell a batch held up by a lock elsewhere from a batch that is slow. A batch held up by a
 * lock is run again, unchanged.
 */
interface Batch {

    BatchStatement.Result delete() throws SQLException;

    /** Throws SQLSTATE 55P03 when another session holds a lock on one of the batch's rows or on the table. */
    void probe() throws SQLException;

    /** A batch's DELETE and its probe, prepared from the same condition, so they take the same parameters. */
    record Statements(PreparedStatement delete, PreparedStatement probe) {
    }

    /** Sets a statement's parameters for the batch's rows; {@code end} is where an index walk's batch ends (null: at the cutoff). */
    interface Binding {
        void bind(PreparedStatement ps, String end) throws SQLException;
    }

    /** A batch whose rows its parameters alone say (a range of pages). */
    static Batch of(Statements statements, RetentionTarget target, Binding binding) {
        return new Batch() {
            @Override
            public BatchStatement.Result delete() throws SQLException {
                binding.bind(statements.delete(), null);
                return BatchStatement.run(statements.delete(), target);
            }

            @Override
            public void probe() throws SQLException {
                binding.bind(statements.probe(), null);
                BatchStatement.probe(statements.probe());
            }
        };
    }

    /**
     * An index walk's batch: up to the timestamp {@code lookAhead} finds (asked once, in the batch's first
     * transaction, and kept if the batch is run again), or, when fewer rows are left, everything up to the cutoff.
     */
    static Batch ending(LockRetry.Work<String> lookAhead, Statements upTo, Statements rest, RetentionTarget target, Binding binding) {
        return new Batch() {
            private boolean looked;
            private String end;

            private Statements statements() throws SQLException {
                if (!looked) {
                    end = lookAhead.run();
                    looked = true;
                }
                return end == null ? rest : upTo;
            }

            @Override
            public BatchStatement.Result delete() throws SQLException {
                PreparedStatement delete = statements().delete();
                binding.bind(delete, end);
                return BatchStatement.run(delete, target).endingAt(end);
            }

            @Override
            public void probe() throws SQLException {
                PreparedStatement probe = statements().probe();
                binding.bind(probe, end);
                BatchStatement.probe(probe);
            }
        };
    }
}
