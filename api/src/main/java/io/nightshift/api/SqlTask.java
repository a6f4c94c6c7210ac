package io.nightshift.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

@JsonClassDescription("Runs SQL: one statement, a list of statements in one transaction, or a function call such as SELECT cleanup_old_logs().")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SqlTask(
        @JsonPropertyDescription("One SQL statement, e.g. SELECT cleanup_old_logs() or UPDATE ... . Set this or statements, not both.")
        String statement,

        @JsonPropertyDescription("Statements run in order in one transaction: all of them take effect or none. Set this or statement, not both.")
        List<String> statements,

        @JsonPropertyDescription("Longest time one statement may run before PostgreSQL cancels it, e.g. 5m. Default: no limit beyond the job's timeout.")
        @Pattern(Durations.PATTERN)
        String statementTimeout,

        @JsonPropertyDescription("Run statement again, each time in its own transaction, until it affects no rows: batched updates such as UPDATE ... WHERE id IN (SELECT ... LIMIT 10000). Needs statement.")
        Boolean repeatUntilNoRows,

        @JsonPropertyDescription("With repeatUntilNoRows: stop after this many repetitions even if rows remain. Default 10000.")
        @Min(1)
        @Max(1_000_000)
        Integer maxBatches,

        @JsonPropertyDescription("false runs each statement on its own, outside a transaction block, as VACUUM, CREATE INDEX CONCURRENTLY, REINDEX ... CONCURRENTLY and procedures that COMMIT require. A failing statement then leaves the earlier ones done, and a dry run only lists the statements. Default true: all statements in one transaction.")
        Boolean transaction) implements TaskParameters {

    public static final int DEFAULT_MAX_BATCHES = 10_000;

    /** The statements to run, in order, whichever way they were written. */
    public List<String> allStatements() {
        return statement != null ? List.of(statement) : statements == null ? List.of() : statements;
    }

    public boolean repeats() {
        return Boolean.TRUE.equals(repeatUntilNoRows);
    }

    /** Whether the statements run in one transaction (the default) rather than each on its own. */
    public boolean inTransaction() {
        return !Boolean.FALSE.equals(transaction);
    }

    public int maxBatchesOrDefault() {
        return maxBatches == null ? DEFAULT_MAX_BATCHES : maxBatches;
    }

    @Override
    public List<FieldError> validate(String prefix) {
        Checks c = new Checks(prefix);
        boolean hasOne = statement != null;
        boolean hasList = statements != null;
        if (hasOne == hasList) {
            c.fail("statement", "set exactly one of statement or statements");
        }
        c.notBlankIfSet("statement", statement);
        if (hasList) {
            if (statements.isEmpty()) {
                c.fail("statements", "must list at least one statement");
            }
            for (int i = 0; i < statements.size(); i++) {
                if (statements.get(i) == null || statements.get(i).isBlank()) {
                    c.fail("statements[" + i + "]", "must not be empty");
                }
            }
        }
        c.timeoutSetting("statementTimeout", statementTimeout);
        if (repeats() && !hasOne) {
            c.fail("repeatUntilNoRows", "repeats a single statement: use statement, not statements");
        }
        if (maxBatches != null && !repeats()) {
            c.fail("maxBatches", "only applies with repeatUntilNoRows: true");
        }
        c.range("maxBatches", maxBatches, 1, 1_000_000);
        return c.errors();
    }
}
