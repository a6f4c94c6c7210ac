package io.nightshift.runner.tasks.deepgram;

import io.nightshift.api.DeepgramCostSyncTask;
import io.nightshift.api.Identifiers;
import io.nightshift.api.TableName;
import io.nightshift.api.WhereCondition;
import io.nightshift.runner.tasks.Catalog;
import io.nightshift.runner.tasks.ConfigurationException;
import io.nightshift.runner.tasks.FailureCauses;
import io.nightshift.runner.tasks.MaintenanceTask;
import io.nightshift.runner.tasks.TaskContext;
import io.nightshift.runner.tasks.TaskOutcome;
import io.nightshift.runner.tasks.TerminatedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Task {@code deepgramCostSync} (the original cost update): for each row with a request id and no
 * cost, fetches the request's USD cost from Deepgram and stores it, each update committed as it lands.
 * At most {@code concurrency} requests in flight and {@code maxRequestsPerSecond} started per second.
 */
public final class DeepgramCostSyncRunner implements MaintenanceTask {

    private static final int PAGE = 1000;
    private final DeepgramCostSyncTask params;
    private final long firstBackoffMs;

    public DeepgramCostSyncRunner(DeepgramCostSyncTask params) {
        this(params, 500);
    }

    DeepgramCostSyncRunner(DeepgramCostSyncTask params, long firstBackoffMs) {
        this.params = params;
        this.firstBackoffMs = firstBackoffMs;
    }

    @Override
    public TaskOutcome run(TaskContext context) throws Exception {
        context.stats().init("updated", "unchanged", "skipped", "failed");
        String key = context.env(DeepgramCostSyncTask.API_KEY_ENV);
        if (key == null || key.isBlank()) {
            throw new ConfigurationException(DeepgramCostSyncTask.API_KEY_ENV + " is not set: the operator fills it from the Secret named by "
                    + "task.deepgramCostSync.secretName (key " + DeepgramCostSyncTask.API_KEY_KEY + ")");
        }
        TableName table = TableName.parse(params.tableOrDefault());
        String id = Identifiers.quote(params.requestIdColumnOrDefault());
        String cost = Identifiers.quote(params.costColumnOrDefault());
        String extra = params.where() == null ? "" : " AND (" + WhereCondition.readAlike(params.where()) + ")";
        int concurrency = params.concurrencyOrDefault();
        try (Connection c = context.openConnection()) {
            checkColumns(c, table);
            if (Boolean.TRUE.equals(params.countExistingAsUnchanged())) {
                context.stats().add("unchanged", count(c, "SELECT count(*) FROM " + table.quoted() + " WHERE " + id + " IS NOT NULL AND "
                        + cost + " IS NOT NULL" + extra));
            }
            String pending = "FROM " + table.quoted() + " WHERE " + id + " IS NOT NULL AND " + cost + " IS NULL" + extra;
            if (context.dryRun()) {
                return TaskOutcome.succeeded("deepgramCostSync " + table + ": would look up " + count(c, "SELECT count(*) " + pending) + " requests");
            }
            // Requests are made synchronously from a pool of `concurrency` threads: that bounds the requests in flight.
            OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30))
                    .connectionPool(new ConnectionPool(concurrency, 1, java.util.concurrent.TimeUnit.MINUTES)).build();
            CostLookup lookup = new CostLookup(http, params.baseUrlOrDefault(), key, new RateLimiter(params.maxRequestsPerSecondOrDefault()),
                    firstBackoffMs);
            CostWriter writer = new CostWriter(c, table, id, cost);
            AtomicInteger refused = new AtomicInteger();
            FailureCauses causes = new FailureCauses();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
                Thread t = new Thread(r, "deepgram");
                t.setDaemon(true);
                return t;
            });
            int requests = 0;
            try {
                String after = "";
                int left = params.limit() == null ? Integer.MAX_VALUE : params.limit();
                Set<String> seen = new HashSet<>();
                while (left > 0 && refused.get() == 0) {
                    if (context.stopRequested()) {
                        throw new TerminatedException("stopped; every cost found so far is stored");
                    }
                    List<String> ids = page(c, "SELECT DISTINCT " + id + " " + pending + " AND " + id + " > ? ORDER BY 1 LIMIT ?", after,
                            Math.min(PAGE, left));
                    if (ids.isEmpty()) {
                        break;
                    }
                    after = ids.get(ids.size() - 1);
                    left -= ids.size();
                    List<Future<?>> work = new ArrayList<>();
                    for (String requestId : ids) {
                        if (!seen.add(requestId)) {
                            continue;
                        }
                        int dot = requestId.indexOf('.');
                        if (dot <= 0 || dot == requestId.length() - 1) {
                            context.stats().add("skipped", 1);
                            continue;
                        }
                        requests++;
                        work.add(pool.submit(() -> {
                            if (refused.get() != 0 || context.stopRequested()) {
                                return null;
                            }
                            CostLookup.Result result = lookup.lookup(requestId.substring(0, dot), requestId.substring(dot + 1));
                            record(context, writer, requestId, result, refused, causes);
                            return null;
                        }));
                    }
                    for (Future<?> f : work) {
                        f.get();
                    }
                }
            } finally {
                pool.shutdownNow();
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
            }
            String summary = "deepgramCostSync " + table + ": updated " + context.stats().get("updated") + ", unchanged "
                    + context.stats().get("unchanged") + ", skipped " + context.stats().get("skipped") + ", failed " + context.stats().get("failed");
            if (refused.get() != 0) {
                return TaskOutcome.failed(summary + "; Deepgram refused the API key (" + refused.get() + "), stopped");
            }
            if (requests > 0 && context.stats().get("failed") == requests) {
                return TaskOutcome.failed(summary + "; every request failed: " + causes.describe());
            }
            return TaskOutcome.succeeded(causes.isEmpty() ? summary : summary + "; failed requests: " + causes.describe());
        }
    }

    private static void record(TaskContext context, CostWriter writer, String requestId, CostLookup.Result result, AtomicInteger refused,
            FailureCauses causes) throws SQLException {
        if (result instanceof CostLookup.Result.Cost costFound) {
            if (writer.store(requestId, costFound.usd())) {
                context.stats().add("updated", 1);
            } else {
                context.stats().add("unchanged", 1);
            }
        } else if (result instanceof CostLookup.Result.NotYet) {
            context.stats().add("unchanged", 1);
        } else if (result instanceof CostLookup.Result.Unknown) {
            context.stats().add("skipped", 1);
        } else if (result instanceof CostLookup.Result.Refused r) {
            refused.compareAndSet(0, r.status());
            context.stats().add("failed", 1);
        } else if (result instanceof CostLookup.Result.Failed f) {
            context.stats().add("failed", 1);
            causes.add(f.why());
            context.log("deepgramCostSync: request " + requestId + " " + f.why());
        }
    }

    private static List<String> page(Connection c, String sql, String after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, after);
            ps.setInt(2, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void checkColumns(Connection c, TableName table) throws SQLException {
        Catalog.requireColumns(c, table, "task.deepgramCostSync", "requestIdColumn", params.requestIdColumnOrDefault(), "costColumn", params.costColumnOrDefault());
    }
}
