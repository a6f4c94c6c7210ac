import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retention benchmark: one bare DELETE against the runner's batched retention on identical
 * system_logs-like tables (2,000,000 rows, index on the timestamp), at 1 %, 50 % and 99 % of rows
 * deleted. Run by bench/retention/run.sh.
 */
public final class RetentionBench {

    static final int ROWS = Integer.getInteger("rows", 2_000_000);
    static final int SPAN_HOURS = 2400;

    public static void main(String[] args) throws Exception {
        Path runnerJar = Path.of(args[0]);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("shared_buffers", "512MB")
                .setServerConfig("max_wal_size", "4GB").setServerConfig("checkpoint_timeout", "30min").start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement()) {
                // Steady state: the ledger exists, as it does after a job's first run.
                st.execute(Files.readString(Path.of(args[1])));
            }
            System.out.printf(Locale.ROOT, "%-7s %10s %12s %14s %7s %12s %7s %12s %12s %9s%n", "share", "rows", "bare DELETE",
                    "runner delete", "ratio", "whole run", "ratio", "longest tx", "process", "peak RSS");
            for (double share : new double[] {0.01, 0.50, 0.99}) {
                try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement()) {
                    build(st, "bare_logs");
                    build(st, "system_logs");
                    long hours = Math.round((1 - share) * SPAN_HOURS);
                    long bareStart = System.nanoTime();
                    int deleted = st.executeUpdate("DELETE FROM bare_logs WHERE \"timestamp\" < now() - interval '" + hours + " hours'");
                    double bareMs = (System.nanoTime() - bareStart) / 1e6;
                    Run run = runner(runnerJar, pg.getPort(), hours);
                    long left = count(st, "SELECT count(*) FROM system_logs");
                    long leftBare = count(st, "SELECT count(*) FROM bare_logs");
                    // Each side takes now() at its own moment: a row or two may fall on either side of the cutoff.
                    if (Math.abs(left - leftBare) > ROWS / 10_000) {
                        throw new IllegalStateException("runner left " + left + " rows, bare DELETE left " + leftBare);
                    }
                    System.out.printf(Locale.ROOT, "%-7s %10d %9.0f ms %11d ms %6.2fx %9d ms %6.2fx %9d ms %9d ms %6d MB%n",
                            Math.round(share * 100) + " %", deleted, bareMs, run.deleteMs, run.deleteMs / bareMs, run.taskMs,
                            run.taskMs / bareMs, run.longestMs, run.wallMs, run.peakRssKb / 1024);
                    st.execute("DROP TABLE bare_logs; DROP TABLE system_logs");
                }
            }
        }
    }

    /** A system_logs-like table in insertion (time) order, vacuumed and analysed, its pages in the cache. */
    static void build(Statement st, String table) throws Exception {
        st.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, \"timestamp\" timestamptz NOT NULL, level varchar(10) NOT NULL,"
                + " source varchar(50), message text, metadata jsonb)");
        st.execute("INSERT INTO " + table + " (\"timestamp\", level, source, message, metadata) SELECT now() - interval '" + SPAN_HOURS
                + " hours' + (g::float8 / " + ROWS + ") * interval '" + SPAN_HOURS + " hours', (ARRAY['info','warn','error'])[1 + g % 3],"
                + " 'api', 'request ' || g || ' handled', jsonb_build_object('ms', g % 500) FROM generate_series(1, " + ROWS + ") g");
        st.execute("CREATE INDEX ON " + table + " (\"timestamp\")");
        st.execute("VACUUM ANALYZE " + table);
        count(st, "SELECT count(*) FROM " + table);
    }

    record Run(long deleteMs, long taskMs, long wallMs, long longestMs, long peakRssKb) {
    }

    static Run runner(Path jar, int port, long hours) throws Exception {
        Path log = Files.createTempFile("runner", ".log");
        Path result = Files.createTempFile("result", ".json");
        Path rss = Files.createTempFile("rss", ".txt");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-jar", jar.toString(), "run"));
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
        Matcher duration = Pattern.compile("\"durationMs\":(\\d+)").matcher(Files.readString(result));
        Matcher longest = Pattern.compile("\\((\\d+) ms, longest transaction (\\d+) ms").matcher(output);
        duration.find();
        if (!longest.find()) {
            throw new IllegalStateException("no timing in the runner's log:\n" + output);
        }
        return new Run(Long.parseLong(longest.group(1)), Long.parseLong(duration.group(1)), wallMs, Long.parseLong(longest.group(2)),
                Long.parseLong(Files.readString(rss).trim().lines().reduce((a, b) -> b).orElse("0")));
    }

    static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
