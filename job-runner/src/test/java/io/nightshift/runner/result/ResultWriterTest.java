package io.nightshift.runner.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightshift.api.contract.RunResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultWriterTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void writesTheContractShape() throws Exception {
        JsonNode doc = json.readTree(ResultWriter.render(new ResultDocument(RunResult.SUCCESS, 42L, "2026-11-22T03:00:00Z",
                "2026-11-22T03:00:01Z", 912L, Map.of("deleted", 1136103), null)));
        assertThat(doc.path("status").asText()).isEqualTo("success");
        assertThat(doc.path("executionId").asLong()).isEqualTo(42);
        assertThat(doc.path("startedAt").asText()).isEqualTo("2026-11-22T03:00:00Z");
        assertThat(doc.path("completedAt").asText()).isEqualTo("2026-11-22T03:00:01Z");
        assertThat(doc.path("durationMs").asLong()).isEqualTo(912);
        assertThat(doc.path("stats").path("deleted").asLong()).isEqualTo(1136103);
        assertThat(doc.has("error")).isFalse();
    }

    @Test
    void aHugeErrorIsCutSoTheDocumentFitsIn4KiBAndStaysValidJson() throws Exception {
        String error = "ERROR: deadlock detected \u00e9\u00e9 \"quoted\" " + "x".repeat(20_000);
        String text = ResultWriter.render(new ResultDocument(RunResult.FAILED, 7L, "a", "b", 1L, Map.of("deleted", 5), error));
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        JsonNode doc = json.readTree(text);
        assertThat(doc.path("status").asText()).isEqualTo("failed");
        assertThat(doc.path("stats").path("deleted").asLong()).isEqualTo(5);
        assertThat(doc.path("error").asText()).startsWith("ERROR: deadlock detected").endsWith("\u2026");
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(3900);
    }

    @Test
    void hugeStatsAreShortenedToo() throws Exception {
        Map<String, Object> stats = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            stats.put("stat_" + i, "value-" + "y".repeat(100));
        }
        String text = ResultWriter.render(new ResultDocument(RunResult.SUCCESS, 1L, "a", "b", 1L, stats, null));
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        assertThat(json.readTree(text).path("status").asText()).isEqualTo("success");
    }
}
