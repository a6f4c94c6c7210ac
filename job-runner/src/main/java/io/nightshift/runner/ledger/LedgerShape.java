package io.nightshift.runner.ledger;

import io.nightshift.api.TableName;
import io.nightshift.api.contract.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The columns an existing ledger table has, as the catalog describes them, and whether the runner can
 * work with them: the columns of the original {@code job_executions}, of compatible types, and no other
 * column that must be filled. The optional {@code namespace} column is filled only where it exists.
 * {@code createdByRunner}: the table carries the comment the runner gives a ledger it creates.
 */
public record LedgerShape(TableName table, Map<String, Column> columns, boolean createdByRunner) {

    public static final String NAMESPACE = "namespace";
    /** The optional column of the scheduled slot a run belongs to; nightshift's own DDL adds it. */
    public static final String SLOT = "slot";

    /** One column: its base type's name and category ({@code pg_type.typcategory}), as written, and its constraints. */
    public record Column(String name, String typeName, String category, String declared, boolean notNull, boolean hasDefault,
            Integer maxLength) {
    }

    /** The statuses a ledger row can have, as SQL literals: {@code 'running', 'success', 'failed'}. */
    static final String STATUSES = Stream.of(RunResult.RUNNING, RunResult.SUCCESS, RunResult.FAILED).map(LedgerShape::quoted)
            .collect(Collectors.joining(", "));
    private static final Set<String> STRING = Set.of("S");
    private static final Set<String> TIMESTAMPS = Set.of("timestamptz", "timestamp");
    private static final Set<String> JSON = Set.of("jsonb", "json");

    public LedgerShape {
        columns = new LinkedHashMap<>(columns);
    }

    /** A status as an SQL literal, e.g. {@code 'running'}. */
    static String quoted(RunResult status) {
        return "'" + status.value() + "'";
    }

    public boolean hasNamespace() {
        return columns.containsKey(NAMESPACE);
    }

    /** A {@code slot} column of another type is some other column of the team's: it is left alone, and the slot lives in stats. */
    public boolean hasSlot() {
        Column c = columns.get(SLOT);
        return c != null && "timestamptz".equals(c.typeName());
    }

    /** The abandoned-run update records an unknown duration as NULL where the column allows it. */
    public boolean durationNullable() {
        Column c = columns.get("duration_ms");
        return c != null && !c.notNull();
    }

    /** The longest job name {@code job_name} holds, in characters; null when unlimited. */
    public Integer jobNameLimit() {
        Column c = columns.get("job_name");
        return c == null ? null : c.maxLength();
    }

    /** What is wrong with the table as a run ledger; empty when the runner can use it. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        expect(problems, missing, "id", null, Set.of("int2", "int4", "int8", "numeric"), "an integer");
        expect(problems, missing, "job_name", STRING, null, "text or varchar");
        expect(problems, missing, "status", STRING, null, "text or varchar");
        expect(problems, missing, "started_at", null, TIMESTAMPS, "timestamptz");
        expect(problems, missing, "completed_at", null, TIMESTAMPS, "timestamptz");
        expect(problems, missing, "duration_ms", Set.of("N"), null, "an integer");
        expect(problems, missing, "stats", null, JSON, "jsonb");
        expect(problems, missing, "error_message", STRING, null, "text");
        if (hasNamespace()) {
            expect(problems, missing, NAMESPACE, STRING, null, "text or varchar");
        }
        if (!missing.isEmpty()) {
            problems.add(0, "no column " + String.join(", ", missing));
        }
        Column id = columns.get("id");
        if (id != null && !id.hasDefault()) {
            problems.add("column id has no default (SERIAL or GENERATED ... AS IDENTITY): the runner does not choose ids");
        }
        Column status = columns.get("status");
        if (status != null && status.maxLength() != null && status.maxLength() < RunResult.RUNNING.value().length()) {
            problems.add("column status is " + status.declared() + ": too short for " + quoted(RunResult.RUNNING));
        }
        for (Column c : columns.values()) {
            if (c.notNull() && !c.hasDefault() && !Set.of("id", "job_name", "status", "started_at").contains(c.name())) {
                problems.add("column " + c.name() + " is NOT NULL without a default: the runner does not fill it");
            }
        }
        return problems;
    }

    private void expect(List<String> problems, List<String> missing, String name, Set<String> categories, Set<String> types,
            String expected) {
        Column c = columns.get(name);
        if (c == null) {
            missing.add(name);
            return;
        }
        boolean fits = (categories != null && categories.contains(c.category())) || (types != null && types.contains(c.typeName()));
        if (!fits) {
            problems.add("column " + name + " is " + c.declared() + ", expected " + expected);
        }
    }
}
