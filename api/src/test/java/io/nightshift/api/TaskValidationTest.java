package io.nightshift.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskValidationTest {

    private final ObjectMapper json = new ObjectMapper();

    private Task read(String text) throws Exception {
        return json.readValue(text, Task.class);
    }

    private List<String> problems(String text) throws Exception {
        return read(text).validate("spec.task").stream().map(FieldError::toString).toList();
    }

    @Test
    void aValidRetentionHasNoProblemsAndKnowsItsKind() throws Exception {
        Task t = read("{\"retention\":{\"table\":\"public.system_logs\",\"timestampColumn\":\"timestamp\",\"olderThan\":\"2d\",\"batchSize\":5000}}");
        assertThat(t.validate("spec.task")).isEmpty();
        assertThat(t.kind()).isEqualTo("retention");
    }

    @Test
    void exactlyOneKindMustBeSet() throws Exception {
        assertThat(problems("{}")).containsExactly(
                "spec.task: set exactly one of sql, retention, storageCleanup, deepgramCostSync, http, partitions (found none)");
        assertThat(problems("{\"sql\":{\"statement\":\"SELECT 1\"},\"http\":{\"url\":\"https://x.example\"}}"))
                .containsExactly("spec.task: set exactly one of sql, retention, storageCleanup, deepgramCostSync, http, partitions (found sql, http)");
    }

    @Test
    void eachProblemNamesItsField() throws Exception {
        assertThat(problems("{\"retention\":{\"table\":\"logs; DROP TABLE x\",\"timestampColumn\":\"ts\",\"olderThan\":\"2 days\"}}"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.task.retention.table: "))
                .anySatisfy(p -> assertThat(p).startsWith("spec.task.retention.olderThan: "));
        assertThat(problems("{\"sql\":{\"statements\":[\"SELECT 1\"],\"repeatUntilNoRows\":true}}"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.task.sql.repeatUntilNoRows: "));
        assertThat(problems("{\"http\":{\"url\":\"ftp://x\",\"method\":\"FETCH\",\"expectStatus\":[700]}}"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.task.http.url: "))
                .anySatisfy(p -> assertThat(p).startsWith("spec.task.http.method: "))
                .anySatisfy(p -> assertThat(p).startsWith("spec.task.http.expectStatus: "));
        assertThat(problems("{\"deepgramCostSync\":{\"concurrency\":0,\"costColumn\":\"cost usd\"}}"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.task.deepgramCostSync.concurrency: "))
                .anySatisfy(p -> assertThat(p).startsWith("spec.task.deepgramCostSync.costColumn: "));
        assertThat(problems("{\"storageCleanup\":{\"bucket\":\"audio\",\"table\":\"transcriptions\",\"pathColumn\":\"audio_path\","
                + "\"timestampColumn\":\"created_at\",\"batchSize\":5000}}"))
                .containsExactly("spec.task.storageCleanup.batchSize: must be between 1 and 1000, got 5000");
    }

    @Test
    void shortRetentionNeedsToBeAllowed() throws Exception {
        String shortOne = "{\"retention\":{\"table\":\"logs\",\"timestampColumn\":\"ts\",\"olderThan\":\"2m\"%s}}";
        assertThat(problems(shortOne.formatted(""))).singleElement().asString().contains("shorter than 1h");
        assertThat(problems(shortOne.formatted(",\"allowShortRetention\":true"))).isEmpty();
    }

    @Test
    void writesBackOnlyWhatWasSet() throws Exception {
        String text = "{\"sql\":{\"statement\":\"SELECT cleanup_old_logs()\"}}";
        assertThat(json.writeValueAsString(read(text))).isEqualTo(text);
    }
}
