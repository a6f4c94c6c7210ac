import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Does the application notice the retention? A writer inserts log rows at a steady rate over 4 connections and a
 * reader runs a dashboard query, first alone (baseline), then while the runner's retention deletes the old rows,
 * then while one bare DELETE does. Reports the writer's and reader's latencies in each phase, the longest lock wait
 * seen in pg_locks, the WAL written by the retention and by the bare DELETE (each measured alone, on an identical
 * table), and the dead tuples left. Run by bench/retention-live/run.sh. Properties: -Dold=N (old rows, default
 * 1,000,000), -Drate=N (rows a second, default 2000), -Dbaseline=S (seconds, default 15), -Dpause=MS (the retention's
 * pauseBetweenBatchesMs, default 0).
 */
public final class LiveBench {

    static final int OLD = Integer.getInteger("old", 1_000_000);
    static final int RECENT = OLD / 5;
    static final int RATE = Integer.getInteger("rate", 2000);
    static final int WRITERS = 4;
    static final int BASELINE_S = Integer.getInteger("baseline", 15);
    static final String DASHBOARD = "SELECT level, count(*) FROM system_logs WHERE \"timestamp\" > now() - interval '1 hour' GROUP BY level";

    static volatile String phase = "warm-up";
    static final Map<String, ConcurrentLinkedQueue<Long>> writes = new ConcurrentHashMap<>();
    static final Map<String, ConcurrentLinkedQueue<Long>> reads = new ConcurrentHashMap<>();
    static final Map<String, Long> lockWaitMs = new ConcurrentHashMap<>();
    static String url;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String jvm = args.length > 1 ? args[1] : "-XX:+UseSerialGC";
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("shared_buffers", "512MB")
                .setServerConfig("max_wal_size", "4GB").setServerConfig("checkpoint_timeout", "30min")
                .setServerConfig("log_lock_waits", "on").setServerConfig("deadlock_timeout", "100ms").start()) {
            url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute(Files.readString(Path.of(args[2])));
                st.execute("CREATE TABLE logs_template AS SELECT now() - interval '10 days' + (g::float8 / " + OLD + ") * interval '7 days' AS ts,"
                        + " g FROM generate_series(1, " + OLD + ") g UNION ALL SELECT now() - interval '2 days' + (g::float8 / " + RECENT
                        + ") * interval '2 days', g FROM generate_series(1, " + RECENT + ") g");
                // WAL of each alone, on identical tables: the retention's batches against one DELETE.
                build(st);
                long walRetention = wal(st, () -> runner(jar, jvm, pg.getPort()));
                String deadAfterRetention = deadTuples(st);
                build(st);
                long walBare = wal(st, () -> bare(url));
                System.out.printf(Locale.ROOT, "WAL written, alone: retention %,d bytes, bare DELETE %,d bytes (%.2fx); dead tuples after the "
                        + "retention: %s%n", walRetention, walBare, walRetention / (double) walBare, deadAfterRetention);
                build(st);
            }
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                threads.add(daemon(() -> writer(running)));
            }
            threads.add(daemon(() -> reader(running)));
            threads.add(daemon(() -> lockWatch(running)));
            Thread.sleep(3000);
            phase = "baseline";
            Thread.sleep(BASELINE_S * 1000L);
            phase = "gap";
            Thread.sleep(1000);
            phase = "retention";
            long t = System.nanoTime();
            String runnerLine = runner(jar, jvm, pg.getPort());
            long retentionMs = (System.nanoTime() - t) / 1_000_000;
            phase = "gap";
            Thread.sleep(1000);
            try (Connection c = connect(); Statement st = c.createStatement()) {
                // The same old rows again, while the writer and reader go on; then one bare DELETE of them.
                st.execute("INSERT INTO system_logs (\"timestamp\", level, source, message) SELECT ts, 'info', 'api', 'request ' || g "
                        + "FROM logs_template WHERE ts < now() - interval '3 days'");
                st.execute("VACUUM ANALYZE system_logs");
            }
            Thread.sleep(1000);
            phase = "bare DELETE";
            t = System.nanoTime();
            bare(url);
            long bareMs = (System.nanoTime() - t) / 1_000_000;
            phase = "gap";
            Thread.sleep(500);
            running.set(false);
            for (Thread th : threads) {
                th.join(5000);
            }
            System.out.println("runner: " + runnerLine);
            System.out.printf(Locale.ROOT, "retention took %d ms (runner process), bare DELETE %d ms%n", retentionMs, bareMs);
            System.out.printf(Locale.ROOT, "%-12s %8s %8s %8s %8s %7s | %8s %8s %8s %6s | %s%n", "phase", "writes", "w p50", "w p99", "w max",
                    "rows/s", "r p50", "r p99", "r max", "reads", "longest lock wait");
            for (String p : List.of("baseline", "retention", "bare DELETE")) {
                long[] w = sorted(writes.get(p));
                long[] r = sorted(reads.get(p));
                double seconds = p.equals("baseline") ? BASELINE_S : (p.equals("retention") ? retentionMs : bareMs) / 1000.0;
                System.out.printf(Locale.ROOT, "%-12s %8d %8s %8s %8s %7.0f | %8s %8s %8s %6d | %d ms%n", p, w.length, ms(w, 0.5), ms(w, 0.99),
                        ms(w, 1.0), w.length / seconds, ms(r, 0.5), ms(r, 0.99), ms(r, 1.0), r.length, lockWaitMs.getOrDefault(p, 0L));
            }
        }
    }

    interface Work {
        Object run() throws Exception;
    }

    static Thread daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static Connection connect() throws Exception {
        return DriverManager.getConnection(url, "postgres", "postgres");
    }

    static void build(Statement st) throws Exception {
        st.execute("DROP TABLE IF EXISTS system_logs");
        st.execute("CREATE TABLE system_logs (id bigserial PRIMARY KEY, \"timestamp\" timestamptz NOT NULL,"
                + " level varchar(10) NOT NULL, source varchar(50), message text, metadata jsonb)");
        st.execute("INSERT INTO system_logs (\"timestamp\", level, source, message, metadata) SELECT ts, (ARRAY['info','warn','error'])[1 + g % 3],"
                + " 'api', 'request ' || g || ' handled', jsonb_build_object('ms', g % 500) FROM logs_template ORDER BY ts");
        st.execute("CREATE INDEX ON system_logs (\"timestamp\")");
        st.execute("VACUUM ANALYZE system_logs");
        st.execute("CHECKPOINT");
    }

    static long wal(Statement st, Work work) throws Exception {
        String before = scalar(st, "SELECT pg_current_wal_insert_lsn()::text");
        work.run();
        return Long.parseLong(scalar(st, "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '" + before + "')::bigint::text"));
    }

    static String deadTuples(Statement st) throws Exception {
        return scalar(st, "SELECT n_dead_tup::text FROM pg_stat_user_tables WHERE relname = 'system_logs'");
    }

    static String scalar(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static Object bare(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement()) {
            return st.executeUpdate("DELETE FROM system_logs WHERE \"timestamp\" < now() - interval '3 days'");
        }
    }

    static String runner(Path jar, String jvm, int port) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Arrays.asList(jvm.trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString(), "run"));
        Path log = Files.createTempFile("runner", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NIGHTSHIFT_JOB_NAME", "live-log-cleanup");
        pb.environment().put("NIGHTSHIFT_DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres");
        pb.environment().put("NIGHTSHIFT_TASK", "{\"retention\":{\"table\":\"public.system_logs\",\"timestampColumn\":\"timestamp\","
                + "\"olderThan\":\"3d\",\"batchSize\":5000,\"pauseBetweenBatchesMs\":" + Integer.getInteger("pause", 0) + "}}");
        if (pb.start().waitFor() != 0) {
            throw new IllegalStateException("runner failed:\n" + Files.readString(log));
        }
        return Files.readString(log).lines().filter(l -> l.contains("deleted") && l.contains("batches")).findFirst().orElse("?");
    }

    /** Inserts RATE / WRITERS rows a second, one a statement, on a fixed schedule (a late insert does not shift the next ones). */
    static void writer(AtomicBoolean running) {
        long intervalNs = 1_000_000_000L * WRITERS / RATE;
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO system_logs (\"timestamp\", level, source, message, "
                + "metadata) VALUES (now(), 'info', 'api', 'request handled', '{\"ms\": 12}')")) {
            long next = System.nanoTime();
            while (running.get()) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String p = phase;
                long t = System.nanoTime();
                ps.executeUpdate();
                writes.computeIfAbsent(p, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - t);
                next += intervalNs;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The dashboard: counts by level over the last hour, five times a second. */
    static void reader(AtomicBoolean running) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            while (running.get()) {
                String p = phase;
                long t = System.nanoTime();
                try (ResultSet rs = st.executeQuery(DASHBOARD)) {
                    while (rs.next()) {
                        rs.getLong(2);
                    }
                }
                reads.computeIfAbsent(p, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - t);
                Thread.sleep(200);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The longest wait for a lock that pg_locks shows, sampled every 20 ms. */
    static void lockWatch(AtomicBoolean running) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            while (running.get()) {
                String p = phase;
                try (ResultSet rs = st.executeQuery("SELECT coalesce(max(extract(epoch FROM now() - waitstart) * 1000), 0)::bigint "
                        + "FROM pg_locks WHERE NOT granted")) {
                    rs.next();
                    lockWaitMs.merge(p, rs.getLong(1), Math::max);
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long[] sorted(ConcurrentLinkedQueue<Long> q) {
        return q == null ? new long[0] : q.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static String ms(long[] v, double q) {
        if (v.length == 0) {
            return "-";
        }
        int i = (int) Math.min(v.length - 1, Math.ceil(q * v.length) - 1);
        return String.format(Locale.ROOT, "%.1f", v[Math.max(0, i)] / 1e6);
    }
}
