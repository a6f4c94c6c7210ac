package io.nightshift.runner.ledger;

import io.nightshift.api.contract.RunResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's answer to "was this run's work done already?": a {@code success} row of the same job (and
 * namespace, where the table has the column) for the same scheduled slot, or for the same Kubernetes Job.
 * Asked while holding the job's lock, so a run that finished a moment ago is seen.
 */
public final class EarlierSuccess {

    private final Connection connection;
    private final LedgerShape shape;
    private final String namespace;
    private final Instant slot;
    private final KubernetesJob job;

    EarlierSuccess(Connection connection, LedgerShape shape, String namespace, Instant slot, KubernetesJob job) {
        this.connection = connection;
        this.shape = shape;
        this.namespace = namespace;
        this.slot = slot;
        this.job = job;
    }

    /** The id of a run that succeeded for this run's slot (its column, or {@code "slot"} in stats); empty when none, or no slot. */
    public Optional<Long> ofSlot(String jobName) throws SQLException {
        if (slot == null) {
            return Optional.empty();
        }
        String match = shape.hasSlot() ? "(" + LedgerShape.SLOT + " = ? OR stats->>'slot' = ?)" : "stats->>'slot' = ?";
        return succeeded(jobName, match, shape.hasSlot() ? List.of(OffsetDateTime.ofInstant(slot, ZoneOffset.UTC), slot.toString())
                : List.of(slot.toString()));
    }

    /**
     * The id of a run that succeeded for this run's Kubernetes Job: the same Job object (its uid, or its
     * name where the uid is not known); empty when none, or no Job.
     */
    public Optional<Long> ofJob(String jobName) throws SQLException {
        if (job == null) {
            return Optional.empty();
        }
        return job.uid() != null ? succeeded(jobName, "stats->>'" + KubernetesJob.UID + "' = ?", List.of(job.uid()))
                : succeeded(jobName, "stats->>'" + KubernetesJob.NAME + "' = ?", List.of(job.name()));
    }

    private Optional<Long> succeeded(String jobName, String match, List<Object> values) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM " + shape.table().quoted()
                + " WHERE job_name = ? AND status = " + LedgerShape.quoted(RunResult.SUCCESS) + " AND " + match
                + (shape.hasNamespace() ? " AND namespace IS NOT DISTINCT FROM ?" : "") + " ORDER BY id DESC LIMIT 1")) {
            int i = 1;
            ps.setString(i++, jobName);
            for (Object value : values) {
                ps.setObject(i++, value);
            }
            if (shape.hasNamespace()) {
                ps.setString(i, namespace);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }
}
