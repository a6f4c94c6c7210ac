import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * deepgramCostSync: N rows against a local stub that answers each request in 50 ms; the task with
 * concurrency 16 against concurrency 1 (the original's sequential loop). Run by bench/cost-sync/run.sh.
 */
public final class CostSyncBench {

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int rows = Integer.parseInt(args[1]);
        int cap = Integer.parseInt(args[2]);
        AtomicInteger served = new AtomicInteger();
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        stub.setExecutor(Executors.newFixedThreadPool(64));
        stub.createContext("/v1/projects/", ex -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            served.incrementAndGet();
            byte[] body = "{\"request\":{\"response\":{\"details\":{\"usd\":0.0042}}}}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        stub.start();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            System.out.printf(Locale.ROOT, "%-12s %8s %10s %12s %10s%n", "concurrency", "rows", "time", "requests/s", "updated");
            double sequential = 0;
            for (int concurrency : new int[] {1, 16}) {
                try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS transcriptions; CREATE TABLE transcriptions (id serial PRIMARY KEY, "
                            + "stt_provider_request_id text, audio_cost_usd numeric(12,6)); INSERT INTO transcriptions (stt_provider_request_id) "
                            + "SELECT 'proj.' || md5(g::text) FROM generate_series(1, " + rows + ") g");
                }
                served.set(0);
                Path result = Files.createTempFile("result", ".json");
                ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "run")
                        .redirectErrorStream(true).redirectOutput(Files.createTempFile("runner", ".log").toFile());
                pb.environment().put("NIGHTSHIFT_JOB_NAME", "cost-update-" + concurrency);
                pb.environment().put("NIGHTSHIFT_DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:" + pg.getPort() + "/postgres");
                pb.environment().put("NIGHTSHIFT_TERMINATION_LOG", result.toString());
                pb.environment().put("DEEPGRAM_API_KEY", "bench-key");
                pb.environment().put("NIGHTSHIFT_TASK", "{\"deepgramCostSync\":{\"baseUrl\":\"http://127.0.0.1:" + stub.getAddress().getPort()
                        + "\",\"concurrency\":" + concurrency + ",\"maxRequestsPerSecond\":" + cap + "}}");
                long start = System.nanoTime();
                int exit = pb.start().waitFor();
                double seconds = (System.nanoTime() - start) / 1e9;
                if (exit != 0) {
                    throw new IllegalStateException("runner exited " + exit + ": " + Files.readString(result));
                }
                String doc = Files.readString(result);
                String updated = doc.replaceAll(".*\"updated\":(\\d+).*", "$1");
                System.out.printf(Locale.ROOT, "%-12d %8d %8.1f s %12.1f %10s%n", concurrency, rows, seconds, served.get() / seconds, updated);
                if (concurrency == 1) {
                    sequential = seconds;
                } else {
                    System.out.printf(Locale.ROOT, "speed-up: %.1fx (rate cap %d requests/s)%n", sequential / seconds, cap);
                }
            }
        } finally {
            stub.stop(0);
        }
    }
}
