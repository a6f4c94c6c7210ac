package io.nightshift.runner.tasks.storage;

import io.nightshift.api.Durations;
import io.nightshift.api.Identifiers;
import io.nightshift.api.StorageCleanupTask;
import io.nightshift.api.TableName;
import io.nightshift.api.WhereCondition;
import io.nightshift.runner.tasks.Catalog;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.tasks.FailureCauses;
import io.nightshift.runner.tasks.MaintenanceTask;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TaskOutcome;
import io.nightshift.runner.tasks.cutoff.ColumnKind;
import io.nightshift.runner.tasks.cutoff.Cutoff;
import io.nightshift.runner.tasks.TerminatedException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Task {@code storageCleanup} (the original audio cleanup): finds rows older than the cutoff whose path
 * is set, deletes their files from Supabase Storage in bulk requests of at most 1,000 paths, then marks
 * the rows (path set to NULL, or {@code deletedAtColumn} set) so the next run does not ask again. A path
 * the storage no longer has counts as deleted. Failed requests are retried with backoff, then counted
 * {@code failed} and left unmarked for the next run.
 */
public final class StorageCleanupRunner implements MaintenanceTask {

    static final int ATTEMPTS = 3;
    private final StorageCleanupTask params;
    private final long firstBackoffMs;

    public StorageCleanupRunner(StorageCleanupTask params) {
        this(params, 500);
    }

    StorageCleanupRunner(StorageCleanupTask params, long firstBackoffMs) {
        this.params = params;
        this.firstBackoffMs = firstBackoffMs;
    }

    @Override
    public TaskOutcome run(TaskContext context) throws SQLException, InterruptedException {
        context.stats().init("deleted", "failed", "batches");
        String url = required(context, StorageCleanupTask.URL_ENV);
        String key = required(context, StorageCleanupTask.SERVICE_KEY_ENV);
        TableName table = TableName.parse(params.table());
        try (Connection c = context.openConnection()) {
            checkColumns(c, table);
            Cutoff cutoff = cutoff(c, table);
            String path = Identifiers.quote(params.pathColumn());
            String pending = table.quoted() + " WHERE " + Identifiers.quote(params.timestampColumn()) + " < " + cutoff.parameter() + " AND " + path
                    + " IS NOT NULL" + (params.deletedAtColumn() == null ? "" : " AND " + Identifiers.quote(params.deletedAtColumn()) + " IS NULL")
                    + (params.where() == null ? "" : " AND (" + WhereCondition.readAlike(params.where()) + ")");
            if (context.dryRun()) {
                return TaskOutcome.succeeded("storageCleanup " + params.bucket() + ": would delete the files of " + count(c, pending, cutoff)
                        + " rows of " + table + " older than " + cutoff);
            }
            StorageClient storage = new StorageClient(url, key);
            List<String> failedPaths = new ArrayList<>();
            String select = "SELECT DISTINCT " + path + " FROM " + pending + " AND NOT (" + path + " = ANY(?)) LIMIT ?";
            String mark = "UPDATE " + table.quoted() + " SET " + (params.deletedAtColumn() == null ? path + " = NULL"
                    : Identifiers.quote(params.deletedAtColumn()) + " = now()") + " WHERE " + path + " = ANY(?) AND "
                    + Identifiers.quote(params.timestampColumn()) + " < " + cutoff.parameter();
            int requests = 0;
            int failedRequests = 0;
            FailureCauses causes = new FailureCauses();
            while (true) {
                if (context.stopRequested()) {
                    throw new TerminatedException("stopped between batches; files deleted so far are marked");
                }
                List<String> batch = select(c, select, cutoff, failedPaths);
                if (batch.isEmpty()) {
                    break;
                }
                requests++;
                StorageClient.Answer answer = deleteWithRetries(storage, batch, context);
                if (answer instanceof StorageClient.Answer.Refused refused) {
                    return TaskOutcome.failed("storageCleanup " + params.bucket() + ": Supabase refused the key (" + refused.status()
                            + "); no file was deleted in this request, stopping");
                }
                if (answer instanceof StorageClient.Answer.Deleted deleted) {
                    int gone = batch.size() - (int) batch.stream().filter(deleted.names()::contains).count();
                    markDeleted(c, mark, batch, cutoff);
                    context.stats().add("deleted", batch.size());
                    context.stats().add("batches", 1);
                    if (gone > 0) {
                        context.log("storageCleanup " + params.bucket() + ": " + gone + " of " + batch.size()
                                + " files were already gone; their rows are marked too");
                    }
                } else {
                    failedRequests++;
                    causes.add(why(answer));
                    failedPaths.addAll(batch);
                    context.stats().add("failed", batch.size());
                    context.log("storageCleanup " + params.bucket() + ": a request for " + batch.size() + " files failed ("
                            + why(answer) + "); their rows stay for the next run");
                }
            }
            String summary = "storageCleanup " + params.bucket() + ": deleted " + context.stats().get("deleted") + " files, "
                    + context.stats().get("failed") + " failed, in " + requests + " requests";
            if (requests > 0 && failedRequests == requests) {
                return TaskOutcome.failed(summary + ": every request failed: " + causes.describe());
            }
            return TaskOutcome.succeeded(failedRequests > 0 ? summary + " (some failed: " + causes.describe() + "; they are retried next run)"
                    : summary);
        }
    }

    private StorageClient.Answer deleteWithRetries(StorageClient storage, List<String> batch, TaskContext context)
            throws InterruptedException {
        long backoff = firstBackoffMs;
        StorageClient.Answer answer = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            answer = storage.delete(params.bucket(), batch);
            if (!(answer instanceof StorageClient.Answer.Retryable r)) {
                return answer;
            }
            if (attempt < ATTEMPTS) {
                context.log("storageCleanup " + params.bucket() + ": " + r.why() + ", retrying in " + backoff + " ms");
                Thread.sleep(backoff);
                backoff *= 2;
            }
        }
        return answer;
    }

    private static String why(StorageClient.Answer answer) {
        if (answer instanceof StorageClient.Answer.Retryable r) {
            return r.why() + " after " + ATTEMPTS + " attempts";
        }
        return answer instanceof StorageClient.Answer.Failed f ? f.why() : String.valueOf(answer);
    }

    private List<String> select(Connection c, String sql, Cutoff cutoff, List<String> excluded) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, cutoff.bound());
            ps.setArray(2, c.createArrayOf("text", excluded.toArray()));
            ps.setInt(3, params.batchSizeOrDefault());
            List<String> paths = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paths.add(rs.getString(1));
                }
            }
            return paths;
        }
    }

    private static void markDeleted(Connection c, String sql, List<String> paths, Cutoff cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("text", paths.toArray());
            ps.setArray(1, array);
            ps.setObject(2, cutoff.bound());
            ps.executeUpdate();
        }
    }

    private static long count(Connection c, String pending, Cutoff cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + pending)) {
            ps.setObject(1, cutoff.bound());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Cutoff cutoff(Connection c, TableName table) throws SQLException {
        ColumnKind kind = ColumnKind.of(c, Catalog.columnType(c, table, params.timestampColumn()))
                .orElseThrow(() -> new ConfigurationException("task.storageCleanup.timestampColumn: column " + table + "." + params.timestampColumn()
                        + " is not a timestamp, timestamptz or date"));
        return Cutoff.compute(c, "task.storageCleanup.olderThan", params.olderThanOrDefault(), kind, params.timeZone());
    }

    private void checkColumns(Connection c, TableName table) throws SQLException {
        Catalog.requireColumns(c, table, "task.storageCleanup", "pathColumn", params.pathColumn(), "timestampColumn", params.timestampColumn(), "deletedAtColumn", params.deletedAtColumn());
    }

    private static String required(TaskContext context, String name) {
        String value = context.env(name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(name + " is not set: the operator fills it from the Secret named by task.storageCleanup.secretName");
        }
        return value;
    }
}
