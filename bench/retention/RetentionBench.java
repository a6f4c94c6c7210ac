import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retention benchmark: one bare DELETE against the runner's batched retention on identical
 * system_logs-like tables (2,000,000 rows, index on the timestamp), at 1 %, 50 % and 99 % of rows
 * deleted, in alternating runs (bare, runner, bare, runner, ...) whose medians are reported.
 * Run by bench/retention/run.sh. Properties: -Drows=N, -Druns=N, -Dshares=0.01,0.5.
 */
public final class RetentionBench {

    static final int ROWS = Integer.getInteger("rows", 2_000_000);
    static final int RUNS = Integer.getInteger("runs", 5);
    static final int SPAN_HOURS = 2400;

    public static void main(String[] args) throws Exception {
        Path runnerJar = Path.of(args[0]);
        double[] shares = Arrays.stream(System.getProperty("shares", "0.01,0.5,0.99").split(",")).mapToDouble(Double::parseDouble).toArray();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("shared_buffers", "1536MB")
                .setServerConfig("max_wal_size", "4GB").setServerConfig("checkpoint_timeout", "30min").start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement()) {
                // Steady state: the ledger exists, as it does after a job's first run.
                st.execute(Files.readString(Path.of(args[1])));
                template(st);
            }
            System.out.printf(Locale.ROOT, "%-5s %3s %9s %10s %10s %7s %10s %7s %10s %10s %9s %9s  %s%n", "share", "run", "rows",
                    "bare", "runner", "ratio", "whole run", "ratio", "longest tx", "process", "peak RSS", "dead tup", "load");
            for (double share : shares) {
                List<Run> runs = new ArrayList<>();
                String loadBefore = load();
                for (int i = 1; i <= RUNS; i++) {
                    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement()) {
                        build(st, "bare_logs");
                        build(st, "system_logs");
                        // As in production, where old rows were written long before the last checkpoint: both deletes
                        // write each page's first change in full (without this, whichever ran after a checkpoint did).
                        st.execute("CHECKPOINT");
                        long hours = Math.round((1 - share) * SPAN_HOURS);
                        // Who goes first alternates too: the second delete shares the machine with what the first left
                        // running (dirty pages being written, WAL, autovacuum).
                        boolean bareFirst = i % 2 == 1;
                        Run runnerFirst = bareFirst ? null : runner(runnerJar, pg.getPort(), hours);
                        // The bare DELETE gets a session of its own, as from psql or a crontab: the session that built the
                        // tables has every page of them mapped already, which a new one pays for on first touch (measured:
                        // 0.75 s against 1.1 s at 99 %), as the runner's does.
                        int deleted;
                        double bareMs;
                        try (Connection bare = DriverManager.getConnection(url, "postgres", "postgres"); Statement bs = bare.createStatement()) {
                            long bareStart = System.nanoTime();
                            deleted = bs.executeUpdate("DELETE FROM bare_logs WHERE \"timestamp\" < now() - interval '" + hours + " hours'");
                            bareMs = (System.nanoTime() - bareStart) / 1e6;
                        }
                        Run run = (bareFirst ? runner(runnerJar, pg.getPort(), hours) : runnerFirst).with(bareMs, deleted);
                        long left = count(st, "SELECT count(*) FROM system_logs");
                        long leftBare = count(st, "SELECT count(*) FROM bare_logs");
                        // Each side takes now() at its own moment: a row or two may fall on either side of the cutoff.
                        if (Math.abs(left - leftBare) > ROWS / 10_000) {
                            throw new IllegalStateException("runner left " + left + " rows, bare DELETE left " + leftBare);
                        }
                        runs.add(run);
                        print(share, String.valueOf(i), run, load());
                        st.execute("DROP TABLE bare_logs; DROP TABLE system_logs");
                    }
                }
                Run median = new Run(median(runs, Run::deleteMs), median(runs, Run::taskMs), median(runs, Run::wallMs),
                        runs.stream().mapToLong(Run::longestMs).max().orElse(0), median(runs, Run::peakRssKb), median(runs, Run::deadTuples),
                        median(runs, Run::bareMs), runs.get(0).deleted());
                print(share, "med", median, loadBefore + " -> " + load());
            }
        }
    }

    static void print(double share, String label, Run r, String load) {
        System.out.printf(Locale.ROOT, "%-5s %3s %9d %7.0f ms %7d ms %6.2fx %7d ms %6.2fx %7d ms %7d ms %6d MB %9d  %s%n",
                Math.round(share * 100) + "%", label, r.deleted, r.bareMs, r.deleteMs, r.deleteMs / r.bareMs, r.taskMs, r.taskMs / r.bareMs,
                r.longestMs, r.wallMs, r.peakRssKb / 1024, r.deadTuples, load);
    }

    static long median(List<Run> runs, ToDoubleFunction<Run> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return Math.round(v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
    }

    static String load() throws Exception {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** The rows every run copies: system_logs-like, in time order. */
    static void template(Statement st) throws Exception {
        st.execute("DROP TABLE IF EXISTS logs_template; CREATE TABLE logs_template AS SELECT g AS id, now() - interval '" + SPAN_HOURS
                + " hours' + (g::float8 / " + ROWS + ") * interval '" + SPAN_HOURS + " hours' AS \"timestamp\","
                + " ((ARRAY['info','warn','error'])[1 + g % 3])::varchar(10) AS level, 'api'::varchar(50) AS source,"
                + " 'request ' || g || ' handled' AS message, jsonb_build_object('ms', g % 500) AS metadata FROM generate_series(1, " + ROWS + ") g");
    }

    /** A system_logs-like table in insertion (time) order, vacuumed and analysed, its pages in the cache. */
    static void build(Statement st, String table) throws Exception {
        st.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, \"timestamp\" timestamptz NOT NULL, level varchar(10) NOT NULL,"
                + " source varchar(50), message text, metadata jsonb)");
        st.execute("INSERT INTO " + table + " SELECT * FROM logs_template ORDER BY id");
        st.execute("CREATE INDEX ON " + table + " (\"timestamp\")");
        st.execute("VACUUM ANALYZE " + table);
        count(st, "SELECT count(*) FROM " + table);
    }

    record Run(long deleteMs, long taskMs, long wallMs, long longestMs, long peakRssKb, long deadTuples, double bareMs, long deleted) {
        Run with(double bare, long rows) {
            return new Run(deleteMs, taskMs, wallMs, longestMs, peakRssKb, deadTuples, bare, rows);
        }
    }

    static Run runner(Path jar, int port, long hours) throws Exception {
        Path log = Files.createTempFile("runner", ".log");
        Path result = Files.createTempFile("result", ".json");
        Path rss = Files.createTempFile("rss", ".txt");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(System.getProperty("runner.jvm", "-XX:+UseSerialGC").trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString(), "run"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NIGHTSHIFT_JOB_NAME", "bench-log-cleanup");
        pb.environment().put("NIGHTSHIFT_DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres");
        pb.environment().put("NIGHTSHIFT_TERMINATION_LOG", result.toString());
        pb.environment().put("NIGHTSHIFT_TASK", "{\"retention\":{\"table\":\"public.system_logs\",\"timestampColumn\":\"timestamp\","
                + "\"olderThan\":\"" + hours + "h\",\"batchSize\":5000}}");
        long start = System.nanoTime();
        int exit = pb.start().waitFor();
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        String output = Files.readString(log);
        if (exit != 0) {
            throw new IllegalStateException("runner failed:\n" + output);
        }
        if (Boolean.getBoolean("verbose")) {
            System.out.print(output);
        }
        String doc = Files.readString(result);
        Matcher duration = Pattern.compile("\"durationMs\":(\\d+)").matcher(doc);
        Matcher longest = Pattern.compile("\\((\\d+) ms, longest transaction (\\d+) ms").matcher(output);
        Matcher dead = Pattern.compile("\"deadTuples\":(\\d+)").matcher(doc);
        duration.find();
        if (!longest.find()) {
            throw new IllegalStateException("no timing in the runner's log:\n" + output);
        }
        return new Run(Long.parseLong(longest.group(1)), Long.parseLong(duration.group(1)), wallMs, Long.parseLong(longest.group(2)),
                Long.parseLong(Files.readString(rss).trim().lines().reduce((a, b) -> b).orElse("0")), dead.find() ? Long.parseLong(dead.group(1)) : -1,
                0, 0);
    }

    static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
