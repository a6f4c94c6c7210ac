package io.nightshift.operator.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.nightshift.api.Identifiers;
import io.nightshift.api.LedgerKeep;
import io.nightshift.api.contract.RunnerEnvironment;

@JsonClassDescription("Where runs are recorded in the database. Default public.job_executions, created when missing.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerRef(
        @JsonPropertyDescription("Schema of the run ledger table. Default public.")
        @Pattern(Identifiers.NAME_PATTERN)
        String schema,

        @JsonPropertyDescription("Name of the run ledger table. Default job_executions.")
        @Pattern(Identifiers.NAME_PATTERN)
        String table,

        @JsonPropertyDescription("How long this job's runs stay in the ledger, e.g. 90d (at least 1d), or forever. Each run deletes "
                + "the job's older rows in short batches. Default: 90d for a ledger the runner created, forever for a table "
                + "that existed before.")
        @Pattern(LedgerKeep.PATTERN)
        String keep) {

    public static final String DEFAULT_SCHEMA = RunnerEnvironment.DEFAULT_LEDGER_SCHEMA;
    public static final String DEFAULT_TABLE = RunnerEnvironment.DEFAULT_LEDGER_TABLE_NAME;

    /** The ledger as the runner's NIGHTSHIFT_LEDGER_TABLE reads it, e.g. {@code public.job_executions}. */
    public static String qualified(LedgerRef ledger) {
        String schema = ledger == null || ledger.schema() == null ? DEFAULT_SCHEMA : ledger.schema();
        String table = ledger == null || ledger.table() == null ? DEFAULT_TABLE : ledger.table();
        return schema + "." + table;
    }
}
